import Crypto
import TrailModel

/// The hash chain over a source's records, in id order (see `migrations/0003_add_record_chain.sql`).
///
/// The writer extends it as it stores records; `verify` walks it again and names the records whose
/// stored link does not follow from the record before them.
public struct RecordChain: Sendable {
    /// The formula new sources are written with (`sources.chain_version`). 3 (store v2, migration 0010): an
    /// 8-byte link of the previous link and the SHA-256 of everything stored for the record, typed fields
    /// included; 2 (migration 0006): a 16-byte link of the previous link and the SHA-256 of the record's v1
    /// columns; 1: the previous link and the v1 columns hashed in one go.
    public static let version = 3

    /// The link length of a chain version: 8 bytes from version 3, 16 before.
    public static func linkLength(version: Int) -> Int { version >= 3 ? 8 : 16 }

    public static func start(version: Int) -> [UInt8] { [UInt8](repeating: 0, count: linkLength(version: version)) }

    /// The last link; all zeros before any record.
    public private(set) var link = RecordChain.start(version: version)

    public init() {}

    /// The next link, not yet taken: the writer takes it only when the record was stored.
    func candidate(for record: StorableRecord) -> [UInt8] {
        Self.link(after: link, contentHash: record.contentHash, version: Self.version)
    }

    mutating func take(_ candidate: [UInt8]) {
        link = candidate
    }

    /// The link that follows `previous` for a record whose content hashes to `contentHash` (versions 2 and 3).
    public static func link(after previous: [UInt8], contentHash: [UInt8], version: Int) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: previous)
        hasher.update(data: contentHash)
        return Array(hasher.finalize().prefix(linkLength(version: version)))
    }

    // MARK: Version 3

    /// SHA-256 of a record as store v2 keeps it: its columns, its remainder fields and its typed fields, each
    /// part length-prefixed and typed. Computed on the parsing thread.
    static func contentHash(_ record: StorableRecord) -> [UInt8] {
        var hasher = ContentBytes(reserving: record.raw.utf8.count)
        hashColumns(&hasher, kind: record.kind, line: record.line, pointer: record.pointer, timeMs: record.timeMs,
                    timeOrigin: record.timeOrigin, remainder: record.remainder, raw: record.raw, digest: record.digest,
                    table: record.table)
        for (column, value) in zip(record.table.columns, record.typed) {
            update(&hasher, stored: value.map { column.interned ? StorableRecord.internedText($0).map(StoredValue.text) ?? .null : $0.storedValue } ?? .null)
        }
        return hasher.sha256()
    }

    /// The same from what the store holds (`verify`): typed values as read back, interned ones as their text.
    public static func contentHash(kind: String, line: Int64?, pointer: String?, timeMs: Int64?, timeOrigin: TimeOrigin,
                                   remainder: String?, raw: String, digest: Int64, table: FieldTable, typed: [StoredValue]) -> [UInt8] {
        var hasher = ContentBytes(reserving: raw.utf8.count)
        hashColumns(&hasher, kind: kind, line: line, pointer: pointer, timeMs: timeMs, timeOrigin: timeOrigin,
                    remainder: remainder, raw: raw, digest: digest, table: table)
        for value in typed { update(&hasher, stored: value) }
        return hasher.sha256()
    }

    static func hashColumns(_ hasher: inout some HashedBytes, kind: String, line: Int64?, pointer: String?, timeMs: Int64?, timeOrigin: TimeOrigin,
                            remainder: String?, raw: String, digest: Int64, table: FieldTable) {
        update(&hasher, kind)
        update(&hasher, stored: line.map(StoredValue.integer) ?? .null)
        update(&hasher, pointer)
        update(&hasher, stored: timeMs.map(StoredValue.integer) ?? .null)
        update(&hasher, timeOrigin.rawValue)
        update(&hasher, remainder)
        update(&hasher, raw)
        update(&hasher, stored: .integer(digest))
        update(&hasher, stored: .integer(Int64(table.rawValue)))
    }

    /// A typed part: a tag byte (0 null, 1 integer, 2 real, 3 text), then 8 bytes or the text.
    static func update(_ hasher: inout some HashedBytes, stored value: StoredValue) {
        var tag: UInt8
        switch value {
        case .null:
            tag = 0
            withUnsafeBytes(of: &tag) { hasher.update(bufferPointer: $0) }
        case .integer(let integer):
            tag = 1
            withUnsafeBytes(of: &tag) { hasher.update(bufferPointer: $0) }
            withUnsafeBytes(of: integer.bigEndian) { hasher.update(bufferPointer: $0) }
        case .real(let real):
            tag = 2
            withUnsafeBytes(of: &tag) { hasher.update(bufferPointer: $0) }
            withUnsafeBytes(of: real.bitPattern.bigEndian) { hasher.update(bufferPointer: $0) }
        case .text(let text):
            tag = 3
            withUnsafeBytes(of: &tag) { hasher.update(bufferPointer: $0) }
            update(&hasher, text)
        }
    }

    // MARK: Versions 1 and 2 (sources written before store v2)

    /// The link that follows `previous` for a record with these v1 columns, by the formula of `version` (1 or 2).
    public static func legacyLink(after previous: [UInt8], kind: String, line: Int64?, pointer: String?, time: String?,
                                  timeOrigin: String, fields: String, raw: String, digest: [UInt8], version: Int) -> [UInt8] {
        guard version == 1 else {
            var content = SHA256()
            hashLegacyContent(&content, kind: kind, line: line, pointer: pointer, time: time, timeOrigin: timeOrigin,
                              fields: fields, raw: raw, digest: digest)
            return link(after: previous, contentHash: Array(content.finalize()), version: 2)
        }
        var hasher = SHA256()
        hasher.update(data: previous)
        hashLegacyContent(&hasher, kind: kind, line: line, pointer: pointer, time: time, timeOrigin: timeOrigin, fields: fields, raw: raw, digest: digest)
        return Array(hasher.finalize().prefix(linkLength(version: 1)))
    }

    static func hashLegacyContent(_ hasher: inout SHA256, kind: String, line: Int64?, pointer: String?, time: String?,
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

    // MARK: Parts

    /// A part's length (-1 for none), then its UTF-8 bytes.
    static func update(_ hasher: inout some HashedBytes, _ part: String?) {
        guard var text = part else {
            append(length: -1, to: &hasher)
            return
        }
        text.withUTF8 { bytes in
            append(length: Int64(bytes.count), to: &hasher)
            hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes))
        }
    }

    static func append(length: Int64, to hasher: inout some HashedBytes) {
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

/// Where a record's parts go to be hashed: a SHA-256 itself (chain versions 1 and 2), or `ContentBytes`.
protocol HashedBytes {
    mutating func update(bufferPointer: UnsafeRawBufferPointer)
}

extension SHA256: HashedBytes {}

/// A v3 record's parts gathered into one buffer and hashed in one call: a record has a hundred parts of a few
/// bytes each, and a SHA-256 update per part cost more than the hashing itself. The same bytes, the same hash.
struct ContentBytes: HashedBytes {
    private var bytes: [UInt8] = []

    init(reserving rawLength: Int) {
        bytes.reserveCapacity(rawLength + 1024)
    }

    mutating func update(bufferPointer: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: bufferPointer)
    }

    func sha256() -> [UInt8] {
        Array(SHA256.hash(data: bytes))
    }
}
