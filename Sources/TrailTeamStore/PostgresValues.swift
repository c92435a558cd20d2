import Foundation
import PostgresNIO
import TrailModel

/// PostgreSQL result cells as the values an SQLite store gives: integers (and booleans, as 0 and 1), reals,
/// text and blobs. A `numeric` with a fraction part is a real, one without is an integer: the typed columns a
/// payload fills hold SQLite integers and reals in one `numeric` column (see `PostgresTables`).
///
/// A `json` result column stands for SQLite's dynamic typing: where an SQLite query returns an integer in some
/// rows and text in others in one column (a UNION of an HTTP status and an operation status), its twin returns
/// `to_json(...)`, and each cell is read as the number, text or NULL it holds. (No twin returns a JSON document:
/// the store keeps JSON as text.)
enum PostgresValues {
    static func value(_ cell: PostgresCell) -> TabularValue {
        guard var bytes = cell.bytes else { return .null }
        if cell.format == .text {
            return .text(bytes.readString(length: bytes.readableBytes) ?? "")
        }
        switch cell.dataType {
        case .int2: return bytes.readInteger(as: Int16.self).map { .integer(Int64($0)) } ?? .null
        case .int4: return bytes.readInteger(as: Int32.self).map { .integer(Int64($0)) } ?? .null
        case .int8: return bytes.readInteger(as: Int64.self).map { .integer($0) } ?? .null
        case .bool: return bytes.readInteger(as: UInt8.self).map { .integer($0 == 0 ? 0 : 1) } ?? .null
        case .float4: return bytes.readInteger(as: UInt32.self).map { .real(Double(Float(bitPattern: $0))) } ?? .null
        case .float8: return bytes.readInteger(as: UInt64.self).map { .real(Double(bitPattern: $0)) } ?? .null
        case .numeric: return numeric(&bytes)
        case .bytea: return .blob(bytes.readBytes(length: bytes.readableBytes) ?? [])
        case .json:
            return dynamic(bytes.readString(length: bytes.readableBytes) ?? "")
        case .jsonb:
            _ = bytes.readInteger(as: UInt8.self)  // the jsonb version byte
            return .text(bytes.readString(length: bytes.readableBytes) ?? "")
        default:
            // text, varchar, name, char, json and anything else sent as text bytes.
            return .text(bytes.readString(length: bytes.readableBytes) ?? "")
        }
    }

    /// A JSON scalar as the SQLite value it stands for: a number, a string, NULL; anything else as its text.
    static func dynamic(_ json: String) -> TabularValue {
        let text = json.trimmingCharacters(in: .whitespaces)
        if text == "null" { return .null }
        if let integer = Int64(text) { return .integer(integer) }
        if text.first == "\"", let data = text.data(using: .utf8),
           let string = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? String {
            return .text(string)
        }
        if let real = Double(text), text.first.map({ $0 == "-" || $0.isNumber }) ?? false { return .real(real) }
        return .text(text)
    }

    /// A binary `numeric`: digit count, weight, sign, display scale, then base-10000 digits.
    static func numeric(_ bytes: inout ByteBuffer) -> TabularValue {
        guard let count = bytes.readInteger(as: Int16.self), let weight = bytes.readInteger(as: Int16.self),
              let sign = bytes.readInteger(as: UInt16.self), let scale = bytes.readInteger(as: Int16.self) else { return .null }
        if sign == 0xC000 { return .real(.nan) }
        var digits: [Int16] = []
        for _ in 0..<max(0, Int(count)) { digits.append(bytes.readInteger(as: Int16.self) ?? 0) }
        var integerPart = ""
        for position in 0...max(0, Int(weight)) where weight >= 0 {
            let digit = position < digits.count ? digits[position] : 0
            integerPart += position == 0 ? String(digit) : String(repeating: "0", count: 4 - String(digit).count) + String(digit)
        }
        if integerPart.isEmpty { integerPart = "0" }
        let negative = sign == 0x4000
        guard scale > 0 else {
            let text = (negative ? "-" : "") + integerPart
            return Int64(text).map(TabularValue.integer) ?? Double(text).map(TabularValue.real) ?? .null
        }
        var fraction = ""
        var position = Int(weight) + 1
        while fraction.count < Int(scale) {
            let digit = position >= 0 && position < digits.count ? digits[position] : 0
            let text = String(digit)
            fraction += position < 0 ? "0000" : String(repeating: "0", count: 4 - text.count) + text
            position += 1
        }
        return Double((negative ? "-" : "") + integerPart + "." + fraction.prefix(Int(scale))).map(TabularValue.real) ?? .null
    }
}
