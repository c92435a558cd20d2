import Crypto
import TrailModel

/// A record ready to store: its columns, its typed fields, the digest that finds it again, and the hash its
/// chain link is made of.
///
/// Built on the parsing thread (fields split into typed columns and a remainder, digest and content hash
/// computed) so that the writer thread only interns names, binds and steps.
public struct StorableRecord: Sendable {
    public var kind: String
    public var line: Int64?
    public var pointer: String?
    /// Milliseconds since 1970 UTC.
    public var timeMs: Int64?
    public var timeOrigin: TimeOrigin
    /// The fields no typed column holds, as a JSON object; nil when none is left.
    public var remainder: String?
    public var raw: String
    /// The table of its typed fields, and their values in that table's column order.
    public var table: FieldTable
    public var typed: [FieldValue?]
    /// 64-bit FNV-1a of kind, time and raw text (`records.digest`).
    public var digest: Int64
    /// SHA-256 of everything stored for the record (`RecordChain.contentHash`).
    public var contentHash: [UInt8]

    public init(record: EvidenceRecord) {
        kind = record.kind.rawValue
        line = record.position.line.map(Int64.init)
        pointer = record.position.pointer
        timeMs = record.time?.millisecondsSince1970
        timeOrigin = record.timeOrigin
        raw = record.raw
        table = FieldTable.of(kind: kind)
        typed = [FieldValue?](repeating: nil, count: table.columns.count)
        var rest = RecordFields()
        for entry in record.fields.entries {
            if let position = table.position(ofField: entry.name) {
                typed[position] = Self.stored(entry.value, as: table.columns[position])
            } else {
                rest.set(entry.name, entry.value)
            }
        }
        remainder = rest.isEmpty ? nil : rest.json
        digest = RecordDigest.compute(kind: kind, timeMs: timeMs, raw: raw)
        contentHash = []
        contentHash = RecordChain.contentHash(self)
    }

    /// The value as its column stores it, SQLite's type affinity applied before the value is hashed and bound:
    /// an integer column keeps an integer given as text or as a whole number; a text column takes numbers and
    /// booleans as their JSON text. Anything that does not convert is kept as it is (SQLite does the same).
    static func stored(_ value: FieldValue, as column: FieldTable.Column) -> FieldValue {
        if column.interned { return value }
        switch (column.type, value) {
        case (.integer, .string(let text)):
            return numericValue(text.trimmingCharacters(in: .whitespaces)) ?? value
        case (.integer, .number(let number)):
            return number.rounded() == number && abs(number) < 9.0e15 ? .integer(Int64(number)) : value
        case (.text, .integer), (.text, .number), (.text, .bool):
            var text = ""
            value.appendJSON(to: &text)
            return .string(text)
        default:
            return value
        }
    }

    /// A text SQLite's integer affinity converts: an integer, else a decimal or exponent literal (whole numbers
    /// as integers).
    static func numericValue(_ text: String) -> FieldValue? {
        if let integer = Int64(text) { return .integer(integer) }
        guard text.wholeMatch(of: /[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/) != nil, let number = Double(text), number.isFinite else { return nil }
        return number.rounded() == number && abs(number) < 9.0e15 ? .integer(Int64(number)) : .number(number)
    }

    /// The text a typed value is stored and hashed as when its column is interned: a string as it is, anything
    /// else as its JSON text.
    static func internedText(_ value: FieldValue) -> String? {
        switch value {
        case .string(let text): return text
        case .null: return nil
        default:
            var text = ""
            value.appendJSON(to: &text)
            return text
        }
    }

    /// Approximate bytes the record holds, for bounding a batch.
    var weight: Int {
        raw.utf8.count + (remainder?.utf8.count ?? 0) + 16 * typed.count
    }
}

/// The digest of a record's content: 64-bit FNV-1a over its kind, time and redacted text.
///
/// Not a secure hash and not unique: the writer finds candidates by (time, digest) and a duplicate is a record
/// of another source with the same digest (see `SourceWriter`).
public enum RecordDigest {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    public static func compute(kind: String, timeMs: Int64?, raw: String) -> Int64 {
        var hash = offsetBasis
        func mix(_ bytes: UnsafeBufferPointer<UInt8>) {
            for byte in bytes {
                hash ^= UInt64(byte)
                hash = hash &* prime
            }
        }
        var kind = kind
        kind.withUTF8(mix)
        var time = (timeMs ?? Int64.min).bigEndian
        withUnsafeBytes(of: &time) { mix($0.bindMemory(to: UInt8.self)) }
        var raw = raw
        raw.withUTF8(mix)
        return Int64(bitPattern: hash)
    }
}

extension FieldValue {
    /// The value as SQLite stores it in a typed column: booleans as 0 and 1.
    var storedValue: StoredValue {
        switch self {
        case .string(let text): return .text(text)
        case .integer(let value): return .integer(value)
        case .number(let value): return value.isFinite ? .real(value) : .null
        case .bool(let value): return .integer(value ? 1 : 0)
        case .null: return .null
        }
    }
}

/// A typed column's value as stored (and read back by `verify`).
public enum StoredValue: Equatable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
}
