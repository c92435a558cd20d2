import GRDB
import GRDBSQLite
import TrailModel

/// Where a source's observed-at time came from.
public enum ObservedAtOrigin: String, Sendable {
    /// The user said when (`--observed-at`).
    case option
    /// A time inside the payload.
    case payload
    /// The file's modification time.
    case mtime
    /// Unknown (standard input with no time in it).
    case none
}

/// The provenance of one source: what was read, from where, and when it was observed.
public struct SourceDescriptor: Sendable {
    public var path: String
    public var sha256: String
    public var size: Int64
    public var format: String
    public var observedAt: Timestamp?
    public var observedAtOrigin: ObservedAtOrigin
    public var parentID: Int64?

    public init(
        path: String, sha256: String, size: Int64, format: String,
        observedAt: Timestamp?, observedAtOrigin: ObservedAtOrigin, parentID: Int64? = nil
    ) {
        self.path = path
        self.sha256 = sha256
        self.size = size
        self.format = format
        self.observedAt = observedAt
        self.observedAtOrigin = observedAtOrigin
        self.parentID = parentID
    }
}

/// How many records of a source were read, stored, rejected, or already in the store.
public struct SourceCounts: Equatable, Sendable {
    public var read = 0
    public var stored = 0
    public var rejected = 0
    public var duplicate = 0

    public init(read: Int = 0, stored: Int = 0, rejected: Int = 0, duplicate: Int = 0) {
        self.read = read
        self.stored = stored
        self.rejected = rejected
        self.duplicate = duplicate
    }

    public static func + (lhs: SourceCounts, rhs: SourceCounts) -> SourceCounts {
        SourceCounts(
            read: lhs.read + rhs.read, stored: lhs.stored + rhs.stored,
            rejected: lhs.rejected + rhs.rejected, duplicate: lhs.duplicate + rhs.duplicate)
    }
}

/// A record ready to store: the evidence plus the digest that makes re-ingest a no-op.
public struct StorableRecord: Sendable {
    public var record: EvidenceRecord
    /// 16 bytes identifying the record's content (see `records.digest`).
    public var digest: [UInt8]
    /// The record's time as stored text, formatted once.
    public var timeText: String?

    public init(record: EvidenceRecord, digest: [UInt8], timeText: String?) {
        self.record = record
        self.digest = digest
        self.timeText = timeText
    }
}

/// Writes one source and its records, in batches of one transaction each.
///
/// The source row is written first with status `ingesting` (and the process
/// writing it) and marked `complete` by `finish()`, so a crash never leaves a
/// partial source that looks complete; the next ingest of the same content
/// removes the leftovers once their process is gone.
/// Each stored record extends the source's record chain (see `RecordChain`).
public final class SourceWriter {
    public let sourceID: Int64
    public private(set) var counts = SourceCounts()
    private let store: EvidenceStore
    private var chain = RecordChain()
    private var pendingRecords: [StorableRecord] = []
    private var pendingRejects: [RejectedRecord] = []
    private let batchSize: Int

    public init(store: EvidenceStore, source: SourceDescriptor, toolVersion: String, now: Timestamp = .now, batchSize: Int = 5_000) throws {
        self.store = store
        self.batchSize = batchSize
        sourceID = try store.queue.write { db in
            for unfinished in try Row.fetchAll(db, sql: StoreStatements.unfinishedSources, arguments: [source.sha256, source.path])
            where IngestingProcess(pid: unfinished["ingest_pid"], host: unfinished["ingest_host"]).isGone {
                try db.execute(sql: StoreStatements.deleteSource, arguments: [unfinished["id"]])
            }
            try db.execute(sql: StoreStatements.insertSource, arguments: [
                source.path, source.sha256, source.size, source.format, source.observedAt?.iso8601,
                source.observedAtOrigin.rawValue, now.iso8601, toolVersion, source.parentID,
                IngestingProcess.current.pid, IngestingProcess.current.host,
            ])
            return db.lastInsertedRowID
        }
    }

