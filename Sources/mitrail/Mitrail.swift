import ArgumentParser
import Foundation
import TrailModel
import TrailStore
import TrailTeamStore

/// The root command: lists every subcommand in one place.
struct Mitrail: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mitrail",
        abstract: "The audit trail and troubleshooter for Azure managed-identity permission failures.",
        discussion: """
            Ingest everything you have about an incident (role assignments, Batch node agent logs, ...) into one \
            SQLite file, then ask it questions.

            Start with `mitrail demo`, then `mitrail ingest ./evidence` and `mitrail sources`. The store is \
            $MITRAIL_DB, else ./mitrail.db; every command takes --db PATH.
            """,
        version: ToolVersion.current,
        subcommands: [
            DemoCommand.self, CollectCommand.self, IngestCommand.self, ExplainCommand.self, TimelineCommand.self, SourcesCommand.self, IdentitiesCommand.self,
            ChangesCommand.self, AccessCommand.self, QueryCommand.self, ReportCommand.self, SQLCommand.self, VerifyCommand.self, UpgradeCommand.self,
            ExportCommand.self, BrowseCommand.self, RecordCommand.self, FormatsCommand.self, PushCommand.self, IncidentsCommand.self,
        ]
    )
}

/// Options every command that touches the store shares.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The evidence store (SQLite file).", valueName: "path"), completion: .file())
    var db: String?

    var path: String { db ?? EvidenceStore.defaultPath() }

    /// The SQLite file of a command that writes or copies it, or an error when --db names a team store.
    func sqlitePath(command: String) throws -> String {
        guard !TeamStoreURL.isTeamStore(path) else {
            throw ValidationError("mitrail \(command) works on an SQLite store, and --db names a team store. "
                                  + "Please give a file (then `mitrail push --db FILE --to URL` copies it to the team store).")
        }
        return path
    }
}

/// Exit codes, as DESIGN.md sets them.
enum ExitStatus {
    /// The command ran but found problems: unexplained failures, rejected records.
    static let findings = ExitCode(1)
    /// Usage or input errors.
    static let usageOrInput = ExitCode(2)
}

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

@main
enum Main {
    static func main() {
        do {
            var command = try Mitrail.parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch let error as LocalizedError {
            printError("error: " + (error.errorDescription ?? "\(error)"))
            Foundation.exit(ExitStatus.usageOrInput.rawValue)
        } catch {
            let code = Mitrail.exitCode(for: error)
            if code == .success || code == .validationFailure {
                let message = Mitrail.fullMessage(for: error)
                if code == .success {
                    print(message)
                    Foundation.exit(0)
                }
                printError(message)
                Foundation.exit(ExitStatus.usageOrInput.rawValue)
            }
            Mitrail.exit(withError: error)
        }
    }
}
