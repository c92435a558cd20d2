import Foundation
import GRDB
import GRDBSQLite
import TrailModel

/// Writes one source and its records, in batches of one transaction each.
///
/// The source row is written first with status `ingesting` (and the process
/// writing it) and marked `complete` by `finish()`, so a crash never leaves a
/// partial source that looks complete; the next ingest of the same content
/// removes the leftovers once their process is gone.
/// Each stored record extends the source's record chain (see `RecordChain`); each batch records where the
/// source's rows lie (`first_record_id`, `last_record_id`), so that they can be found and removed without an
/// index on `source_id`.
///
/// Batches are written on a writer thread of their own while the caller parses the next one: with two
/// cores, parsing and SQLite's inserts overlap. At most `maximumBatchesInFlight` batches wait, so memory
/// stays bounded whatever the input's size. `add` and `finish` are called from one thread; the writer
/// thread alone touches the chain, the counts and the lookups until `finish` has waited for it.
public final class SourceWriter: @unchecked Sendable {
    public let sourceID: Int64
    private let store: EvidenceStore
    private let batchSize: Int
    private var batch = Batch()
    private let writerQueue = DispatchQueue(label: "mitrail.source-writer")
    private let slots: DispatchSemaphore
    /// Writer thread only.
    private var state: WriterState
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
        let (sourceID, duplicates) = try store.queue.write { db in
            for unfinished in try Row.fetchAll(db, sql: StoreStatements.unfinishedSources, arguments: [source.sha256, source.path])
            where IngestingProcess(pid: unfinished["ingest_pid"], host: unfinished["ingest_host"]).isGone {
                try EvidenceStore.deleteSource(unfinished["id"], db)
            }
            try db.execute(sql: StoreStatements.insertSource, arguments: [
                source.path, source.sha256, source.size, source.format, source.observedAt?.iso8601,
                source.observedAtOrigin.rawValue, now.iso8601, toolVersion, source.parentID,
                IngestingProcess.current.pid, IngestingProcess.current.host, source.command.map(SourceCommand.json),
            ])
            let id = db.lastInsertedRowID
            return (id, try DuplicateFinder(db, sourceID: id))
        }
        self.sourceID = sourceID
        state = WriterState(sourceID: sourceID, duplicates: duplicates)
        batch.records.reserveCapacity(batchSize)
    }

    public func add(_ record: StorableRecord) throws {
        batch.records.append(record)
        batch.bytes += record.weight
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
                try store.queue.write { db in try state.write(pending, db) }
            } catch {
                failure.set(error)
            }
        }
    }

    /// Stores the rest and marks the source complete with its counts, time span and the end of its record
    /// chain. `sha256` and `size`, when given, replace those the source was started with: they describe the
    /// bytes actually parsed, should the file have changed after it was first hashed.
    @discardableResult
    public func finish(sha256: String? = nil, size: Int64? = nil) throws -> SourceCounts {
        try flush()
        let (counts, link, span) = writerQueue.sync { (state.counts, state.chain.link, state.timeSpan) }
        if let error = failure.error { throw error }
        try store.queue.write { db in
            try db.execute(sql: StoreStatements.completeSource, arguments: [
                counts.read, counts.stored, counts.rejected, counts.duplicate, RecordChain.hex(link), RecordChain.version,
                sha256, size, span?.lowerBound, span?.upperBound, sourceID,
            ])
        }
        return counts
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
