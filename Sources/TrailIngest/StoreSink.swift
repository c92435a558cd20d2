import Crypto
import Foundation
import TrailModel
import TrailStore

/// Hands records to the store, with the digest that makes re-ingest a no-op.
final class StoreSink: RecordSink {
    let writer: SourceWriter
    let context: ParseContext
    /// Occurrences of each record digest at the current time: the same line twice in one second is two records.
    private var occurrences: [[UInt8]: Int] = [:]
    private var occurrencesTime: Timestamp?

    init(writer: SourceWriter, context: ParseContext) {
        self.writer = writer
        self.context = context
    }

    func emit(_ record: EvidenceRecord) throws {
        if record.time != occurrencesTime {
            occurrences.removeAll(keepingCapacity: true)
            occurrencesTime = record.time
        }
        let timeText = record.time?.iso8601
        let base = RecordDigest.compute(record, timeText: timeText, occurrence: 0)
        let occurrence = occurrences[base, default: 0]
        occurrences[base] = occurrence + 1
        let digest = occurrence == 0 ? base : RecordDigest.compute(record, timeText: timeText, occurrence: occurrence)
        do {
            try writer.add(StorableRecord(record: record, digest: digest, timeText: timeText))
        } catch {
            throw StoreWriteFailure(underlying: error)
        }
    }

    func reject(_ reject: RejectedRecord) throws {
        do {
            try writer.add(reject)
        } catch {
            throw StoreWriteFailure(underlying: error)
        }
    }
}

/// The store could not take a record: unlike a parser's trouble, this stops the ingest.
struct StoreWriteFailure: Error {
    let underlying: Error
}

/// The identity of a record's content: kind, time, redacted text and occurrence.
enum RecordDigest {
    static func compute(_ record: EvidenceRecord, timeText: String?, occurrence: Int) -> [UInt8] {
        var hasher = SHA256()
        var parts = [record.kind.rawValue, timeText ?? "", record.raw]
        if occurrence > 0 { parts.append(String(occurrence)) }
        for index in parts.indices {
            if index > 0 { withUnsafeBytes(of: UInt8(0)) { hasher.update(bufferPointer: $0) } }
            parts[index].withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        }
        return Array(hasher.finalize().prefix(16))
    }
}
