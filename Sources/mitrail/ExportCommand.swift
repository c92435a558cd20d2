import ArgumentParser
import Foundation
import TrailReport
import TrailStore

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a complete, checked single-file copy of the store: the file to send or archive.",
        discussion: """
            A store is a SQLite file in WAL mode: while another program has it open, the latest changes can wait in \
            the -wal file beside it, and a copy of the .db file alone would miss them. `mitrail export` writes \
            everything into one new file (SQLite's VACUUM INTO, in rollback journal mode so that any SQLite opens it \
            read-only), then opens that copy and checks it: SQLite's integrity check, the record and reject counts of \
            every source against the store, and every source's record chain. The copy is readable by its owner only, \
            like the store, and it is moved to PATH only once checked. The store is only read.

            Exit status: 0 the copy is complete and as ingested; 1 the copy was written but holds what `mitrail \
            verify` would report (a source changed since ingest, or one still being ingested); 2 usage or input errors \
            (PATH exists without --force, the copy could not be written or checked).

            Examples:
              mitrail export incident-4711.db
              mitrail export --db /cases/4711/mitrail.db --force /tmp/4711.db
            """
    )

    @OptionGroup var store: StoreOptions

    @Flag(name: .long, help: "Replace PATH if it exists.")
    var force = false

    @Argument(help: ArgumentHelp("The file to write the copy to.", valueName: "path"), completion: .file(extensions: ["db"]))
    var path: String

    func run() throws {
        let evidence = try EvidenceStore(path: try store.sqlitePath(command: "export"), mode: .readOnly)
        let summary = try evidence.export(to: path, replacing: force)
        print(ExportText.render(summary, store: store.path), terminator: "")
        if ExportText.hasFindings(summary) { throw ExitStatus.findings }
    }
}
