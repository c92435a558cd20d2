import ArgumentParser
import Foundation
import Logging
import TrailIngest
import TrailModel
import TrailStore

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Read evidence files into the store.",
        discussion: """
            Takes files, directories (read recursively), `-` for standard input, .gz files, and .zip
            archives such as the Batch "Upload batch logs" bundle (each entry is read as its own source,
            `bundle.zip!path/in/archive`; task stdout/stderr that no format reads is reported as skipped).
            Each file's format is recognised by its content (`mitrail formats` lists them); a file
            nothing recognises is reported with the formats tried, and the other files go on.

            Every record keeps its provenance: the source file (path, SHA-256, size, format,
            observed-at time) and its line or JSON pointer. Secrets (tokens, keys, SAS
            signatures) are removed before anything is stored. Ingesting the same content
            again adds nothing. Records that cannot be read are kept as rejects.

            Exit status: 0 all stored; 1 some records were rejected; 2 a file could not be read
            or was not recognised (the others are still ingested).

            Examples:
              mitrail ingest ./evidence
              az role assignment list --all -o json | mitrail ingest - --observed-at 2026-03-04T14:05:00Z
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: ArgumentHelp("Read every file as this format instead of recognising it (see `mitrail formats`).", valueName: "id"))
    var format: String?

    @Option(name: .customLong("observed-at"), help: ArgumentHelp(
        "When the snapshots were taken (ISO 8601, UTC unless an offset is given). Default: a time inside the payload, else the file's modification time.",
        valueName: "time"))
    var observedAt: String?

    @Flag(name: .shortAndLong, help: "Print only problems and the total.")
    var quiet = false

    @Argument(help: ArgumentHelp("Files, directories, or - for standard input.", valueName: "path"))
    var paths: [String]

    func validate() throws {
        if let observedAt, TimestampParser.parse(observedAt) == nil {
            throw ValidationError("Please give --observed-at as an ISO 8601 time, e.g. 2026-03-04T14:05:00Z.")
        }
        if let format, FormatRegistry.format(id: format) == nil {
            throw ValidationError("Unknown format '\(format)'. Please use one of: \(FormatRegistry.ids.joined(separator: ", ")).")
        }
        if paths.filter({ $0 == "-" }).count > 1 {
            throw ValidationError("Please give - (standard input) at most once.")
        }
    }

    func run() throws {
        let evidence = try EvidenceStore(path: try store.sqlitePath(command: "ingest"), mode: .readWrite)
        let reporter = IngestReporter(quiet: quiet)
        let outcomes = try Self.ingest(paths: paths, into: evidence, options: IngestOptions(
            formatID: format, observedAt: observedAt.flatMap(TimestampParser.parse), toolVersion: ToolVersion.current),
            reporter: reporter)
        reporter.printTotal(outcomes)
        throw ExitCode(reporter.exitCode(outcomes))
    }

    /// Expands the paths and ingests every file, reporting as it goes.
    static func ingest(paths: [String], into store: EvidenceStore, options: IngestOptions, reporter: IngestReporter) throws -> [FileOutcome] {
        try IngestPipeline(store: store, options: options, observer: reporter).ingest(paths: paths)
    }
}
