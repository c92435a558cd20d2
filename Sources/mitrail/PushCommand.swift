import ArgumentParser
import Foundation
import TrailModel
import TrailStore
import TrailTeamStore

struct PushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Copy a store into a team store on PostgreSQL, as one incident, for the team to query.",
        discussion: """
            The store is verified as it is copied: one that `mitrail verify` finds changed is refused, and nothing \
            of it is left in the team store. Each incident is a schema of the team database (default: the store's \
            file name, lower-cased, `_` for anything but letters and digits; --incident NAME to choose). Pushing the \
            same store again adds nothing; pushing it after more ingest adds its new sources only. Sources another \
            process is still ingesting are left for a later push.

            The password comes from PGPASSWORD, else ~/.pgpass (hostname:port:database:username:password, mode \
            0600), never from the URL; PGUSER and PGPORT stand in for a missing user and port. Add ?sslmode=require \
            to the URL for TLS.

            Then every read command takes --db 'postgres://USER@HOST/DB?incident=NAME', and `mitrail query NAME \
            --db postgres://USER@HOST/DB --all-incidents` asks all incidents at once.

              mitrail push --db contoso.db --to postgres://analyst@pg/mitrail
              mitrail explain \\
                --db 'postgres://analyst@pg/mitrail?incident=contoso'

            Exit status: 0 pushed (or nothing new); 1 the store was refused (changed since ingest); 2 usage \
            errors, or a team store that cannot be reached.
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: ArgumentHelp("The team store: postgres://USER@HOST[:PORT]/DATABASE.", valueName: "url"))
    var to: String

    @Option(name: .long, help: ArgumentHelp("The incident (schema) to push into. Default: the store's file name, sanitised.", valueName: "name"))
    var incident: String?

    @Flag(name: [.customShort("q"), .long], help: "Print only the final counts.")
    var quiet = false

    func validate() throws {
        if let incident { _ = try IncidentName.validated(incident) }
    }

    func run() throws {
        let path = try store.sqlitePath(command: "push")
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.databaseMissing(path: path) }
        let url = try TeamStoreURL(to)
        let name = try incident ?? url.incident.map(IncidentName.validated) ?? IncidentName.from(storePath: path)
        let showsProgress = isatty(STDERR_FILENO) == 1 && !quiet
        var progressShown = false
        let report: PushReport
        do {
            report = try TeamStorePush.push(storePath: path, to: url, incident: name, toolVersion: ToolVersion.current,
                                            now: Timestamp.now.iso8601) { progress in
                guard showsProgress else { return }
                FileHandle.standardError.write(Data("\r\u{1B}[K  pushing records: \(progress.recordsDone) of \(progress.recordsTotal)".utf8))
                progressShown = true
            }
        } catch TeamStoreError.storeChanged(let problems) {
            if progressShown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            printError("error: " + (TeamStoreError.storeChanged(problems: problems).errorDescription ?? ""))
            throw ExitStatus.findings
        }
        if progressShown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        print(Self.summary(report, url: url.with(incident: name)))
    }

    static func summary(_ report: PushReport, url: TeamStoreURL) -> String {
        var lines: [String] = []
        let rows = report.rowsAdded.map { "\($0.table) \($0.rows)" }.joined(separator: ", ")
        let head = report.created ? "created incident \(report.incident)" : "incident \(report.incident)"
        if report.changedNothing {
            lines.append("\(head): nothing new (\(report.sourcesAlreadyPushed) source\(report.sourcesAlreadyPushed == 1 ? "" : "s") already pushed)")
        } else {
            lines.append("\(head): added \(report.sourcesAdded) source\(report.sourcesAdded == 1 ? "" : "s") and \(report.recordsAdded) record\(report.recordsAdded == 1 ? "" : "s")"
                         + " (\(report.sourcesAlreadyPushed) already pushed)")
            if !rows.isEmpty { lines.append("  rows: \(rows)") }
        }
        if report.exactValues > 0 {
            lines.append("  \(report.exactValues) value\(report.exactValues == 1 ? "" : "s") PostgreSQL cannot hold as SQLite has "
                         + (report.exactValues == 1 ? "it" : "them") + ": stored with a stand-in (U+2400 for NUL), kept exactly in exact_values")
        }
        if report.sourcesBeingIngested > 0 {
            lines.append("  \(report.sourcesBeingIngested) source\(report.sourcesBeingIngested == 1 ? " is" : "s are") still being ingested: push again when done")
        }
        lines.append("  read it with --db '\(url.description)'")
        return lines.joined(separator: "\n")
    }
}
