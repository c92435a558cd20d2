import ArgumentParser
import TrailModel
import TrailReport
import TrailStore

struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run a named query (queries/*.sql, built in) or your own query file against the store.",
        discussion: """
            `mitrail query --list` shows every named query with its parameters. Parameters are bound, never pasted \
            into the SQL; times are normalised (2026-03-04T10:00:00Z, or a bare date). Every query runs on a read-only \
            connection: one that would write is refused.

              mitrail query failures_by_code_per_hour \\
                --param since=2026-03-04T10:00:00Z --format csv
              mitrail query identity_activity \\
                --param identity=00000000-0000-0000-0000-0000000000b1
              mitrail query --file my.sql --param node=tvmps_...

            A query file may start with the same header as the built-in ones (name, description and params \
            lines, as docs/QUERIES.md explains); without a params line its :name parameters are all required.
            """
    )

    @OptionGroup var store: StoreOptions

    @Flag(name: .long, help: "List the named queries with their parameters.")
    var list = false

    @Option(name: .long, help: ArgumentHelp("Run the query in this SQL file instead of a named one.", valueName: "path"),
            completion: .file(extensions: ["sql"]))
    var file: String?

    @Flag(name: .long, help: "Print the query's SQL instead of running it.")
    var showSQL = false

    @Option(name: .customLong("param"), help: ArgumentHelp("A parameter of the query.", valueName: "name=value"))
    var parameters: [String] = []

    @Option(name: .long, help: "Output format.")
    var format: TabularFormat = .table

    @Argument(help: ArgumentHelp("The named query to run (see --list).", valueName: "name"), completion: .list(NamedQuery.all.map(\.name)))
    var name: String?

    func validate() throws {
        let chosen = [list, file != nil, name != nil].filter { $0 }.count
        if chosen == 0 { throw ValidationError("Please give a query name, --file PATH, or --list.") }
        if chosen > 1 { throw ValidationError("Please give only one of a query name, --file PATH and --list.") }
        for parameter in parameters where !parameter.contains("=") {
            throw ValidationError("Please give --param as NAME=VALUE (got '\(parameter)').")
        }
    }

    func run() throws {
        if list {
            printList()
            return
        }
        let query = try file.map { try NamedQuery.load(path: $0) } ?? NamedQuery.require(name ?? "")
        if showSQL {
            print(query.sql, terminator: query.sql.hasSuffix("\n") ? "" : "\n")
            return
        }
        let evidence = try EvidenceStore(path: store.path, mode: .readOnly)
        let writer = TabularWriter(format: format) { print($0, terminator: "") }
        try evidence.run(query, parameters: SQLCommand.parse(parameters), columns: writer.begin(columns:), row: writer.add(row:))
        writer.end()
    }

    func printList() {
        switch format {
        case .table: print(QueryListing.text(NamedQuery.all), terminator: "")
        case .json: print(QueryListing.json(NamedQuery.all).rendered())
        case .csv, .ndjson: print(TabularWriter.render(format: format, columns: QueryListing.columns, rows: QueryListing.rows(NamedQuery.all)), terminator: "")
        }
    }
}
