import ArgumentParser
import TrailModel
import TrailReport
import TrailStore
import TrailTeamStore

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

            On a team store (--db postgres://...?incident=NAME) the query's PostgreSQL version runs (a file runs as \
            written, so write it for PostgreSQL); with --all-incidents it runs on every incident, each row led by its \
            incident:

              mitrail query node_identity_not_in_pool \\
                --db postgres://analyst@teamdb/mitrail --all-incidents
            """
    )

    @OptionGroup var store: ReadStoreOptions

    @Flag(name: .long, help: "List the named queries with their parameters.")
    var list = false

    @Option(name: .long, help: ArgumentHelp("Run the query in this SQL file instead of a named one.", valueName: "path"),
            completion: .file(extensions: ["sql"]))
    var file: String?

    @Flag(name: .long, help: "Print the query's SQL instead of running it.")
    var showSQL = false

    @Flag(name: .long, help: "Run the query on every incident of the team store --db names (postgres://USER@HOST/DB).")
    var allIncidents = false

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
        if allIncidents && !store.isTeamStore {
            throw ValidationError("Please give --db postgres://USER@HOST/DB with --all-incidents: it asks every incident of a team store.")
        }
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
            let sql = try query.sql(for: store.isTeamStore ? .postgres : .sqlite)
            print(sql, terminator: sql.hasSuffix("\n") ? "" : "\n")
            return
        }
        let writer = TabularWriter(format: format) { print($0, terminator: "") }
        if allIncidents {
            let skipped = try TeamStoreIncidents.run(query, parameters: SQLCommand.parse(parameters), url: TeamStoreURL(store.path),
                                                     columns: writer.begin(columns:), row: writer.add(row:))
            writer.end()
            if !skipped.isEmpty {
                printError("note: skipped \(skipped.joined(separator: ", ")): pushed with another store schema version than this mitrail reads")
            }
            return
        }
        let evidence = try store.openReader()
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
