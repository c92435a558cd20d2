import ArgumentParser
import TrailIngest
import TrailModel
import TrailReport
import TrailStore
import TrailTeamStore

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that the store still holds what was ingested, and that the files are unchanged.",
        discussion: """
            For every source: its file is hashed again where it still is at its path (relative paths from the current \
            directory) and compared with the SHA-256 recorded at ingest; a file that is gone, an archive entry or \
            standard input is "not checked". Its records are checked against the hash chain mitrail wrote as it stored \
            them, which names each record changed, added or deleted since, and its counts against its rows; in a file, the failures \
            written at ingest (failure_facts) are computed again from the records and compared. SQLite's integrity \
            check runs first. The store is only read.

            The chain is evidence of accidents and careless edits, not a signature: whoever can write the file can \
            also rewrite the chain.

            On a team store (--db 'postgres://USER@HOST/DB?incident=NAME') the chains are recomputed from the rows \
            PostgreSQL holds (values kept in exact_values put back), and files are checked the same way.

            Exit status: 0 all as ingested; 1 something changed (or an ingest was interrupted); 2 usage or input \
            errors.
            """
    )

    @OptionGroup var store: ReadStoreOptions

    @Option(name: .long, help: "Output format.")
    var format: TabularFormat = .table

    func run() throws {
        let integrity: [String]
        let sources: [SourceVerification]
        if store.isTeamStore {
            let reader = try TeamStoreReader(url: TeamStoreURL(store.path))
            integrity = ["ok"]
            sources = try TeamStoreVerifier.verify(reader)
        } else {
            let evidence = try EvidenceStore(path: store.path, mode: .readOnly)
            integrity = try evidence.integrityCheck()
            var verified = try evidence.verifySources()
            try evidence.checkFailureFacts(&verified)
            sources = verified
        }
        var problems = integrity == ["ok"] ? 0 : 1
        let rows: [[TabularValue]] = sources.map { source in
            let file = SourceFileCheck.check(path: source.path, sha256: source.sha256, isArchiveEntry: source.parentID != nil)
            let records = !source.problems.isEmpty ? source.problems.joined(separator: "; ")
                : source.inProgress ? "not checked: being ingested right now"
                : source.unchained ? "not checked: no record chain (ingested by an older mitrail)" : "as ingested"
            if !source.problems.isEmpty || file == .changed { problems += 1 }
            return [.integer(source.id), .text(source.path), .text(file.description), .text(records)]
        }
        let writer = TabularWriter(format: format) { print($0, terminator: "") }
        writer.begin(columns: ["id", "path", "file", "records"])
        rows.forEach(writer.add(row:))
        writer.end()
        let summary = "verify: \(sources.count) source\(sources.count == 1 ? "" : "s"), "
            + (problems == 0 ? "all as ingested" : "\(problems) with problems")
            + (integrity == ["ok"] ? "" : "; SQLite integrity check: " + integrity.prefix(5).joined(separator: "; "))
        if format == .table { print(summary) } else { printError(summary) }
        if problems > 0 { throw ExitStatus.findings }
    }
}
