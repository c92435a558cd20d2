import Crypto
import Foundation
import TrailStore

/// An incident's schema in the team store: the tables derived from the SQLite store, the team store's own
/// tables, and the functions and view twins the named queries read.
enum IncidentSchema {
    /// `team_schema` key of the digest of the functions and views the schema was made with.
    static let viewsDigestKey = "functions-and-views"

    /// The functions, then every view twin in the order SQLite created the views (so that each view's
    /// dependencies exist before it).
    static func functionAndViewStatements(viewNames: [String]) throws -> [String] {
        guard let functions = PostgresSchemaFiles.file("functions") else { throw TeamStoreError.viewWithoutTwin(name: "functions") }
        var statements = PostgresSQLText.statements(functions)
        for name in viewNames {
            guard let view = PostgresSchemaFiles.views[name] else { throw TeamStoreError.viewWithoutTwin(name: name) }
            statements += PostgresSQLText.statements(view)
        }
        return statements
    }

    static func digest(_ statements: [String]) -> String {
        var hasher = SHA256()
        for statement in statements { hasher.update(data: Data((statement + "\u{0}").utf8)) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Makes the schema when it does not exist; otherwise checks it holds a store of this schema version and the
    /// same tables, and makes the functions and views again when this mitrail's differ. In the open transaction,
    /// with the incident as the search path. True when the schema was made now.
    static func prepare(_ connection: TeamStoreConnection, incident: String, tables: [TableCopy], viewNames: [String],
                        storeVersion: Int) throws -> Bool {
        let functionsAndViews = try functionAndViewStatements(viewNames: viewNames)
        let digest = digest(functionsAndViews)
        let exists = try IncidentCatalog.names(connection).contains(incident)
        if !exists {
            try connection.execute("CREATE SCHEMA IF NOT EXISTS \(IncidentName.quoted(incident))")
            try connection.setIncident(incident)
            for table in tables {
                for statement in table.createStatements { try connection.execute(statement) }
            }
            guard let teamTables = PostgresSchemaFiles.file("team_tables") else { throw TeamStoreError.viewWithoutTwin(name: "team_tables") }
            for statement in PostgresSQLText.statements(teamTables) { try connection.execute(statement) }
            for statement in functionsAndViews { try connection.execute(statement) }
            try connection.setSchemaValue(viewsDigestKey, digest)
            return true
        }
        // Version 0: an incident made by a push that stopped before its first batch; it holds no store yet.
        let version = try IncidentCatalog.schemaVersion(connection, incident: incident)
        guard version == storeVersion || version == 0 else {
            throw TeamStoreError.schemaVersionMismatch(incident: incident, incidentVersion: version, knownVersion: storeVersion)
        }
        try connection.setIncident(incident)
        try checkColumns(connection, incident: incident, tables: tables)
        if try connection.schemaValue(viewsDigestKey) != digest {
            try dropFunctionsAndViews(connection, incident: incident)
            for statement in functionsAndViews { try connection.execute(statement) }
            try connection.setSchemaValue(viewsDigestKey, digest)
        }
        return false
    }

    /// The incident's tables have the columns the store's have, in the same order.
    static func checkColumns(_ connection: TeamStoreConnection, incident: String, tables: [TableCopy]) throws {
        let rows = try connection.rows("""
            SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = $1
            ORDER BY table_name, ordinal_position
            """, [incident])
        var columns: [String: [String]] = [:]
        for row in rows { columns[row[0] ?? "", default: []].append(row[1] ?? "") }
        for table in tables where columns[table.name] != table.columns.map(\.name) {
            throw TeamStoreError.otherStore(incident: incident, reason: "its table \(table.name) has other columns than the store's")
        }
    }

    /// Drops the incident's views and mitrail functions (the tables stay).
    static func dropFunctionsAndViews(_ connection: TeamStoreConnection, incident: String) throws {
        for view in try connection.strings("SELECT table_name::text FROM information_schema.views WHERE table_schema = $1", [incident]) {
            try connection.execute("DROP VIEW IF EXISTS \(TableCopy.quoted(view ?? "")) CASCADE")
        }
        let functions = try connection.strings("""
            SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = $1 AND p.proname LIKE 'mitrail\\_%'
            """, [incident])
        for function in functions { try connection.execute("DROP FUNCTION IF EXISTS \(function ?? "") CASCADE") }
    }
}

extension TeamStoreConnection {
    func schemaValue(_ key: String) throws -> String? {
        try strings("SELECT value FROM team_schema WHERE key = $1", [key]).first ?? nil
    }

    func setSchemaValue(_ key: String, _ value: String) throws {
        _ = try rows("INSERT INTO team_schema (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                     [key, value])
    }
}
