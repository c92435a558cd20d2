import Crypto

/// The hash chain over a source's records, in id order (see `migrations/0003_add_record_chain.sql`).
///
/// The writer extends it as it stores records; `verify` walks it again and names the records whose
/// stored link does not follow from the record before them.
public struct RecordChain: Sendable {
    public static let linkLength = 16
    /// The formula new sources are written with (`sources.chain_version`, migration 0006): 2 links the
    /// previous link with the SHA-256 of the record's content; 1 (sources written before) hashed the
    /// previous link and the content in one go.
    public static let version = 2
    public static let start = [UInt8](repeating: 0, count: linkLength)

    /// The last link; `start` before any record.
    public private(set) var link = RecordChain.start

    public init() {}

    /// The link that follows `previous` for a record with this content, by the formula of `version`.
    public static func link(after previous: [UInt8], kind: String, line: Int64?, pointer: String?, time: String?,
                            timeOrigin: String, fields: String, raw: String, digest: [UInt8], version: Int = version) -> [UInt8] {
        guard version == 1 else {
            return link(after: previous, contentHash: contentHash(kind: kind, line: line, pointer: pointer, time: time,
                                                                  timeOrigin: timeOrigin, fields: fields, raw: raw, digest: digest))
        }
        var hasher = SHA256()
        hasher.update(data: previous)
        hashContent(&hasher, kind: kind, line: line, pointer: pointer, time: time, timeOrigin: timeOrigin, fields: fields, raw: raw, digest: digest)
        return Array(hasher.finalize().prefix(linkLength))
    }

    /// The link that follows `previous` for a record whose content hashes to `contentHash`: the first
    /// 16 bytes of SHA-256 of the previous link and the content hash.
    public static func link(after previous: [UInt8], contentHash: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: previous)
        hasher.update(data: contentHash)
        return Array(hasher.finalize().prefix(linkLength))
    }

    /// SHA-256 of a record's stored content: each part as its length (-1 for none) and UTF-8 bytes.
    /// Computed while parsing; only the short `link(after:contentHash:)` waits for the write.
    public static func contentHash(kind: String, line: Int64?, pointer: String?, time: String?,
                                   timeOrigin: String, fields: String, raw: String, digest: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hashContent(&hasher, kind: kind, line: line, pointer: pointer, time: time, timeOrigin: timeOrigin, fields: fields, raw: raw, digest: digest)
        return Array(hasher.finalize())
    }

    static func hashContent(_ hasher: inout SHA256, kind: String, line: Int64?, pointer: String?, time: String?,
                            timeOrigin: String, fields: String, raw: String, digest: [UInt8]) {
        update(&hasher, kind)
        if let line { update(&hasher, String(line)) } else { append(length: -1, to: &hasher) }
        update(&hasher, pointer)
        update(&hasher, time)
        update(&hasher, timeOrigin)
        update(&hasher, fields)
        update(&hasher, raw)
        append(length: Int64(digest.count), to: &hasher)
        hasher.update(data: digest)
    }

    /// A part's length (-1 for none), then its UTF-8 bytes.
    static func update(_ hasher: inout SHA256, _ part: String?) {
        guard var text = part else {
            append(length: -1, to: &hasher)
            return
        }
        text.withUTF8 { bytes in
            append(length: Int64(bytes.count), to: &hasher)
            hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes))
        }
    }

    /// The next link, not yet taken: the writer takes it only when the record was stored.
    func candidate(for record: StorableRecord) -> [UInt8] {
        Self.link(after: link, contentHash: record.contentHash)
    }

    mutating func take(_ candidate: [UInt8]) {
        link = candidate
    }

    static func append(length: Int64, to hasher: inout SHA256) {
        withUnsafeBytes(of: length.bigEndian) { hasher.update(bufferPointer: $0) }
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
