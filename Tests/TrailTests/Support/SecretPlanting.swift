import Foundation
import TrailModel

/// Plants secrets into any fixture's content without knowing its format: inside JSON string values
/// and as members at the start of JSON objects, or between the words of text lines, escaped as the
/// notation around them needs (JSON strings, sometimes twice; CSV quoted fields; XML text).
enum SecretPlanting {
    enum Notation { case json, csv, xml, text }

    static func notation(of bytes: [UInt8], name: String) -> Notation {
        if name.hasSuffix(".csv") { return .csv }
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        switch bytes[start...].first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) {
        case UInt8(ascii: "{"), UInt8(ascii: "["): return .json
        case UInt8(ascii: "<"): return .xml
        default: return .text
        }
    }

    /// The content with `count` secrets planted (and, in JSON, `count / 2` more as object members).
    static func plant(into bytes: [UInt8], name: String, count: Int, factory: inout SecretFactory) -> [UInt8] {
        var insertions: [(offset: Int, text: String)] = []
        switch notation(of: bytes, name: name) {
        case .json:
            let (values, objects) = jsonPlaces(bytes)
            for place in choose(count, from: values, &factory.random) {
                var text = jsonEscaped(factory.textSecret())
                if factory.random.next() % 4 == 0 { text = jsonEscaped(text) }
                insertions.append((place.offset, place.atEnd ? " " + text : text + " "))
            }
            for offset in choose(count / 2, from: objects, &factory.random) {
                insertions.append((offset, factory.jsonMembers()))
            }
        case let notation:
            for offset in choose(count, from: wordBoundaries(bytes), &factory.random) {
                let atLineEnd = offset == bytes.count || bytes[offset] == 0x0A || bytes[offset] == 0x0D
                let text = atLineEnd ? " " + factory.textSecret() : factory.textSecret() + " "
                insertions.append((offset, escaped(text, for: notation, insideQuotes: quotesBefore(offset, in: bytes) % 2 == 1)))
            }
        }
        var planted = bytes
        for insertion in insertions.sorted(by: { $0.offset > $1.offset }) {
            planted.insert(contentsOf: Array(insertion.text.utf8), at: insertion.offset)
        }
        return planted
    }

    static func choose<T>(_ count: Int, from places: [T], _ random: inout SeededGenerator) -> [T] {
        Array(places.shuffled(using: &random).prefix(count))
    }

    /// Where string values start or end (inside their quotes), and where non-empty objects start (after `{`).
    static func jsonPlaces(_ bytes: [UInt8]) -> (values: [(offset: Int, atEnd: Bool)], objects: [Int]) {
        var values: [(Int, Bool)] = []
        var objects: [Int] = []
        var index = 0
        func nextSignificant(after position: Int) -> UInt8? {
            bytes[position...].first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "{"), nextSignificant(after: index + 1) == UInt8(ascii: "\"") {
                objects.append(index + 1)
            } else if byte == UInt8(ascii: "\"") {
                var end = index + 1
                while end < bytes.count && bytes[end] != UInt8(ascii: "\"") && bytes[end] != 0x0A {
                    end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1
                }
                guard end < bytes.count, bytes[end] == UInt8(ascii: "\"") else { index = end; continue }
                if end + 1 < bytes.count, nextSignificant(after: end + 1) != UInt8(ascii: ":") {
                    values.append((index + 1, false))
                    values.append((end, true))
                }
                index = end
            }
            index += 1
        }
        return (values, objects)
    }

    /// Offsets just after a space inside a non-blank line, and at the end of such lines.
    static func wordBoundaries(_ bytes: [UInt8]) -> [Int] {
        var offsets: [Int] = []
        var lineHasText = false
        for (index, byte) in bytes.enumerated() {
            if byte == 0x0A {
                if lineHasText { offsets.append(index > 0 && bytes[index - 1] == 0x0D ? index - 1 : index) }
                lineHasText = false
            } else if byte == 0x20, lineHasText {
                offsets.append(index + 1)
            } else if byte != 0x0D && byte != 0x09 && byte != 0x20 {
                lineHasText = true
            }
        }
        return offsets
    }

    static func quotesBefore(_ offset: Int, in bytes: [UInt8]) -> Int {
        let lineStart = bytes[..<offset].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        return bytes[lineStart..<offset].filter { $0 == UInt8(ascii: "\"") }.count
    }

    static func jsonEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }

    static func escaped(_ text: String, for notation: Notation, insideQuotes: Bool) -> String {
        switch notation {
        case .xml:
            return text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        case .csv where insideQuotes:
            return text.replacingOccurrences(of: "\"", with: "\"\"")
        case .text where insideQuotes:
            return jsonEscaped(text)
        default:
            return text
        }
    }
}
