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
/// The store is verified (a changed store is refused) while, from one read snapshot of it, every complete source
/// the incident does not hold yet is copied with `COPY ... FROM STDIN`, in transactions of at most `batchRecords`
/// records (a batch's sources row comes last: a source in the team store is complete). No transaction commits
/// before the verification has passed: a refused store leaves nothing behind, not even its schema.
/// Names and kinds are appended by id, small reference tables copied again when they differ. Pushing the same
/// store again adds nothing; pushing it after more ingest adds its new sources only.
public enum TeamStorePush {
    public static let batchRecords = 500_000

    public static func push(storePath: String, to url: TeamStoreURL, incident: String, toolVersion: String, now: String,
                            environment: [String: String] = ProcessInfo.processInfo.environment,
                            progress: @escaping (PushProgress) -> Void = { _ in }) throws -> PushReport {
        _ = try EvidenceStore(path: storePath, mode: .readOnly)  // refuses a store of another schema version
        let snapshot = try SQLiteSnapshot(path: storePath)
        let tables = try PostgresTables.describe(snapshot)
        let viewNames = try snapshot.rows("SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY rowid").compactMap { $0.first ?? nil }
        let storeVersion = try snapshot.rows("SELECT coalesce(max(version), 0) FROM schema_migrations").first?.first?.flatMap { Int($0) } ?? 0
        let sources = try snapshot.rows("""
            SELECT id, sha256, path, ingested_at, coalesce(record_chain, ''), first_record_id, last_record_id, records_stored
            FROM sources WHERE status = 'complete' ORDER BY id
            """).map(StoreSource.init)
        // Verify runs beside the copy, from a snapshot no older than the copy's (a source complete in the copy's is
        // complete in verify's): nothing is committed before it says the store is as ingested.
        let verification = StoreVerification(storePath: storePath)

        let connection = try TeamStoreConnection(url: url.with(incident: nil), environment: environment)
        defer { connection.close() }
        var report = PushReport(incident: incident)
        var batches: [[StoreSource]] = [[]]
        var copier: TableCopier?
        var index = 0
        repeat {
            try connection.transaction {
                if index == 0 {
                    report.created = try IncidentSchema.prepare(connection, incident: incident, tables: tables, viewNames: viewNames,
                                                                storeVersion: storeVersion)
                    let pushed = try pushedSources(connection, incident: incident, store: sources)
                    let new = sources.filter { pushed[$0.id] == nil }
                    report.sourcesAlreadyPushed = sources.count - new.count
                    report.sourcesAdded = new.count
                    batches = batched(new)
                    copier = TableCopier(snapshot: snapshot, connection: connection, progress: progress,
                                         recordsTotal: new.reduce(0) { $0 + $1.recordsStored })
                    for table in tables {
                        switch table.scope {
                        case .appendByKey(let key): try copier!.appendNewRows(table, key: key)
                        case .whole: try copier!.replaceIfChanged(table)
                        default: break
                        }
                    }
                }
                try copyBatch(batches[index], tables: tables, copier: copier!)
                if index == batches.count - 1 && !copier!.added.isEmpty {
                    try connection.rows("""
                        INSERT INTO team_pushes (pushed_at, store_file, tool_version, sources_added, records_added) VALUES ($1, $2, $3, $4::bigint, $5::bigint)
                        """, [now, URL(fileURLWithPath: storePath).lastPathComponent, toolVersion, String(report.sourcesAdded),
                              String(copier!.added.first { $0.table == "records" }?.rows ?? 0)])
                }
                report.sourcesBeingIngested = try verification.result().beingIngested
            }
            index += 1
        } while index < batches.count
        report.rowsAdded = copier?.added ?? []
        report.exactValues = copier?.exactValuesCopied ?? 0
        return report
    }

    /// One batch's rows of every per-source table, its exact values, then its sources rows.
    static func copyBatch(_ batch: [StoreSource], tables: [TableCopy], copier: TableCopier) throws {
        for table in tables {
            if case .perSource(let key, let recordRange) = table.scope {
                try copier.copyRows(table, of: batch, key: key, recordRange: recordRange)
            }
        }
        try copier.copyExactValues()
        if let sourcesTable = tables.first(where: { $0.scope == .sources }) {
            try copier.copyRows(sourcesTable, of: batch, key: "id", recordRange: false)
        }
    }

    /// How many sources are still being ingested; a store verify finds changed (or with an interrupted ingest)
    /// is refused.
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

/// `verify` of the store being pushed, on a thread of its own, so that it runs while the copy does.
final class StoreVerification: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var outcome: Result<(complete: Set<Int64>, beingIngested: Int), any Error>?
    private let lock = NSLock()

    init(storePath: String) {
        Thread.detachNewThread { [self] in
            let outcome = Result { try TeamStorePush.verifiedSources(storePath: storePath) }
            lock.withLock { self.outcome = outcome }
            done.signal()
        }
    }

    /// Waits for the verification; throws `storeChanged` when it found the store changed.
    func result() throws -> (complete: Set<Int64>, beingIngested: Int) {
        if let outcome = lock.withLock({ outcome }) { return try outcome.get() }
        done.wait()
        done.signal()
        return try lock.withLock { outcome! }.get()
    }
}