    public func add(_ record: StorableRecord) throws {
        counts.read += 1
        pendingRecords.append(record)
        if pendingRecords.count >= batchSize { try flush() }
    }

    public func add(_ reject: RejectedRecord) throws {
        counts.read += 1
        counts.rejected += 1
        pendingRejects.append(reject)
        if pendingRejects.count >= batchSize { try flush() }
    }

    /// Stores what is pending in one transaction.
    public func flush() throws {
        guard !pendingRecords.isEmpty || !pendingRejects.isEmpty else { return }
        try store.queue.write { db in
            try insertPendingRecords(db)
            try insertPendingRejects(db)
        }
        pendingRecords.removeAll(keepingCapacity: true)
        pendingRejects.removeAll(keepingCapacity: true)
    }

    /// Stores the rest and marks the source complete with its counts and the end of its record chain.
    /// `sha256` and `size`, when given, replace those the source was started with: they describe the
    /// bytes actually parsed, should the file have changed after it was first hashed.
    @discardableResult
    public func finish(sha256: String? = nil, size: Int64? = nil) throws -> SourceCounts {
        try flush()
        try store.queue.write { db in
            try db.execute(sql: StoreStatements.completeSource, arguments: [
                counts.read, counts.stored, counts.rejected, counts.duplicate, RecordChain.hex(chain.link), sha256, size, sourceID,
            ])
        }
        return counts
    }

    private func insertPendingRecords(_ db: Database) throws {
        let statement = try db.cachedStatement(sql: StoreStatements.insertRecord)
        let handle = statement.sqliteStatement
        for pending in pendingRecords {
            let record = pending.record
            let fields = record.fields.json
            let link = chain.candidate(for: pending, fields: fields)
            sqlite3_reset(handle)
            sqlite3_bind_int64(handle, 1, sourceID)
            bindText(handle, 2, record.kind.rawValue)
            bindInteger(handle, 3, record.position.line.map(Int64.init))
            bindText(handle, 4, record.position.pointer)
            bindText(handle, 5, pending.timeText)
            bindText(handle, 6, record.timeOrigin.rawValue)
            bindText(handle, 7, fields)
            bindText(handle, 8, record.raw)
            bindBlob(handle, 9, pending.digest)
            bindBlob(handle, 10, link)
            let code = sqlite3_step(handle)
            guard code == SQLITE_DONE else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
            if sqlite3_changes(db.sqliteConnection) > 0 {
                counts.stored += 1
                chain.take(link)
            } else {
                counts.duplicate += 1
            }
        }
        sqlite3_reset(handle)
    }

    private func insertPendingRejects(_ db: Database) throws {
        let statement = try db.cachedStatement(sql: StoreStatements.insertReject)
        for reject in pendingRejects {
            try statement.execute(arguments: [
                sourceID, reject.position.line, reject.position.pointer, reject.reason, reject.excerpt,
            ])
        }
    }
}

/// SQLite's SQLITE_TRANSIENT: the bound bytes are copied before the call returns.
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

func bindText(_ handle: OpaquePointer?, _ index: Int32, _ text: String?) {
    guard var text else {
        sqlite3_bind_null(handle, index)
        return
    }
    text.withUTF8 { bytes in
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            _ = sqlite3_bind_text(handle, index, "", 0, nil)
            return
        }
        _ = UnsafeRawPointer(base).withMemoryRebound(to: CChar.self, capacity: bytes.count) {
            sqlite3_bind_text(handle, index, $0, Int32(bytes.count), sqliteTransient)
        }
    }
}

func bindBlob(_ handle: OpaquePointer?, _ index: Int32, _ bytes: [UInt8]) {
    bytes.withUnsafeBytes { _ = sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), sqliteTransient) }
}

func bindInteger(_ handle: OpaquePointer?, _ index: Int32, _ value: Int64?) {
    if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
}
