/// Secrets recognised by their shape wherever they stand: JWTs, `Bearer` credentials, storage
/// account keys and Entra ID client secrets.
extension Redactor.Scanner {
    static let clientSecretMarker = Array("Q~".utf8)
    static let escapedPlusOrSlash = Array("\\u002".utf8)

    /// The length of a JWT starting at `start`, or nil.
    func tokenLength(at start: Int) -> Int? {
        guard start + 3 <= input.count, input[start] == UInt8(ascii: "e"), input[start + 1] == UInt8(ascii: "y"),
              input[start + 2] == UInt8(ascii: "J"), start == 0 || !Redactor.isBase64URL(input[start - 1])
        else { return nil }
        var cursor = start
        var segmentLengths: [Int] = []
        while segmentLengths.count < 3 {
            let segmentStart = cursor
            while cursor < input.count && Redactor.isBase64URL(input[cursor]) { cursor += 1 }
            segmentLengths.append(cursor - segmentStart)
            if segmentLengths.count < 3 {
                guard cursor < input.count, input[cursor] == UInt8(ascii: ".") else { return nil }
                cursor += 1
            }
        }
        guard segmentLengths[0] >= 10, segmentLengths[1] >= 10 else { return nil }
        return cursor - start
    }

    mutating func replaceToken() -> Bool {
        guard let length = tokenLength(at: index) else { return false }
        let token = Array(input[index..<(index + length)])
        replace(upTo: index + length, with: TokenSummary(token: token).text.utf8)
        return true
    }

    /// `Bearer CREDENTIAL` anywhere (an opaque token, not only a JWT).
    mutating func replaceBearerCredential() -> Bool {
        guard input[index] | 0x20 == UInt8(ascii: "b"), startsWord(at: index), matches(Self.bearerPrefix, at: index) else { return false }
        var cursor = index + Self.bearerPrefix.count
        while cursor < input.count && input[cursor] == 0x20 { cursor += 1 }
        if tokenLength(at: cursor) != nil {
            copy(upTo: cursor)
            return replaceToken()
        }
        var end = cursor
        while end < input.count && (Redactor.isBase64URL(input[end]) || input[end] == UInt8(ascii: ".")
                                    || input[end] == UInt8(ascii: "+") || input[end] == UInt8(ascii: "/")
                                    || input[end] == UInt8(ascii: "=") || input[end] == UInt8(ascii: "~")) {
            end += 1
        }
        guard end - cursor >= 16 else { return false }
        copy(upTo: cursor)
        replace(upTo: end, with: Redactor.placeholder.utf8)
        return true
    }

    /// The bytes one base64 character takes at `position`: itself, or a JSON escape of `+` or `/`
    /// (`\u002B`, `\u002F`, `\/`) as some serializers write them; nil when it is not base64.
    func base64Unit(at position: Int) -> Int? {
        guard position < input.count else { return nil }
        if Redactor.isBase64(input[position]) { return 1 }
        guard input[position] == UInt8(ascii: "\\") else { return nil }
        if byte(position + 1) == UInt8(ascii: "/") { return 2 }
        guard position + 6 <= input.count, matches(Self.escapedPlusOrSlash, at: position) else { return nil }
        let last = Redactor.lowercase(input[position + 5])
        return last == UInt8(ascii: "b") || last == UInt8(ascii: "f") ? 6 : nil
    }

    /// A storage account key: 86 base64 characters and `==`, standing alone.
    mutating func replaceAccountKey() -> Bool {
        guard index == 0 || !Redactor.isBase64(input[index - 1]), let first = base64Unit(at: index), first == 1 else { return false }
        var cursor = index
        var characters = 0
        while characters < 87, let length = base64Unit(at: cursor) {
            cursor += length
            characters += 1
        }
        // Whatever follows: a key glued to a path (`KEY==/metadata`) is a key all the same.
        guard characters == 86, byte(cursor) == UInt8(ascii: "="), byte(cursor + 1) == UInt8(ascii: "=") else { return false }
        replace(upTo: cursor + 2, with: Redactor.placeholder.utf8)
        return true
    }

    @inline(__always) static func isClientSecretCharacter(_ byte: UInt8) -> Bool {
        Redactor.isIdentifier(byte) || byte == UInt8(ascii: "~") || byte == UInt8(ascii: ".")
    }

    /// An Entra ID client secret as the portal makes them: three characters, a digit, `Q~`, then 31 to 34 more.
    mutating func replaceClientSecret() -> Bool {
        guard index + 6 <= input.count, input[index + 5] == UInt8(ascii: "~"), input[index + 4] == UInt8(ascii: "Q"),
              (48...57).contains(input[index + 3]), (0..<3).allSatisfy({ Self.isClientSecretCharacter(input[index + $0]) }),
              index == 0 || !Self.isClientSecretCharacter(input[index - 1])
        else { return false }
        var end = index + 6
        while end < input.count && Self.isClientSecretCharacter(input[end]) { end += 1 }
        // A sentence may end right after the secret: a trailing '.' is not part of it.
        var length = end - index - 6
        if length > 34 && input[end - 1] == UInt8(ascii: ".") { length -= 1 }
        guard (31...34).contains(length) else { return false }
        replace(upTo: index + 6 + length, with: Redactor.placeholder.utf8)
        return true
    }
}
