import Crypto

/// The hash chain over a source's records, in id order (see `migrations/0003_add_record_chain.sql`).
///
/// The writer extends it as it stores records; `verify` walks it again and names the records whose
/// stored link does not follow from the record before them.
public struct RecordChain: Sendable {
    public static let linkLength = 16
    public static let start = [UInt8](repeating: 0, count: linkLength)

    /// The last link; `start` before any record.
    public private(set) var link = RecordChain.start

    public init() {}

    /// The link that follows `previous` for a record with this content.
    public static func link(after previous: [UInt8], kind: String, line: Int64?, pointer: String?, time: String?,
                            timeOrigin: String, fields: String, raw: String, digest: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: previous)
        for part in [kind, line.map(String.init), pointer, time, timeOrigin, fields, raw] {
            guard var text = part else {
                append(length: -1, to: &hasher)
                continue
            }
            text.withUTF8 { bytes in
                append(length: Int64(bytes.count), to: &hasher)
                hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes))
            }
        }
        append(length: Int64(digest.count), to: &hasher)
        hasher.update(data: digest)
        return Array(hasher.finalize().prefix(linkLength))
    }

    static func append(length: Int64, to hasher: inout SHA256) {
        withUnsafeBytes(of: length.bigEndian) { hasher.update(bufferPointer: $0) }
    }

    /// The next link, not yet taken: the writer takes it only when the record was stored.
    func candidate(for record: StorableRecord, fields: String) -> [UInt8] {
        let evidence = record.record
        return Self.link(after: link, kind: evidence.kind.rawValue, line: evidence.position.line.map(Int64.init),
                         pointer: evidence.position.pointer, time: record.timeText, timeOrigin: evidence.timeOrigin.rawValue,
                         fields: fields, raw: evidence.raw, digest: record.digest)
    }

    mutating func take(_ candidate: [UInt8]) {
        link = candidate
    }

    public static func hex(_ link: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(link.count * 2)
        for byte in link {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
