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
///
/// 16 bytes: the record's time in whole seconds (5 bytes, big-endian, counted from year 0; all zero when the
/// record has no time), then the first 11 bytes of the SHA-256 of kind, time, text and occurrence. Leading with
/// the time keeps the UNIQUE index on `digest` growing at its end while a log is read in time order; a random
/// key touches pages all over the index, which made every batch rewrite most of it (bench/run measures both).
enum RecordDigest {
    /// Seconds from 0000-01-01 to 1970-01-01, plus one so that a time never encodes as "no time".
    static let secondsOffset: Int64 = 62_167_219_200 + 1

    static func compute(_ record: EvidenceRecord, timeText: String?, occurrence: Int) -> [UInt8] {
        var hasher = SHA256()
        var separator: UInt8 = 0
        func update(_ text: String) {
            var text = text
            text.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        }
        update(record.kind.rawValue)
        withUnsafeBytes(of: &separator) { hasher.update(bufferPointer: $0) }
        update(timeText ?? "")
        withUnsafeBytes(of: &separator) { hasher.update(bufferPointer: $0) }
        update(record.raw)
        if occurrence > 0 {
            withUnsafeBytes(of: &separator) { hasher.update(bufferPointer: $0) }
            update(String(occurrence))
        }
        var digest = [UInt8](repeating: 0, count: 16)
        if let time = record.time {
            let seconds = UInt64(time.millisecondsSince1970.dividedFloor(by: 1000) + secondsOffset)
            for index in 0..<5 { digest[index] = UInt8(truncatingIfNeeded: seconds >> (8 * (4 - index))) }
        }
        var index = 5
        for byte in hasher.finalize() where index < 16 {
            digest[index] = byte
            index += 1
        }
        return digest
    }
}

private extension Int64 {
    func dividedFloor(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
