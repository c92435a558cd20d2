import Foundation

/// A JSON parser on UTF-8 bytes that makes the very values Foundation's `JSONSerialization` makes
/// (`[String: Any]`, `[Any]`, `String`, `NSNumber`, `NSNull`), several times faster.
///
/// It reads the common case only and gives up (nil) on anything else, leaving it to Foundation,
/// which then parses it or names the error: malformed text (also what Foundation forgives, such as
/// trailing commas or a byte order mark), invalid UTF-8, lone surrogates, duplicate member names,
/// numbers with an exponent or more digits than an integer or a double holds exactly, and
/// nesting deeper than `maximumDepth`.
enum FastJSON {
    static let maximumDepth = 256

    /// The value of the whole text (any JSON value at the top, as with `.fragmentsAllowed`), or nil.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Any? {
        var parser = Parser(bytes: bytes)
        parser.skipWhitespace()
        guard let value = parser.parseValue() else { return nil }
        parser.skipWhitespace()
        return parser.index == bytes.count ? value : nil
    }

    static func parse(_ bytes: [UInt8]) -> Any? {
        bytes.withUnsafeBufferPointer { parse($0) }
    }

    /// Parses with `FastJSON`, else with Foundation (which also explains what is wrong).
    static func jsonObject(with bytes: [UInt8], options: JSONSerialization.ReadingOptions = []) throws -> Any {
        if let value = parse(bytes), options.contains(.fragmentsAllowed) || value is [String: Any] || value is [Any] {
            return value
        }
        return try JSONSerialization.jsonObject(with: Data(bytes), options: options)
    }

    struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        var depth = 0

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x0A, 0x0D, 0x09: index += 1
                default: return
                }
            }
        }

        mutating func parseValue() -> Any? {
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "{"): return parseObject()
            case UInt8(ascii: "["): return parseArray()
            case UInt8(ascii: "\""): return parseString()
            case UInt8(ascii: "t"): return parseLiteral("true", NSNumber(value: true))
            case UInt8(ascii: "f"): return parseLiteral("false", NSNumber(value: false))
            case UInt8(ascii: "n"): return parseLiteral("null", NSNull())
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return parseNumber()
            default: return nil
            }
        }

        mutating func parseLiteral(_ literal: StaticString, _ value: Any) -> Any? {
            let count = literal.utf8CodeUnitCount
            guard index + count <= bytes.count else { return nil }
            for offset in 0..<count where bytes[index + offset] != literal.utf8Start[offset] { return nil }
            index += count
            return value
        }

        mutating func parseObject() -> Any? {
            depth += 1
            guard depth <= FastJSON.maximumDepth else { return nil }
            index += 1
            var object: [String: Any] = [:]
            skipWhitespace()
            if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
                index += 1
                depth -= 1
                return object
            }
            while true {
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let key = parseString() else { return nil }
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                index += 1
                skipWhitespace()
                guard let value = parseValue() else { return nil }
                // Which of two same-named members wins is Foundation's business.
                guard object.updateValue(value, forKey: key) == nil else { return nil }
                skipWhitespace()
                guard index < bytes.count else { return nil }
                let separator = bytes[index]
                index += 1
                if separator == UInt8(ascii: "}") { break }
                guard separator == UInt8(ascii: ",") else { return nil }
                skipWhitespace()
            }
            depth -= 1
            return object
        }

        mutating func parseArray() -> Any? {
            depth += 1
            guard depth <= FastJSON.maximumDepth else { return nil }
            index += 1
            var array: [Any] = []
            skipWhitespace()
            if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
                index += 1
                depth -= 1
                return array
            }
            while true {
                guard let value = parseValue() else { return nil }
                array.append(value)
                skipWhitespace()
                guard index < bytes.count else { return nil }
                let separator = bytes[index]
                index += 1
                if separator == UInt8(ascii: "]") { break }
                guard separator == UInt8(ascii: ",") else { return nil }
                skipWhitespace()
            }
            depth -= 1
            return array
        }

        /// A string whose opening quote is at `index`.
        mutating func parseString() -> String? {
            index += 1
            let start = index
            var ascii = true
            // The common case: no escapes, copied at once.
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let text = UnsafeBufferPointer(rebasing: bytes[start..<index])
                    index += 1
                    return ascii ? String(decoding: text, as: UTF8.self) : String(validating: text, as: UTF8.self)
                }
                if byte == UInt8(ascii: "\\") { break }
                if byte < 0x20 { return nil }
                if byte >= 0x80 { ascii = false }
                index += 1
            }
            guard index < bytes.count else { return nil }
            var text = Array(bytes[start..<index])
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    return String(validating: text, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard appendEscape(to: &text) else { return nil }
                case 0..<0x20:
                    return nil
                default:
                    text.append(byte)
                    index += 1
                }
            }
            return nil
        }

        /// Appends the character of the escape at `index` (`\n`, `\u00e9`, a surrogate pair...).
        mutating func appendEscape(to text: inout [UInt8]) -> Bool {
            guard index + 1 < bytes.count else { return false }
            let letter = bytes[index + 1]
            index += 2
            switch letter {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(letter)
            case UInt8(ascii: "b"): text.append(0x08)
            case UInt8(ascii: "f"): text.append(0x0C)
            case UInt8(ascii: "n"): text.append(0x0A)
            case UInt8(ascii: "r"): text.append(0x0D)
            case UInt8(ascii: "t"): text.append(0x09)
            case UInt8(ascii: "u"):
                guard var value = readHex4() else { return false }
                if (0xD800...0xDBFF).contains(value) {
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else { return false }
                    index += 2
                    guard let low = readHex4(), (0xDC00...0xDFFF).contains(low) else { return false }
                    value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(value) else { return false }
                text.append(contentsOf: UTF8.encode(scalar)!)
            default:
                return false
            }
            return true
        }

        mutating func readHex4() -> UInt32? {
            guard index + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                value = value << 4 | UInt32(digit)
                index += 1
            }
            return value
        }

        /// A number as Foundation makes it: an integer as `Int64` (negative) or `UInt64`, a
        /// fraction as `Double`. Exponents and long numbers (Foundation may make a `Decimal`) are left to Foundation.
        mutating func parseNumber() -> Any? {
            let start = index
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
            } else {
                guard skipDigits() else { return nil }
            }
            var fraction = false
            if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard skipDigits() else { return nil }
                fraction = true
            }
            if index < bytes.count && (bytes[index] | 0x20) == UInt8(ascii: "e") { return nil }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            if fraction {
                guard index - start <= 17, let number = Double(text), number.isFinite else { return nil }
                return NSNumber(value: number)
            }
            guard index - start <= 18 else { return nil }
            if bytes[start] == UInt8(ascii: "-") { return Int64(text).map { NSNumber(value: $0) } }
            return UInt64(text).map { NSNumber(value: $0) }
        }

        /// Skips one or more digits; false when there is none.
        mutating func skipDigits() -> Bool {
            let start = index
            while index < bytes.count && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index > start
        }
    }
}
