import Foundation
import PostgresNIO
import TrailModel
import TrailStore

/// One incident of a team store, read as the read commands read an SQLite store: the PostgreSQL twins of the
/// named queries, over the incident's schema (the session's search path), with parameters bound as text.
///
/// Reads run in read-only transactions; explain and the other commands see the same rows as on the SQLite file
/// the incident was pushed from.
public final class TeamStoreReader: EvidenceReader, @unchecked Sendable {
    public let connection: TeamStoreConnection
    public let incident: String
    /// False when the caller holds a transaction open around several statements (`--all-incidents`).
    var ownsTransaction = true

    public var dialect: SQLDialect { .postgres }

    /// Connects to the incident the URL names; an unknown incident is an error that lists the known ones.
    public init(url: TeamStoreURL, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let incident = url.incident else { throw TeamStoreError.noIncidentNamed }
        connection = try TeamStoreConnection(url: url.with(incident: nil), environment: environment)
        self.incident = incident
        let known = try IncidentCatalog.names(connection)
        guard known.contains(incident) else {
            connection.close()
            throw TeamStoreError.incidentMissing(name: incident, known: known)
        }
        try IncidentCatalog.checkSchemaVersion(connection, incident: incident)
        try connection.setIncident(incident)
    }

    /// An incident on a connection already open (`--all-incidents` reads them in turn).
    init(connection: TeamStoreConnection, incident: String) throws {
        self.connection = connection
        self.incident = incident
        try connection.setIncident(incident)
    }

    public func close() {
        connection.close()
    }

    public func runReadOnly(
        sql: String,
        arguments: [String: String?],
        columns: ([String]) throws -> Void,
        row: ([TabularValue]) throws -> Void
    ) throws {
        let (positional, names) = PostgresSQLText.positional(sql)
        var bindings = PostgresBindings(capacity: names.count)
        for name in names {
            guard let value = arguments[name] else { throw StoreError.missingParameter(name: name, expected: names) }
            bindings.append(PostgresData(type: .text, value: value.map { ByteBuffer(string: $0) }))
        }
        let query = PostgresQuery(unsafeSQL: positional, binds: bindings)
        let ownsTransaction = self.ownsTransaction
        try withoutActuallyEscaping(columns) { columns in
            try withoutActuallyEscaping(row) { row in
                // The handlers run on the task's thread while this one waits (see TeamStoreConnection).
                let handlers = UncheckedTransfer((columns: columns, row: row))
                // withoutActuallyEscaping checks that nothing holds the closures afterwards: the box lets go of them.
                defer { handlers.value = (columns: { _ in }, row: { _ in }) }
                try connection.run { connection, logger in
                    if ownsTransaction { try await connection.query("START TRANSACTION READ ONLY", logger: logger) }
                    do {
                        let rows = try await connection.query(query, logger: logger)
                        try handlers.value.columns(rows.columns.map(\.name))
                        for try await pgRow in rows {
                            try handlers.value.row(pgRow.map(PostgresValues.value))
                        }
                        if ownsTransaction { try await connection.query("COMMIT", logger: logger) }
                    } catch {
                        if ownsTransaction { _ = try? await connection.query("ROLLBACK", logger: logger) }
                        throw error
                    }
                }
            }
        }
    }

    public func parameterNames(in sql: String) throws -> [String] {
        PostgresSQLText.positional(sql).names
    }
}
