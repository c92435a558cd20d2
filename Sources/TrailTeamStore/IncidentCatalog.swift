import Foundation
import PostgresNIO
import TrailModel
import TrailStore

/// The incidents of a team store: the schemas that hold a pushed store.
enum IncidentCatalog {
    /// An incident's schema is one with the team store's `team_pushes` table.
    static let namesSQL = """
        SELECT n.nspname::text FROM pg_namespace n JOIN pg_class c ON c.relnamespace = n.oid
        WHERE c.relname = 'team_pushes' AND c.relkind = 'r' ORDER BY 1
        """

    static func names(_ connection: TeamStoreConnection) throws -> [String] {
        try connection.strings(namesSQL).compactMap { $0 }
    }

    /// The store schema version an incident was pushed with.
    static func schemaVersion(_ connection: TeamStoreConnection, incident: String) throws -> Int {
        let sql = "SELECT coalesce(max(version), 0)::text FROM \(IncidentName.quoted(incident)).schema_migrations"
        return try connection.strings(sql).first.flatMap { $0.flatMap(Int.init) } ?? 0
    }

    /// Refuses an incident this mitrail's twins were not written for.
    static func checkSchemaVersion(_ connection: TeamStoreConnection, incident: String) throws {
        let version = try schemaVersion(connection, incident: incident)
        guard version == Migration.latestVersion else {
            throw TeamStoreError.schemaVersionMismatch(incident: incident, incidentVersion: version, knownVersion: Migration.latestVersion)
        }
    }
}

extension TeamStoreConnection {
    /// The first column of every row of a text statement, as text (NULL as nil).
    func strings(_ sql: String, _ arguments: [String?] = []) throws -> [String?] {
        try rows(sql, arguments).map { $0.first ?? nil }
    }

    /// Every row of a statement with text parameters ($1, $2...), each column as text (NULL as nil).
    @discardableResult
    func rows(_ sql: String, _ arguments: [String?] = []) throws -> [[String?]] {
        var bindings = PostgresBindings(capacity: arguments.count)
        for argument in arguments { bindings.append(PostgresData(type: .text, value: argument.map { ByteBuffer(string: $0) })) }
        let query = PostgresQuery(unsafeSQL: sql, binds: bindings)
        return try run { connection, logger in
            var rows: [[String?]] = []
            for try await row in try await connection.query(query, logger: logger) {
                rows.append(row.map { cell in
                    switch PostgresValues.value(cell) {
                    case .null: return nil
                    case .integer(let value): return String(value)
                    case .real(let value): return String(value)
                    case .text(let text): return text
                    case .blob(let bytes): return String(decoding: bytes, as: UTF8.self)
                    }
                })
            }
            return rows
        }
    }
}
