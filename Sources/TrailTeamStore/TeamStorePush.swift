import Foundation
import PostgresNIO
import TrailStore

/// What a push added to the team store.
public struct PushReport: Sendable {
    public var incident: String
    /// True when the push made the incident's schema.
    public var created = false
    public var sourcesAdded = 0
    public var sourcesAlreadyPushed = 0
    /// Sources another process is still ingesting: pushed by a later push.
    public var sourcesBeingIngested = 0
    /// Rows added per table, in the order they were copied (tables with none left out).
    public var rowsAdded: [(table: String, rows: Int)] = []
    /// Values kept exactly in `exact_values` (text with NUL bytes...).
    public var exactValues = 0

    public var recordsAdded: Int { rowsAdded.first { $0.table == "records" }?.rows ?? 0 }
    public var changedNothing: Bool { rowsAdded.isEmpty && !created }
}

/// How far a push is, for a progress line on a terminal.
public struct PushProgress: Sendable {
    public var table: String
    public var rows: Int
    public var recordsDone: Int
    public var recordsTotal: Int
}

/// Copies a verified SQLite store into one incident (schema) of a team store.
///
/// The store is verified first (a changed store is refused); then, from one read snapshot of it, every
/// complete source the incident does not hold yet is copied with `COPY ... FROM STDIN`, in transactions of at
/// most `batchRecords` records (a batch's sources row comes last: a source in the team store is complete).
/// Names and kinds are appended by id, small reference tables copied again when they differ. Pushing the same
/// store again adds nothing; pushing it after more ingest adds its new sources only.
public enum TeamStorePush {
    public static let batchRecords = 500_000

    public static func push(storePath: String, to url: TeamStoreURL, incident: String, toolVersion: String, now: String,
                            environment: [String: String] = ProcessInfo.processInfo.environment,
                            progress: @escaping (PushProgress) -> Void = { _ in }) throws -> PushReport {
        let verified = try verifiedSources(storePath: storePath)
        let snapshot = try SQLiteSnapshot(path: storePath)
        let tables = try PostgresTables.describe(snapshot)
        let viewNames = try snapshot.rows("SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY rowid").compactMap { $0.first ?? nil }
        let storeVersion = try snapshot.rows("SELECT coalesce(max(version), 0) FROM schema_migrations").first?.first?.flatMap { Int($0) } ?? 0
        let sources = try snapshot.rows("""
            SELECT id, sha256, path, ingested_at, coalesce(record_chain, ''), first_record_id, last_record_id, records_stored
            FROM sources WHERE status = 'complete' ORDER BY id
            """).map(StoreSource.init)

        let connection = try TeamStoreConnection(url: url.with(incident: nil), environment: environment)
        defer { connection.close() }
        var report = PushReport(incident: incident)
        try connection.transaction {
            report.created = try IncidentSchema.prepare(connection, incident: incident, tables: tables, viewNames: viewNames,
                                                        storeVersion: storeVersion)
        }
        let pushed = try pushedSources(connection, incident: incident, store: sources)
        let candidates = sources.filter { verified.complete.contains($0.id) }
        let new = candidates.filter { pushed[$0.id] == nil }
        report.sourcesAlreadyPushed = candidates.count - new.count
        report.sourcesBeingIngested = verified.beingIngested

        let copier = TableCopier(snapshot: snapshot, connection: connection, progress: progress,
                                 recordsTotal: new.reduce(0) { $0 + $1.recordsStored })
        let batches = batched(new)
        for (index, batch) in batches.enumerated() {
            try connection.transaction {
                if index == 0 {
                    for table in tables {
                        switch table.scope {
                        case .appendByKey(let key): try copier.appendNewRows(table, key: key)
                        case .whole: try copier.replaceIfChanged(table)
                        default: break
                        }
                    }
                }
                for table in tables {
                    if case .perSource(let key, let recordRange) = table.scope {
                        try copier.copyRows(table, of: batch, key: key, recordRange: recordRange)
                    }
                }
                try copier.copyExactValues()
                if let sourcesTable = tables.first(where: { $0.scope == .sources }) { try copier.copyRows(sourcesTable, of: batch, key: "id", recordRange: false) }
                if index == batches.count - 1 && !copier.added.isEmpty {
                    try connection.rows("""
                        INSERT INTO team_pushes (pushed_at, store_file, tool_version, sources_added, records_added) VALUES ($1, $2, $3, $4::bigint, $5::bigint)
                        """, [now, URL(fileURLWithPath: storePath).lastPathComponent, toolVersion, String(new.count),
                              String(copier.added.first { $0.table == "records" }?.rows ?? 0)])
                }
            }
        }
        report.sourcesAdded = new.count
        report.rowsAdded = copier.added
        report.exactValues = copier.exactValuesCopied
        return report
    }

