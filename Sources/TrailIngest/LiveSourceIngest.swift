import Crypto
import Foundation
import TrailModel
import TrailStore

/// Ingests a source whose lines are still being written: the recorder's capture, stored as it happens.
///
/// Each line goes through the same path as `mitrail ingest` of a file in that format: the format's parser
/// (one line at a time, numbered as in the file it would have been), redaction, record digests, and a
/// `SourceWriter` that stores batches in transactions of their own. `flush()` commits what is pending, so a
/// caller that flushes at an interval makes records visible to readers while the source is still open; the
/// source row stays `ingesting` until `finish()` marks it complete with the SHA-256 and size of every line
/// it was given (the bytes a capture file of the same lines would hold).
///
/// Not thread-safe: call `append`, `flush` and `finish` from one serial queue.
public final class LiveSourceIngest {
    public let sourceID: Int64
    private let format: any EvidenceFormat
    private let writer: SourceWriter
    private let sink: LineNumberingSink
    private var hasher = SHA256()
    private var size: Int64 = 0
    private var finished = false

    /// Starts a source named `path` read as `formatID` (status `ingesting`, observed-at time unknown).
    public init(store: EvidenceStore, path: String, formatID: String, toolVersion: String) throws {
        guard let format = FormatRegistry.format(id: formatID) else {
            throw IngestError.unknownFormat(id: formatID, known: FormatRegistry.ids)
        }
        self.format = format
        let emptyDigest = SHA256.hash(data: Data()).map { String(format: "%02x", $0) }.joined()
        writer = try SourceWriter(
            store: store,
            source: SourceDescriptor(path: path, sha256: emptyDigest, size: 0, format: format.id, observedAt: nil, observedAtOrigin: .none),
            toolVersion: toolVersion)
        sourceID = writer.sourceID
        sink = LineNumberingSink(downstream: StoreSink(writer: writer, context: ParseContext(path: path, observedAt: nil, observedAtOrigin: .none)))
    }

    /// Parses and stores one line (with or without its newline); a line the format cannot read becomes a reject.
    public func append(_ line: [UInt8]) throws {
        precondition(!finished, "append after finish")
        hasher.update(data: line)
        size += Int64(line.count)
        sink.lineOffset += 1
        do {
            try format.run(ParseInput(bytes: line), into: sink)
        } catch let failure as StoreWriteFailure {
            throw failure.underlying
        }
    }

    /// Hands what is pending to the store's writer thread, to be committed.
    public func flush() throws {
        try writer.flush()
    }

    /// Stores the rest and marks the source complete; returns its counts.
    @discardableResult
    public func finish() throws -> SourceCounts {
        finished = true
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return try writer.finish(sha256: digest, size: size)
    }
}

/// Puts a one-line parse at its place in the whole source: line 1 of the parse is line `lineOffset` of the source.
final class LineNumberingSink: RecordSink {
    let downstream: RecordSink
    var lineOffset = 0
    var context: ParseContext { downstream.context }

    init(downstream: RecordSink) { self.downstream = downstream }

    func emit(_ record: EvidenceRecord) throws {
        var record = record
        record.position.line = record.position.line.map { $0 - 1 + lineOffset }
        try downstream.emit(record)
    }

    func reject(_ reject: RejectedRecord) throws {
        var reject = reject
        reject.position.line = reject.position.line.map { $0 - 1 + lineOffset }
        try downstream.reject(reject)
    }
}
