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
            Takes files, directories (read recursively), `-` for standard input, .gz files, and .zip archives such as \
            the Batch "Upload batch logs" bundle (each entry is read as its own source, `bundle.zip!path/in/archive`; \
            task stdout/stderr that no format reads is reported as skipped). Each file's format is recognised by its \
            content (`mitrail formats` lists them); a file nothing recognises is reported with the formats tried, and \
            the other files go on.

            Every record keeps its provenance: the source file (path, SHA-256, size, format, observed-at time) and its \
            line or JSON pointer. Secrets (tokens, keys, SAS signatures) are removed before anything is stored. \
            Ingesting the same content again adds nothing. Records that cannot be read are kept as rejects.

            Exit status: 0 all stored; 1 some records were rejected; 2 a file could not be read or was not recognised \
            (the others are still ingested).

            Examples:
              mitrail ingest ./evidence
              az role assignment list --all -o json |
                mitrail ingest - --observed-at 2026-03-04T14:05:00Z
              az ad group member list -g grp-readers -o json |
                mitrail ingest - --group grp-readers

            Membership lists: `az ad group member list` prints the members without naming the group, and Graph's \
            memberOf, getMemberGroups and `az ad group member check` answers do not name the member. The group comes \
            from --group, else the command line that printed the file, else an object ID in the file name \
            (group-members-<GROUP_ID>.json); the member from --member-id, likewise. Without them the list is kept as \
            the membership of an unnamed group, and `mitrail identities` says so.
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: ArgumentHelp("Read every file as this format instead of recognising it (see `mitrail formats`).", valueName: "id"),
            completion: .list(FormatRegistry.ids))
    var format: String?

    @Option(name: .customLong("observed-at"), help: ArgumentHelp(
        "When the snapshots were taken (ISO 8601, UTC unless an offset is given). Default: a time inside the payload, else the file's modification time.",
        valueName: "time"))
    var observedAt: String?

    @Option(name: .long, help: ArgumentHelp(
        "The group (object ID or display name) of membership lists that do not name it, such as `az ad group member list` output.",
        valueName: "id-or-name"))
    var group: String?

    @Option(name: .customLong("member-id"), help: ArgumentHelp(
        "The member (object ID) of memberOf, getMemberGroups and `az ad group member check` answers, which do not name it.",
        valueName: "id"))
    var memberID: String?

    @Flag(name: .shortAndLong, help: "Print only problems and the total.")
    var quiet = false

    @Argument(help: ArgumentHelp("Files, directories, or - for standard input.", valueName: "path"), completion: .file())
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
        let reporter = IngestReporter(quiet: quiet)
        let status = try StoreFile.writing(at: try store.sqlitePath(command: "ingest")) { evidence in
            let outcomes = try Self.ingest(paths: paths, into: evidence, options: IngestOptions(
                formatID: format, observedAt: observedAt.flatMap(TimestampParser.parse), toolVersion: ToolVersion.current,
                membership: MembershipHints(group: group, memberID: memberID)),
                reporter: reporter)
            reporter.printTotal(outcomes)
            return reporter.exitCode(outcomes)
        }
        throw ExitCode(status)
    }

    /// Expands the paths and ingests every file, reporting as it goes.
    static func ingest(paths: [String], into store: EvidenceStore, options: IngestOptions, reporter: IngestReporter) throws -> [FileOutcome] {
        try IngestPipeline(store: store, options: options, observer: reporter).ingest(paths: paths)
    }
}
