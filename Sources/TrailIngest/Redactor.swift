import Crypto
import Foundation

/// Removes secrets from text before anything is stored or printed.
///
/// - A JWT (bearer token) becomes `<redacted-jwt sha256:FINGERPRINT oid=… appid=…>`:
///   its non-secret claims and the first 12 hex digits of its SHA-256.
/// - The values of `access_token`, `refresh_token`, `id_token`, `client_secret`,
///   `client_assertion`, `password`, `pwd`, `AccountKey`, `SharedAccessKey`, SAS `sig`,
///   `Authorization`, `Cookie` and `Set-Cookie` become `REDACTED`, in JSON
///   (`"access_token": "…"`, escaped once or more, or with CSV's doubled quotes), headers
///   (`Authorization: Bearer …`), URLs (`&sig=…`, `\u0026sig=…`, `%26sig%3D…`) and connection
///   strings (`AccountKey=…;`).
/// - HAR headers and cookies: the `value` of `{"name": "Authorization", "value": …}` (and Cookie,
///   Set-Cookie), and every `value` in a `"cookies": [...]` array.
/// - A storage account key (86 base64 characters and `==`) and an Entra ID client secret
///   (`abc8Q~…`) become `REDACTED` wherever they stand.
///
/// Redacting twice changes nothing, and structure around a secret stays: `"authorization": {...}`
/// objects (activity and storage logs) and JSON literals (`"password": null`) are left as they are.
public enum Redactor {
    public static let placeholder = "REDACTED"

    /// Names whose values are secrets (matched case-insensitively, as whole words).
    static let secretNames: [[UInt8]] = [
        // `secretText`: a Graph password credential's value (in service principal and application objects).
        "access_token", "refresh_token", "id_token", "client_secret", "clientsecret", "client_assertion", "secrettext",
        "password", "pwd", "accountkey", "sharedaccesskey", "sig", "authorization", "cookie", "set-cookie",
    ].map { Array($0.utf8) }

    /// For each byte (lower-cased), the secret names that start with it.
    static let secretNamesByFirstByte: [[[UInt8]]] = (0..<256).map { byte in secretNames.filter { Int($0[0]) == byte } }

    /// Names whose value runs to the end of the line or quote, spaces included.
    static let headerNameList: [[UInt8]] = ["authorization", "cookie", "set-cookie"].map { Array($0.utf8) }
    static let headerNames: Set<[UInt8]> = Set(headerNameList)

    /// Lower-case fragments one of which every secret contains; text without any is returned unchanged.
    static let triggers: [[UInt8]] = [
        "eyj", "token", "secret", "assertion", "password", "pwd", "key", "sig", "authorization", "cookie", "bearer",
        "==", "q~",
    ].map { Array($0.utf8) }

    public static func redact(_ text: String) -> String {
        var text = text
        let redacted: [UInt8]? = text.withUTF8 { bytes in
            guard mightHoldSecret(bytes) else { return nil }
            var scanner = Scanner(input: bytes)
            return scanner.run()
        }
        // Nothing replaced: the text as it came, without copying it.
        guard let redacted else { return text }
        return String(decoding: redacted, as: UTF8.self)
    }

    /// For each byte (lower-cased), the triggers that start with it.
    static let triggersByFirstByte: [[[UInt8]]] = {
        var table = [[[UInt8]]](repeating: [], count: 256)
        for trigger in triggers { table[Int(trigger[0])].append(trigger) }
        return table
    }()

    /// For each byte, whether a trigger starts with it (either case).
    static let startsTrigger: [Bool] = (0..<256).map { !triggersByFirstByte[Int(lowercase(UInt8($0)))].isEmpty }

    /// A quick check, case-insensitive, for any trigger fragment.
    static func mightHoldSecret(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 3 else { return false }
        return startsTrigger.withUnsafeBufferPointer { starts in
            for index in 0..<(bytes.count - 1) where starts[Int(bytes[index])] {
                for trigger in triggersByFirstByte[Int(lowercase(bytes[index]))] where index + trigger.count <= bytes.count {
                    var matched = true
                    for offset in 1..<trigger.count where lowercase(bytes[index + offset]) != trigger[offset] {
                        matched = false
                        break
                    }
                    if matched { return true }
                }
            }
            return false
        }
    }

