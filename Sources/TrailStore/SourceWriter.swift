import Foundation
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
    /// When the command that wrote the file finished, from a `mitrail collect` manifest.
    case collector
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
    /// The command that produced the file (its arguments, `az` first), when a collector manifest says.
    public var command: [String]?

    public init(
        path: String, sha256: String, size: Int64, format: String,
        observedAt: Timestamp?, observedAtOrigin: ObservedAtOrigin, parentID: Int64? = nil, command: [String]? = nil
    ) {
        self.path = path
        self.sha256 = sha256
        self.size = size
        self.format = format
        self.observedAt = observedAt
        self.observedAtOrigin = observedAtOrigin
        self.parentID = parentID
        self.command = command
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

/// A record ready to store: its column values, with the digest that makes re-ingest a no-op.
///
/// Built on the parsing thread (fields as JSON, time as text) so that the writer thread only binds and steps.
public struct StorableRecord: Sendable {
    public var kind: String
    public var line: Int64?
    public var pointer: String?
    /// The record's time as stored text.
    public var timeText: String?
    public var timeOrigin: String
    /// The extracted fields as a JSON object.
    public var fields: String
    public var raw: String
    /// 16 bytes identifying the record's content (see `records.digest`).
    public var digest: [UInt8]
    /// SHA-256 of all of the above, for the record chain (`RecordChain.contentHash`).
    public var contentHash: [UInt8]

    public init(record: EvidenceRecord, digest: [UInt8], timeText: String?) {
        kind = record.kind.rawValue
        line = record.position.line.map(Int64.init)
        pointer = record.position.pointer
        self.timeText = timeText
        timeOrigin = record.timeOrigin.rawValue
        fields = record.fields.json
        raw = record.raw
        self.digest = digest
        contentHash = RecordChain.contentHash(kind: kind, line: line, pointer: pointer, time: timeText, timeOrigin: timeOrigin,
                                              fields: fields, raw: raw, digest: digest)
    }
}

/// Writes one source and its records, in batches of one transaction each.
///
/// The source row is written first with status `ingesting` (and the process
/// writing it) and marked `complete` by `finish()`, so a crash never leaves a
/// partial source that looks complete; the next ingest of the same content
/// removes the leftovers once their process is gone.
/// Each stored record extends the source's record chain (see `RecordChain`).
///
/// Batches are written on a writer thread of their own while the caller parses the next one: with two
/// cores, parsing and SQLite's inserts overlap. At most `maximumBatchesInFlight` batches wait, so memory
/// stays bounded whatever the input's size. `add` and `finish` are called from one thread; the writer
/// thread alone touches the chain and the counts until `finish` has waited for it.
public final class SourceWriter: @unchecked Sendable {
    public let sourceID: Int64
    private let store: EvidenceStore
    private let batchSize: Int
    private var batch = Batch()
    private let writerQueue = DispatchQueue(label: "mitrail.source-writer")
    private let slots: DispatchSemaphore
    /// Writer thread only.
    private var chain = RecordChain()
    private var writtenCounts = SourceCounts()
    /// The first error of the writer thread; no batch is written after it.
    private let failure = FailureBox()

    /// How many batches may wait for the writer thread (besides the one being filled).
    static let maximumBatchesInFlight = 2

    /// A batch is handed over at `batchSize` records or this many bytes of text, whichever comes first: large
    /// records (pretty-printed ARM objects, HAR entries) would otherwise make three batches weigh tens of MiB.
    static let maximumBatchBytes = 2 << 20

    struct Batch: Sendable {
        var records: [StorableRecord] = []
        var rejects: [RejectedRecord] = []
        var bytes = 0
        var isEmpty: Bool { records.isEmpty && rejects.isEmpty }
        var count: Int { records.count + rejects.count }
    }

    public init(store: EvidenceStore, source: SourceDescriptor, toolVersion: String, now: Timestamp = .now, batchSize: Int = 5_000) throws {
        self.store = store
        self.batchSize = batchSize
        slots = DispatchSemaphore(value: Self.maximumBatchesInFlight)
        sourceID = try store.queue.write { db in
            for unfinished in try Row.fetchAll(db, sql: StoreStatements.unfinishedSources, arguments: [source.sha256, source.path])
            where IngestingProcess(pid: unfinished["ingest_pid"], host: unfinished["ingest_host"]).isGone {
                try db.execute(sql: StoreStatements.deleteSource, arguments: [unfinished["id"]])
            }
            try db.execute(sql: StoreStatements.insertSource, arguments: [
                source.path, source.sha256, source.size, source.format, source.observedAt?.iso8601,
                source.observedAtOrigin.rawValue, now.iso8601, toolVersion, source.parentID,
                IngestingProcess.current.pid, IngestingProcess.current.host, source.command.map(SourceCommand.json),
            ])
            return db.lastInsertedRowID
        }
        batch.records.reserveCapacity(batchSize)
    }

    public func add(_ record: StorableRecord) throws {
        batch.records.append(record)
        batch.bytes += record.raw.utf8.count + record.fields.utf8.count
        if batch.count >= batchSize || batch.bytes >= Self.maximumBatchBytes { try flush() }
    }

    public func add(_ reject: RejectedRecord) throws {
        batch.rejects.append(reject)
        batch.bytes += reject.excerpt.utf8.count
        if batch.count >= batchSize || batch.bytes >= Self.maximumBatchBytes { try flush() }
    }

    /// Hands what is pending to the writer thread, to be stored in one transaction. Throws the writer's
    /// error, should an earlier batch have failed.
    public func flush() throws {
        if let error = failure.error { throw error }
        guard !batch.isEmpty else { return }
        let pending = batch
        batch = Batch()
        batch.records.reserveCapacity(batchSize)
        slots.wait()
        writerQueue.async { [self] in
            defer { slots.signal() }
            guard failure.error == nil else { return }
            do {
                try store.queue.write { db in try write(pending, db) }
            } catch {
                failure.set(error)
            }
        }
    }

    /// Stores the rest and marks the source complete with its counts and the end of its record chain.
    /// `sha256` and `size`, when given, replace those the source was started with: they describe the
    /// bytes actually parsed, should the file have changed after it was first hashed.
    @discardableResult
    public func finish(sha256: String? = nil, size: Int64? = nil) throws -> SourceCounts {
        try flush()
        let (counts, link) = writerQueue.sync { (writtenCounts, chain.link) }
        if let error = failure.error { throw error }
        try store.queue.write { db in
            try db.execute(sql: StoreStatements.completeSource, arguments: [
                counts.read, counts.stored, counts.rejected, counts.duplicate, RecordChain.hex(link), RecordChain.version,
                sha256, size, sourceID,
            ])
        }
        return counts
    }

    /// Writer thread: one batch in the open transaction.
    private func write(_ batch: Batch, _ db: Database) throws {
        try insertRecords(batch.records, db)
        try insertRejects(batch.rejects, db)
    }

    private func insertRecords(_ records: [StorableRecord], _ db: Database) throws {
        let statement = try db.cachedStatement(sql: StoreStatements.insertRecord)
        let handle = statement.sqliteStatement
        for record in records {
            let link = chain.candidate(for: record)
            sqlite3_reset(handle)
            sqlite3_bind_int64(handle, 1, sourceID)
            bindInteger(handle, 3, record.line)
            bindText(handle, 4, record.pointer)
            bindText(handle, 5, record.timeText)
            bindBlob(handle, 9, record.digest)
            bindBlob(handle, 10, link)
            // The long texts are bound without a copy: SQLite reads them during the step, inside these closures.
            let code = withText(record.kind) { kind in
                withText(record.timeOrigin) { timeOrigin in
                    withText(record.fields) { fields in
                        withText(record.raw) { raw in
                            bindStatic(handle, 2, kind)
                            bindStatic(handle, 6, timeOrigin)
                            bindStatic(handle, 7, fields)
                            bindStatic(handle, 8, raw)
                            return sqlite3_step(handle)
                        }
                    }
                }
            }
            guard code == SQLITE_DONE else {
                sqlite3_clear_bindings(handle)
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
            }
            writtenCounts.read += 1
            if sqlite3_changes(db.sqliteConnection) > 0 {
                writtenCounts.stored += 1
                chain.take(link)
            } else {
                writtenCounts.duplicate += 1
            }
        }
        sqlite3_reset(handle)
        // No binding may outlive the texts it points into.
        sqlite3_clear_bindings(handle)
    }

    private func insertRejects(_ rejects: [RejectedRecord], _ db: Database) throws {
        let statement = try db.cachedStatement(sql: StoreStatements.insertReject)
        for reject in rejects {
            try statement.execute(arguments: [
                sourceID, reject.position.line, reject.position.pointer, reject.reason, reject.excerpt,
            ])
            writtenCounts.read += 1
            writtenCounts.rejected += 1
        }
    }
}

/// The writer thread's first error, read by the caller's thread.
private final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Error?

    var error: Error? { lock.withLock { stored } }

    func set(_ error: Error) {
        lock.withLock { if stored == nil { stored = error } }
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

/// Calls `body` with the text's UTF-8 bytes (valid only inside it).
func withText<Result>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
    var text = text
    return text.withUTF8(body)
}

/// Binds bytes SQLite may read until the statement is reset or rebound: only inside `withText`.
func bindStatic(_ handle: OpaquePointer?, _ index: Int32, _ bytes: UnsafeBufferPointer<UInt8>) {
    guard let base = bytes.baseAddress, bytes.count > 0 else {
        // An empty text still binds as text, not NULL.
        _ = sqlite3_bind_text(handle, index, "", 0, nil)
        return
    }
    _ = sqlite3_bind_text(handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(bytes.count), nil)
}

func bindBlob(_ handle: OpaquePointer?, _ index: Int32, _ bytes: [UInt8]) {
    bytes.withUnsafeBytes { _ = sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), sqliteTransient) }
}

func bindInteger(_ handle: OpaquePointer?, _ index: Int32, _ value: Int64?) {
    if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
}
