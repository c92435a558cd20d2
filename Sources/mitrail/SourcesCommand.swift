import ArgumentParser
import TrailModel
import TrailReport
import TrailStore

extension TabularFormat: ExpressibleByArgument {}

struct SourcesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources",
        abstract: "List what was ingested: each source with its format, counts and observed-at time.",
        discussion: """
            `observed_at_origin` says where the observed-at time came from: option (--observed-at), payload (a time \
            inside the file), collector (when the `mitrail collect` command that wrote the file finished, from the \
            bundle's manifest), mtime (the file's modification time) or none. `command` is the command that produced \
            the file, as the collector manifest gives it. `status` is 'ingesting' for a source whose ingest was \
            interrupted; ingest it again.
            """
    )

    @OptionGroup var store: ReadStoreOptions

    @Option(name: .long, help: "Output format.")
    var format: TabularFormat = .table

    func run() throws {
        let evidence = try store.openReader()
        printError(StoreFile.readingLine(evidence))
        let columns = ["id", "path", "format", "observed_at", "observed_at_origin", "read", "stored", "rejected", "duplicate", "status", "sha256", "size", "ingested_at", "tool_version", "command"]
        let rows: [[TabularValue]] = try evidence.sources().map { source in
            [.integer(source.id), .text(source.path), .text(source.format), source.observedAt.map(TabularValue.text) ?? .null,
             .text(source.observedAtOrigin), .integer(Int64(source.counts.read)), .integer(Int64(source.counts.stored)),
             .integer(Int64(source.counts.rejected)), .integer(Int64(source.counts.duplicate)), .text(source.status),
             .text(format == .table ? String(source.sha256.prefix(12)) : source.sha256), .integer(source.size),
             .text(source.ingestedAt), .text(source.toolVersion), source.command.map { .text(SourceCommand.shellLine($0)) } ?? .null]
        }
        print(TabularWriter.render(format: format, columns: columns, rows: rows), terminator: "")
    }
}
