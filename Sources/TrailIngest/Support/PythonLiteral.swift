import Foundation

/// Python literals as `repr()` prints them, which client logs quote: `{'error': 'invalid_request',
/// 'error_description': 'Identity not found'}` inside a CredentialUnavailableError. Reads dicts, lists,
/// strings (single or double quoted, with backslash escapes), numbers, True, False and None into the
/// values Foundation's JSON parser makes.
enum PythonLiteral {
    /// The dict that starts at the first `{'` of the text, if one parses.
    static func firstDict(in text: Substring) -> [String: Any]? {
        guard let start = text.range(of: "{'") else { return nil }
        var reader = Reader(characters: Array(text[start.lowerBound...]))
        return reader.value(depth: 0) as? [String: Any]
    }

    private struct Reader {
        let characters: [Character]
        var position = 0
        static let maximumDepth = 32

        init(characters: [Character]) { self.characters = characters }

        mutating func skipSpace() {
            while position < characters.count, characters[position].isWhitespace { position += 1 }
        }

        mutating func value(depth: Int) -> Any? {
            skipSpace()
            guard position < characters.count, depth < Self.maximumDepth else { return nil }
            switch characters[position] {
            case "{": return dict(depth: depth)
            case "[": return list(depth: depth)
            case "'", "\"": return string()
            default: return scalar()
            }
        }

        mutating func dict(depth: Int) -> [String: Any]? {
            position += 1
            var result: [String: Any] = [:]
            while true {
                skipSpace()
                guard position < characters.count else { return nil }
                if characters[position] == "}" { position += 1; return result }
                if characters[position] == "," { position += 1; continue }
                guard let key = string() else { return nil }
                skipSpace()
                guard position < characters.count, characters[position] == ":" else { return nil }
                position += 1
                guard let item = value(depth: depth + 1) else { return nil }
                result[key] = item
            }
        }

        mutating func list(depth: Int) -> [Any]? {
            position += 1
            var result: [Any] = []
            while true {
                skipSpace()
                guard position < characters.count else { return nil }
                if characters[position] == "]" { position += 1; return result }
                if characters[position] == "," { position += 1; continue }
                guard let item = value(depth: depth + 1) else { return nil }
                result.append(item)
            }
        }

        mutating func string() -> String? {
            guard position < characters.count, characters[position] == "'" || characters[position] == "\"" else { return nil }
            let quote = characters[position]
            position += 1
            var output = ""
            while position < characters.count {
                let character = characters[position]
                position += 1
                if character == quote { return output }
                guard character == "\\", position < characters.count else { output.append(character); continue }
                let escaped = characters[position]
                position += 1
                output.append(escaped == "n" ? "\n" : escaped == "t" ? "\t" : escaped == "r" ? "\r" : escaped)
            }
            return nil
        }

        mutating func scalar() -> Any? {
            let start = position
            while position < characters.count, !",:}] \t\n".contains(characters[position]) { position += 1 }
            let word = String(characters[start..<position])
            switch word {
            case "True": return NSNumber(value: true)
            case "False": return NSNumber(value: false)
            case "None": return NSNull()
            default:
                if let integer = Int64(word) { return NSNumber(value: integer) }
                if let number = Double(word) { return NSNumber(value: number) }
                return nil
            }
        }
    }
}
