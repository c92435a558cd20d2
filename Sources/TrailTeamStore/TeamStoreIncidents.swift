import Foundation
import TrailModel
import TrailStore

/// The incidents of a team store, and named queries run over all of them.
public enum TeamStoreIncidents {
    /// One incident as `mitrail incidents` lists it.
    public struct Summary: Sendable, Equatable {
        public var name: String
        public var sources: Int64
        public var records: Int64
        public var rejected: Int64
        /// The time span of its records (ISO 8601), nil when none has a time.
        public var firstTime: String?
        public var lastTime: String?
        public var schemaVersion: Int64
        /// The last push that added something: when, and from which store file.
        public var lastPushAt: String?
        public var storeFile: String?
    }

    /// Every incident with its counts and time span, by name.
    public static func list(url: TeamStoreURL, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [Summary] {
        let connection = try TeamStoreConnection(url: url.with(incident: nil), environment: environment)
        defer { connection.close() }
        let names = try IncidentCatalog.names(connection)
        guard !names.isEmpty else { return [] }
        // Incident names are validated schema names: quoting them is all they need (values are never pasted).
        let branches = names.map { name -> String in
            let schema = IncidentName.quoted(name)
            return """
                SELECT '\(name)' AS name, count(*) AS sources, coalesce(sum(s.records_stored), 0) AS records,
                       coalesce(sum(s.records_rejected), 0) AS rejected,
                       \(schema).mitrail_time_text(min(s.first_time_ms)) AS first_time, \(schema).mitrail_time_text(max(s.last_time_ms)) AS last_time,
                       (SELECT coalesce(max(version), 0) FROM \(schema).schema_migrations) AS schema_version,
                       (SELECT pushed_at FROM \(schema).team_pushes ORDER BY id DESC LIMIT 1) AS last_push_at,
                       (SELECT store_file FROM \(schema).team_pushes ORDER BY id DESC LIMIT 1) AS store_file
                FROM \(schema).sources s
                """
        }
        let sql = branches.joined(separator: "\nUNION ALL\n") + "\nORDER BY name"
        return try connection.rows(sql).map { row in
            Summary(name: row[0] ?? "", sources: Int64(row[1] ?? "") ?? 0, records: Int64(row[2] ?? "") ?? 0,
                    rejected: Int64(row[3] ?? "") ?? 0, firstTime: row[4], lastTime: row[5], schemaVersion: Int64(row[6] ?? "") ?? 0,
                    lastPushAt: row[7], storeFile: row[8])
        }
    }

    /// Runs a named query over every incident this mitrail can read (same store schema version), in one
    /// read-only snapshot of the team store: the rows of each incident in turn, by incident name, each with an
    /// `incident` column first (the UNION ALL of the query over every incident schema). Incidents of another
    /// schema version are skipped and returned.
    @discardableResult
    public static func run(
        _ query: NamedQuery,
        parameters: [String: String],
        url: TeamStoreURL,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        columns: ([String]) throws -> Void,
        row: ([TabularValue]) throws -> Void
    ) throws -> [String] {
        let connection = try TeamStoreConnection(url: url.with(incident: nil), environment: environment)
        defer { connection.close() }
        var readable: [String] = []
        var skipped: [String] = []
        for name in try IncidentCatalog.names(connection) {
            if try IncidentCatalog.schemaVersion(connection, incident: name) == Migration.latestVersion {
                readable.append(name)
            } else {
                skipped.append(name)
            }
        }
        try connection.execute("START TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        defer { try? connection.execute("COMMIT") }
        var sentColumns = false
        for name in readable {
            let reader = try TeamStoreReader(connection: connection, incident: name)
            reader.ownsTransaction = false
            try reader.run(query, parameters: parameters, columns: { names in
                if !sentColumns { try columns(["incident"] + names) }
                sentColumns = true
            }) { cells in
                try row([.text(name)] + cells)
            }
        }
        if !sentColumns {
            // No incident: the header still names the query's columns where the SQL is known.
            try columns(["incident"])
        }
        return skipped
    }
}
