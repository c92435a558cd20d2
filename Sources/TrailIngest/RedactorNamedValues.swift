/// Secrets found by their name: `name=value`, `"name": "value"`, `Name: value` headers, and HAR's
/// `{"name": "Cookie", "value": ...}` pairs and `"cookies": [...]` arrays.
extension Redactor.Scanner {
    static let equalsSigns: [[UInt8]] = ["=", ":", "%3d", "%253d", "\\u003d"].map { Array($0.utf8) }
    static let encodedAmpersands: [[UInt8]] = ["%26", "%2526"].map { Array($0.utf8) }
    static let valueMember = Array("\"value\"".utf8)
    static let cookiesMember = Array("\"cookies\"".utf8)
    static let bearerPrefix = Array("bearer ".utf8)
    static let redactedPrefixes: [[UInt8]] = ["<redacted-jwt ", Redactor.placeholder.lowercased()].map { Array($0.utf8) }
    static let literals: [[UInt8]] = ["null", "true", "false"].map { Array($0.utf8) }

    /// How a quoted value is closed.
    enum Closing {
        case none
        /// `"` or `'`, not preceded by a backslash.
        case quote(UInt8)
        /// An escaped quote (`\"`, `\\\"`...): the value ends at the next backslash.
        case backslash
    }

    /// `name` quote? space* (`=` | `:` | `%3D`) space* value, with `name` a secret name standing as a word.
    mutating func replaceNamedSecret() -> Bool {
        guard Redactor.isIdentifier(input[index]) else { return false }
        for name in Redactor.secretNamesByFirstByte[Int(Redactor.lowercase(input[index]))]
        where matches(name, at: index) && startsWord(at: index) {
            var cursor = index + name.count
            guard cursor >= input.count || !Redactor.isIdentifier(input[cursor]) else { continue }
            cursor = skipQuote(at: cursor)
            while cursor < input.count && input[cursor] == 0x20 { cursor += 1 }
            guard let sign = Self.equalsSigns.first(where: { matches($0, at: cursor) }) else { continue }
            cursor += sign.count
            while cursor < input.count && input[cursor] == 0x20 { cursor += 1 }
            // A structure or a JSON literal (`"authorization": {"action": ...}` in activity and
            // storage logs, PowerShell's `Authorization :` heading a nested list, `"password": null`)
            // holds no credential: leave it, its contents are still scanned like any text.
            if isStructureOrLiteral(at: cursor, header: Redactor.headerNames.contains(name)) { continue }
            copy(upTo: cursor)
            copyRedactedValue(wholeLine: Redactor.headerNames.contains(name))
            return true
        }
        return false
    }

    /// After a member name: its closing quote in any notation (`"`, `'`, `\"`, `\\\"`, CSV's `""`).
    func skipQuote(at start: Int) -> Int {
        var cursor = start
        while byte(cursor) == UInt8(ascii: "\\") { cursor += 1 }
        guard let quote = byte(cursor), quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { return start }
        cursor += 1
        if quote == UInt8(ascii: "\"") && byte(cursor) == quote && cursor - 1 == start { cursor += 1 }
        return cursor
    }

    /// True when the value at `start` holds no credential: a JSON object or array, a JSON literal
    /// (`null`, `true`, `false`), nothing before the line end, or (for headers) a JSON object in a string.
    func isStructureOrLiteral(at start: Int, header: Bool) -> Bool {
        guard start < input.count else { return true }
        let first = input[start]
        if first == UInt8(ascii: "[") || first == UInt8(ascii: "{") || first == 0x0A || first == 0x0D { return true }
        if header, first == UInt8(ascii: "\""), byte(start + 1) == UInt8(ascii: "{") { return true }
        for literal in Self.literals where matches(literal, at: start) {
            let end = start + literal.count
            if end >= input.count || !Redactor.isIdentifier(input[end]) { return true }
        }
        return false
    }

    /// HAR: `"authorization"` (or cookie, set-cookie) as a header's name, then `, "value": "…"`.
    mutating func replaceHeaderPair() -> Bool {
        guard input[index] == UInt8(ascii: "\"") else { return false }
        for name in Redactor.headerNameList where matches(name, at: index + 1) && byte(index + 1 + name.count) == UInt8(ascii: "\"") {
            let comma = skipSpaces(from: index + 2 + name.count)
            guard byte(comma) == UInt8(ascii: ","), let value = valueString(at: skipSpaces(from: comma + 1)) else { return false }
            copy(upTo: value)
            copyRedactedValue(wholeLine: true)
            return true
        }
        return false
    }

