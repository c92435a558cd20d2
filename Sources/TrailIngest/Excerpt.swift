/// The start of a record's text, kept with its reject.
///
/// Parsers hand over at most `sourceLength` bytes, cut where no secret can be cut in half (at a space
/// or a delimiter): the redactor only recognises a secret it sees whole. The excerpt stored is the
/// first `storedLength` characters of that text once redacted.
public enum Excerpt {
    public static let sourceLength = 4096
    public static let storedLength = 200

    /// The text, or its start cut back to the last space or delimiter before `sourceLength` bytes.
    public static func of(_ text: String) -> String {
        guard text.utf8.count > sourceLength else { return text }
        return of(Array(text.utf8.prefix(sourceLength + 1)))
    }

    /// The bytes as text (invalid UTF-8 becomes U+FFFD), cut as `of(_: String)` cuts.
    public static func of(_ bytes: some Collection<UInt8>) -> String {
        guard bytes.count > sourceLength else { return String(decoding: bytes, as: UTF8.self) }
        let head = Array(bytes.prefix(sourceLength))
        let end = head.lastIndex(where: isBreak) ?? 0
        return String(decoding: head[..<end], as: UTF8.self)
    }

    /// What is redacted and stored of a reject's text.
    static func stored(_ text: String) -> String {
        String(Redactor.redact(of(text)).prefix(storedLength))
    }

    static func isBreak(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "&"), UInt8(ascii: "\""),
             UInt8(ascii: "'"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "{"), UInt8(ascii: "}"):
            return true
        default:
            return false
        }
    }
}