    @inline(__always) static func lowercase(_ byte: UInt8) -> UInt8 {
        byte >= 65 && byte <= 90 ? byte + 32 : byte
    }

    @inline(__always) static func isIdentifier(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 95 || byte == 45
    }

    @inline(__always) static func isBase64URL(_ byte: UInt8) -> Bool {
        isIdentifier(byte)
    }

    @inline(__always) static func isBase64(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 43 || byte == 47
    }

    @inline(__always) static func isHex(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 70) || (byte >= 97 && byte <= 102)
    }

    @inline(__always) static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// The first two bytes (lower-cased) of what a secret found by its name or its prefix starts
    /// with: a JWT (`ey`), a secret name, `Bearer`, and a HAR member (`"authorization"`, `"cookies"`...).
    /// For each first byte, the second bytes that may follow it.
    static let secretStarts: [ByteSet] = {
        let starts = secretNames + headerNames.map { [UInt8(ascii: "\"")] + $0 } + [Array("eyj".utf8), Array("bearer".utf8)]
        return (0..<256).map { first in ByteSet { second in starts.contains { Int($0[0]) == first && $0[1] == second } } }
    }()

    /// The bytes where a secret found by its name or its prefix can start.
    static let startsNamedSecret = ByteSet { !secretStarts[Int(lowercase($0))].isEmpty || $0 == UInt8(ascii: "\"") }

    /// Also where the secrets recognised by their shape can start: a storage account key at any
    /// base64 character, an Entra ID client secret at any of its characters.
    static let startsAnySecret = ByteSet { byte in
        startsNamedSecret.contains(byte) || isBase64(byte) || Scanner.isClientSecretCharacter(byte)
    }

    /// A set of bytes, tested with a shift and a mask.
    struct ByteSet {
        let low: UInt64, high: UInt64, upper: UInt128

        init(_ contains: (UInt8) -> Bool) {
            var low: UInt64 = 0, high: UInt64 = 0, upper: UInt128 = 0
            for byte in 0..<64 where contains(UInt8(byte)) { low |= 1 << byte }
            for byte in 64..<128 where contains(UInt8(byte)) { high |= 1 << (byte - 64) }
            for byte in 128..<256 where contains(UInt8(byte)) { upper |= 1 << (byte - 128) }
            (self.low, self.high, self.upper) = (low, high, upper)
        }

        var isEmpty: Bool { low == 0 && high == 0 && upper == 0 }

        @inline(__always) func contains(_ byte: UInt8) -> Bool {
            if byte < 64 { return low >> byte & 1 != 0 }
            if byte < 128 { return high >> (byte - 64) & 1 != 0 }
            return upper >> (byte - 128) & 1 != 0
        }
    }

    /// One pass over the text, replacing every secret. The output is built only once something is
    /// replaced: until then, and between replacements, the input is copied in runs.
    struct Scanner {
        let input: UnsafeBufferPointer<UInt8>
        /// The redacted text of `input[..<flushed]`; the bytes from `flushed` to `index` are kept as they are.
        var output: [UInt8] = []
        var flushed = 0
        var replacedAny = false
        var index = 0
        /// Inside a HAR `"cookies": [...]` array, up to this offset: every `"value"` there is a secret.
        var cookieArrayEnd = -1

        init(input: UnsafeBufferPointer<UInt8>) {
            self.input = input
        }

        /// The redacted text, or nil when nothing needed replacing.
        mutating func run() -> [UInt8]? {
            // A storage account key ends in `==` and a client secret holds `Q~`: without those
            // (most text), only the positions where a named secret or a JWT can start are tried.
            let accountKeys = contains(UInt8(ascii: "="), UInt8(ascii: "="))
            let clientSecrets = contains(UInt8(ascii: "Q"), UInt8(ascii: "~"))
            // Without them, what starts at a letter (a named secret, `Bearer`, a JWT) starts a word.
            let byShape = accountKeys || clientSecrets
            let candidates = byShape ? Redactor.startsAnySecret : Redactor.startsNamedSecret
            while true {
                index = nextCandidate(from: index, candidates, wordsOnly: !byShape)
                guard index < input.count else { break }
                if replaceToken() || replaceNamedSecret() || replaceHeaderPair() || enterCookieArray() || replaceCookieValue()
                    || replaceBearerCredential() || (accountKeys && replaceAccountKey()) || (clientSecrets && replaceClientSecret()) {
                    continue
                }
                index += 1
            }
            guard replacedAny else { return nil }
            output.append(contentsOf: input[flushed...])
            return output
        }

        /// The first position from `start` where a secret may start: a byte in `candidates`, and with
        /// `wordsOnly`, one that starts a word (or is a `"`) and is followed by a byte in `secretStarts`,
        /// or a `"` in a HAR cookie array.
        func nextCandidate(from start: Int, _ candidates: ByteSet, wordsOnly: Bool) -> Int {
            let secondBytes = Redactor.secretStarts
            var position = start
            while position < input.count {
                let byte = input[position]
                if candidates.contains(byte) {
                    if !wordsOnly || (byte == UInt8(ascii: "\"") && position < cookieArrayEnd) { break }
                    if position + 1 < input.count, secondBytes[Int(lowercase(byte))].contains(lowercase(input[position + 1])),
                       byte == UInt8(ascii: "\"") || startsWord(at: position) {
                        break
                    }
                }
                position += 1
            }
            return position
        }

        /// True when the two bytes stand side by side somewhere in the input.
        func contains(_ first: UInt8, _ second: UInt8) -> Bool {
            guard input.count >= 2, let base = input.baseAddress else { return false }
            var offset = 0
            while offset < input.count - 1, let hit = memchr(base + offset, Int32(first), input.count - 1 - offset) {
                let position = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) - base
                if input[position + 1] == second { return true }
                offset = position + 1
            }
            return false
        }

        func matches(_ name: [UInt8], at start: Int) -> Bool {
            guard start >= 0, start + name.count <= input.count else { return false }
            for offset in 0..<name.count where lowercase(input[start + offset]) != name[offset] { return false }
            return true
        }

        func byte(_ position: Int) -> UInt8? {
            position >= 0 && position < input.count ? input[position] : nil
        }

        func skipSpaces(from start: Int) -> Int {
            var cursor = start
            while cursor < input.count && isSpace(input[cursor]) { cursor += 1 }
            return cursor
        }

        /// Keeps the text from `index` up to `end` as it is and moves there.
        mutating func copy(upTo end: Int) {
            index = end
        }

        /// Puts `replacement` in place of the text from `index` up to `end`, and moves there.
        mutating func replace(upTo end: Int, with replacement: some Sequence<UInt8>) {
            if !replacedAny {
                output.reserveCapacity(input.count + 64)
                replacedAny = true
            }
            output.append(contentsOf: input[flushed..<index])
            output.append(contentsOf: replacement)
            index = end
            flushed = end
        }

        /// Drops the text from `flushed` up to `index` (the rest of a value already replaced).
        mutating func dropSkipped() {
            flushed = index
        }

        static let percent25 = Array("%25".utf8)

        /// True when a word may start at `start`: after a non-identifier, or after an escaped or
        /// percent-encoded separator (`\u0026sig=`, `%26sig%3D`, `%2526sig%253D`).
        func startsWord(at start: Int) -> Bool {
            guard start > 0, isIdentifier(input[start - 1]) else { return true }
            if start >= 6, input[start - 6] == UInt8(ascii: "\\"), lowercase(input[start - 5]) == UInt8(ascii: "u"),
               isHex(input[start - 4]), isHex(input[start - 3]), isHex(input[start - 2]), isHex(input[start - 1]) {
                return true
            }
            if start >= 3, input[start - 3] == UInt8(ascii: "%"), isHex(input[start - 2]), isHex(input[start - 1]) { return true }
            return start >= 5 && matches(Self.percent25, at: start - 5) && isHex(input[start - 2]) && isHex(input[start - 1])
        }
    }
}