    /// HAR: at `"cookies": [`, notes where the array ends; `replaceCookieValue` redacts the values in it.
    mutating func enterCookieArray() -> Bool {
        guard input[index] == UInt8(ascii: "\""), matches(Self.cookiesMember, at: index) else { return false }
        var cursor = skipSpaces(from: index + Self.cookiesMember.count)
        guard byte(cursor) == UInt8(ascii: ":") else { return false }
        cursor = skipSpaces(from: cursor + 1)
        guard byte(cursor) == UInt8(ascii: "[") else { return false }
        cookieArrayEnd = endOfArray(openingAt: cursor)
        copy(upTo: cursor + 1)
        return true
    }

    /// Inside a HAR cookie array: `"value": "…"` becomes `"value": "REDACTED"`.
    mutating func replaceCookieValue() -> Bool {
        guard index < cookieArrayEnd, input[index] == UInt8(ascii: "\""), let value = valueString(at: index) else { return false }
        copy(upTo: value)
        copyRedactedValue(wholeLine: true)
        return true
    }

    /// At `"value": "`, the offset of the value's opening quote.
    func valueString(at start: Int) -> Int? {
        guard matches(Self.valueMember, at: start) else { return nil }
        let colon = skipSpaces(from: start + Self.valueMember.count)
        guard byte(colon) == UInt8(ascii: ":") else { return nil }
        let quote = skipSpaces(from: colon + 1)
        return byte(quote) == UInt8(ascii: "\"") ? quote : nil
    }

    /// The offset of the `]` closing the array whose `[` is at `start` (strings skipped), or the input's end.
    func endOfArray(openingAt start: Int) -> Int {
        var depth = 0
        var cursor = start
        while cursor < input.count {
            switch input[cursor] {
            case UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth -= 1
                if depth == 0 { return cursor }
            case UInt8(ascii: "\""):
                cursor += 1
                while cursor < input.count && input[cursor] != UInt8(ascii: "\"") {
                    cursor += input[cursor] == UInt8(ascii: "\\") ? 2 : 1
                }
            default: break
            }
            cursor += 1
        }
        return input.count
    }

    /// Replaces the value at `index`: quoted in any notation, or up to a delimiter (or the line end for headers).
    mutating func copyRedactedValue(wholeLine: Bool) {
        guard index < input.count else { return }
        let closing = openValue()
        if wholeLine, matches(Self.bearerPrefix, at: index) { copy(upTo: index + Self.bearerPrefix.count) }
        // Already redacted: leave it, so that redacting twice changes nothing.
        if Self.redactedPrefixes.contains(where: { matches($0, at: index) }) { return }
        if tokenLength(at: index) != nil {
            _ = replaceToken()
        } else {
            replace(upTo: index, with: Redactor.placeholder.utf8)
        }
        while index < input.count && !endsValue(closing, wholeLine: wholeLine) { index += 1 }
        dropSkipped()
    }

    /// Copies a value's opening quote, in any notation, and says how the value will close.
    mutating func openValue() -> Closing {
        let first = input[index]
        if first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") {
            // CSV's doubled quote around a value (`""secret""`), but not an empty JSON string (`"",`).
            let doubled = first == UInt8(ascii: "\"") && byte(index + 1) == first
                && byte(index + 2).map { !Redactor.isSpace($0) && !",;}]".utf8.contains($0) } == true
            copy(upTo: index + (doubled ? 2 : 1))
            return .quote(first)
        }
        guard first == UInt8(ascii: "\\") else { return .none }
        var cursor = index
        while byte(cursor) == UInt8(ascii: "\\") { cursor += 1 }
        guard byte(cursor) == UInt8(ascii: "\"") else { return .none }
        copy(upTo: cursor + 1)
        return .backslash
    }

    func endsValue(_ closing: Closing, wholeLine: Bool) -> Bool {
        let byte = input[index]
        switch closing {
        case .quote(let quote): return byte == quote && input[index - 1] != UInt8(ascii: "\\")
        case .backslash: return byte == UInt8(ascii: "\\")
        case .none:
            if byte == 0x0A || byte == 0x0D { return true }
            // A header runs to the line's end, but not out of a string holding it (`"Cookie: a=b\n..."`).
            if wholeLine { return byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") }
            return Self.endsUnquotedValue(byte) || Self.encodedAmpersands.contains { matches($0, at: index) }
        }
    }

    static func endsUnquotedValue(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "&"), UInt8(ascii: ";"), UInt8(ascii: ","), UInt8(ascii: "\""), UInt8(ascii: "'"),
             UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: ")"), UInt8(ascii: "}"), UInt8(ascii: "]"),
             0x20, 0x09, UInt8(ascii: "\\"):
            return true
        default:
            return false
        }
    }
}
