import Foundation

/// A known Azure error named in a piece of text: its code, or a documented message that means it.
struct ErrorMention {
    let code: String
    let entry: AzureErrorCatalog.Entry
    /// The 0-based index of the line it was found on, within the lines scanned.
    let line: Int
    /// True when the documented message, not the code, was found.
    let viaMessage: Bool
    /// The status the message comes with, when it differs from the code's (IMDS throttling: 429).
    let messageStatus: Int?

    /// A code said on its own is as strong as the catalog says; a documented message always names its error.
    var weight: AzureErrorCatalog.Weight { viaMessage ? .specific : entry.weight }
}

/// Finds the errors of `AzureErrorCatalog` in free text: codes as whole words (generic and wrapper
/// codes only where the text says they are a code: `Code: X`, `"code": "X"`, `(X) ...`), `AADSTS`
/// codes, and the documented messages (case-insensitive, also across a wrapped line).
enum ErrorMentions {
    /// Every mention, in line order.
    static func find(in lines: [Substring]) -> [ErrorMention] {
        var mentions: [ErrorMention] = []
        for (index, line) in lines.enumerated() {
            mentions += codes(in: line, at: index)
            mentions += messages(in: line.lowercased(), at: index)
        }
        if !mentions.contains(where: { $0.viaMessage }), lines.count > 1 {
            // A message wrapped onto the next line.
            mentions += messages(in: lines.joined(separator: " ").lowercased(), at: 0)
        }
        return mentions
    }

    /// True when the text names a known error (a generic code only where it stands as a code).
    static func containsError(_ lines: [Substring]) -> Bool {
        !find(in: lines).isEmpty
    }

    /// The documented messages in a lower-cased text, longest first; a message found is blanked out, so
    /// that the shorter AuthorizationFailure message is not found again inside the permission mismatch's.
    static func messages(in lower: String, at index: Int) -> [ErrorMention] {
        var text = lower
        var mentions: [ErrorMention] = []
        for (message, described) in AzureErrorCatalog.lowercasedMessages {
            guard let range = text.range(of: message), let entry = AzureErrorCatalog.entry(forCode: described.code) else { continue }
            text.replaceSubrange(range, with: String(repeating: " ", count: message.count))
            mentions.append(ErrorMention(code: described.code, entry: entry, line: index, viaMessage: true, messageStatus: described.status))
        }
        return mentions
    }

    /// The codes on one line: words of letters, digits and `_`.
    static func codes(in line: Substring, at index: Int) -> [ErrorMention] {
        var mentions: [ErrorMention] = []
        var start: Substring.Index?
        var cursor = line.startIndex
        func finishWord(at end: Substring.Index) {
            guard let wordStart = start else { return }
            start = nil
            let word = line[wordStart..<end]
            guard word.count >= 6, let first = word.first, first.isLetter else { return }
            guard let entry = AzureErrorCatalog.byCode[String(word)]
                    ?? (AzureErrorCatalog.isEntraCode(word) ? AzureErrorCatalog.Entry(String(word), .entra) : nil) else { return }
            if entry.weight != .specific && !inCodePosition(line, wordStart, end) { return }
            mentions.append(ErrorMention(code: entry.code, entry: entry, line: index, viaMessage: false, messageStatus: nil))
        }
        while cursor < line.endIndex {
            let character = line[cursor]
            if character.isASCII && (character.isLetter || character.isNumber || character == "_") {
                if start == nil { start = cursor }
            } else {
                finishWord(at: cursor)
            }
            cursor = line.index(after: cursor)
        }
        finishWord(at: line.endIndex)
        return mentions
    }

    /// `Code: X`, `ErrorCode: X`, `"code": "X"`, `'error': 'X'`, `error=X`, `(X) message`, `(Code: X)`.
    static func inCodePosition(_ line: Substring, _ start: Substring.Index, _ end: Substring.Index) -> Bool {
        let before = line[..<start].suffix(16).lowercased().trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'"))
        if ["code:", "code =", "code=", "error:", "error=", "error code:"].contains(where: { before.hasSuffix($0) }) { return true }
        let after = line[end...]
        return before.hasSuffix("(") && after.hasPrefix(")")
    }
}