    /// The store's complete sources that verify finds as ingested, and how many are still being ingested. A
    /// store verify finds changed (or with an interrupted ingest) is refused.
    static func verifiedSources(storePath: String) throws -> (complete: Set<Int64>, beingIngested: Int) {
        let store = try EvidenceStore(path: storePath, mode: .readOnly)
        var problems: [String] = []
        let integrity = try store.integrityCheck()
        if integrity != ["ok"] { problems.append("SQLite integrity check: " + integrity.prefix(3).joined(separator: "; ")) }
        let verifications = try store.verifySources()
        for source in verifications where !source.problems.isEmpty {
            problems.append("source #\(source.id) \(source.path): " + source.problems.joined(separator: ", "))
        }
        guard problems.isEmpty else { throw TeamStoreError.storeChanged(problems: problems) }
        return (Set(verifications.filter { !$0.inProgress }.map(\.id)), verifications.filter(\.inProgress).count)
    }

    /// The sources the incident holds, checked against the store's: a source of the same id must be the same one.
    static func pushedSources(_ connection: TeamStoreConnection, incident: String, store: [StoreSource]) throws -> [Int64: StoreSource] {
        let rows = try connection.rows("SELECT id, sha256, path, ingested_at, coalesce(record_chain, ''), first_record_id, last_record_id, records_stored FROM sources")
        let storeByID = Dictionary(uniqueKeysWithValues: store.map { ($0.id, $0) })
        var pushed: [Int64: StoreSource] = [:]
        for row in rows {
            let source = StoreSource(row)
            guard let mine = storeByID[source.id] else {
                throw TeamStoreError.otherStore(incident: incident, reason: "its source #\(source.id) \(source.path) is not in this store")
            }
            guard mine.sameContent(as: source) else {
                throw TeamStoreError.otherStore(incident: incident, reason: "its source #\(source.id) is \(source.path), this store's is \(mine.path)")
            }
            pushed[source.id] = source
        }
        return pushed
    }

    /// Sources in id order, cut into batches of at most `batchRecords` records (a larger source is a batch alone).
    static func batched(_ sources: [StoreSource]) -> [[StoreSource]] {
        var batches: [[StoreSource]] = []
        var current: [StoreSource] = []
        var records = 0
        for source in sources {
            if !current.isEmpty && records + source.recordsStored > batchRecords {
                batches.append(current)
                current = []
                records = 0
            }
            current.append(source)
            records += source.recordsStored
        }
        if !current.isEmpty || batches.isEmpty { batches.append(current) }
        return batches
    }
}

/// A complete source as the push compares it: what identifies its content, and where its records lie.
struct StoreSource: Sendable {
    let id: Int64
    let sha256: String
    let path: String
    let ingestedAt: String
    let recordChain: String
    let firstRecordID: Int64?
    let lastRecordID: Int64?
    let recordsStored: Int

    init(_ row: [String?]) {
        id = row[0].flatMap { Int64($0) } ?? 0
        sha256 = row[1] ?? ""
        path = row[2] ?? ""
        ingestedAt = row[3] ?? ""
        recordChain = row[4] ?? ""
        firstRecordID = row[5].flatMap { Int64($0) }
        lastRecordID = row[6].flatMap { Int64($0) }
        recordsStored = row[7].flatMap { Int($0) } ?? 0
    }

    func sameContent(as other: StoreSource) -> Bool {
        (sha256, path, ingestedAt, recordChain, firstRecordID, lastRecordID) == (other.sha256, other.path, other.ingestedAt, other.recordChain, other.firstRecordID, other.lastRecordID)
    }
}

extension TeamStoreConnection {
    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    func transaction(_ body: () throws -> Void) throws {
        try execute("BEGIN")
        do {
            try body()
            try execute("COMMIT")
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }
}
