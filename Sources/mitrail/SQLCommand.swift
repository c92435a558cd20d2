import ArgumentParser
import TrailModel
import TrailReport
import TrailStore

struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Run one read-only SQL statement against the store.",
        discussion: """
            The store is opened read-only: INSERT, UPDATE, DELETE, DROP and every other statement that writes are \
            refused. Values go in as named parameters, never pasted into the SQL:

              mitrail sql "SELECT * FROM role_assignments WHERE principal_id = :p" \\
                --param p=00000000-0000-0000-0000-0000000000a1

            Useful views: timeline, failures, token_requests, identity_sightings, role_assignment_history, \
            role_assignments, agent_log_lines, source_summary, reject_list (docs/QUERIES.md describes their columns); \
            tables: sources, records, rejects. `mitrail query --list` shows ready-made queries; `mitrail sql "SELECT \
            name, sql FROM sqlite_master"` shows the schema.
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: "Output format.")
    var format: TabularFormat = .table

    @Option(name: .customLong("param"), help: ArgumentHelp("A named parameter for :NAME in the SQL.", valueName: "name=value"))
    var parameters: [String] = []

    @Argument(help: ArgumentHelp("The SQL statement (one).", valueName: "sql"))
    var sql: String

    func validate() throws {
        for parameter in parameters where !parameter.contains("=") {
            throw ValidationError("Please give --param as NAME=VALUE (got '\(parameter)').")
        }
    }

    func run() throws {
        let evidence = try EvidenceStore(path: try store.sqlitePath(command: "sql"), mode: .readOnly)
        let writer = TabularWriter(format: format) { print($0, terminator: "") }
        try evidence.runReadOnly(sql: sql, arguments: Self.parse(parameters), columns: writer.begin(columns:), row: writer.add(row:))
        writer.end()
    }

    static func parse(_ parameters: [String]) -> [String: String] {
        var values: [String: String] = [:]
        for parameter in parameters {
            let pieces = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = pieces[0].hasPrefix(":") ? String(pieces[0].dropFirst()) : String(pieces[0])
            values[name] = pieces.count > 1 ? String(pieces[1]) : ""
        }
        return values
    }
}
