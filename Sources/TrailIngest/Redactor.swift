import Crypto
import Foundation

/// Removes secrets from text before anything is stored or printed.
///
/// - A JWT (bearer token) becomes `<redacted-jwt sha256:FINGERPRINT oid=… appid=…>`:
///   its non-secret claims and the first 12 hex digits of its SHA-256.
/// - The values of `access_token`, `refresh_token`, `id_token`, `client_secret`,
///   `client_assertion`, `password`, `AccountKey`, `SharedAccessKey`, SAS `sig`,
///   `Authorization`, `Cookie` and `Set-Cookie` become `REDACTED`, in JSON
///   (`"access_token": "…"`), headers (`Authorization: Bearer …`), URLs (`&sig=…`)
///   and connection strings (`AccountKey=…;`).
/// - A storage account key (88 base64 characters ending in `==`) becomes `REDACTED`.
public enum Redactor {
    public static let placeholder = "REDACTED"

    /// Names whose values are secrets (matched case-insensitively, as whole words).
    static let secretNames: [[UInt8]] = [
        "access_token", "refresh_token", "id_token", "client_secret", "clientsecret", "client_assertion",
        "password", "accountkey", "sharedaccesskey", "sig", "authorization", "cookie", "set-cookie",
    ].map { Array($0.utf8) }

    /// Names whose value runs to the end of the line or quote, spaces included.
    static let headerNames: Set<[UInt8]> = Set(["authorization", "cookie", "set-cookie"].map { Array($0.utf8) })

    /// Lower-case fragments one of which every secret contains; text without any is returned unchanged.
    static let triggers: [[UInt8]] = [
        "eyj", "token", "secret", "assertion", "password", "key", "sig", "authorization", "cookie", "bearer", "==",
    ].map { Array($0.utf8) }

    public static func redact(_ text: String) -> String {
        var text = text
        let needed = text.withUTF8 { mightHoldSecret($0) }
        guard needed else { return text }
        let redacted = text.withUTF8 { bytes in
            var scanner = Scanner(input: bytes)
            return scanner.run()
        }
        return String(decoding: redacted, as: UTF8.self)
    }

    /// A quick check, case-insensitive, for any trigger fragment.
    static func mightHoldSecret(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 3 else { return false }
        for index in 0..<(bytes.count - 1) {
            let first = lowercase(bytes[index])
            for trigger in triggers where trigger[0] == first && index + trigger.count <= bytes.count {
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

    @inline(__always) static func lowercase(_ byte: UInt8) -> UInt8 {
        byte >= 65 && byte <= 90 ? byte + 32 : byte
    }

    @inline(__always) static func isIdentifier(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 95 || byte == 45
    }

    @inline(__always) static func isBase64URL(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 95 || byte == 45
    }

    @inline(__always) static func isBase64(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 43 || byte == 47
    }

    /// One pass over the text, copying it with every secret replaced.
    struct Scanner {
        let input: UnsafeBufferPointer<UInt8>
        var output: [UInt8] = []
        var index = 0

        init(input: UnsafeBufferPointer<UInt8>) {
            self.input = input
            output.reserveCapacity(input.count)
        }

        mutating func run() -> [UInt8] {
            while index < input.count {
                if replaceToken() || replaceNamedSecret() || replaceBearerCredential() || replaceAccountKey() { continue }
                output.append(input[index])
                index += 1
            }
            return output
        }

        /// The length of a JWT starting at `start`, or nil.
        func tokenLength(at start: Int) -> Int? {
            guard start + 3 <= input.count, input[start] == UInt8(ascii: "e"), input[start + 1] == UInt8(ascii: "y"),
                  input[start + 2] == UInt8(ascii: "J"), start == 0 || !isBase64URL(input[start - 1])
            else { return nil }
            var cursor = start
            var segments = 0
            var segmentLengths: [Int] = []
            while segments < 3 {
                let segmentStart = cursor
                while cursor < input.count && isBase64URL(input[cursor]) { cursor += 1 }
                segmentLengths.append(cursor - segmentStart)
                segments += 1
                if segments < 3 {
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
            output.append(contentsOf: TokenSummary(token: token).text.utf8)
            index += length
            return true
        }

        /// `name` `"`? space* (`=` | `:`) space* value, with `name` a secret name on word boundaries.
        mutating func replaceNamedSecret() -> Bool {
            guard index == 0 || !isIdentifier(input[index - 1]) else { return false }
            for name in secretNames where matches(name, at: index) {
                var cursor = index + name.count
                guard cursor >= input.count || !isIdentifier(input[cursor]) else { continue }
                if cursor + 1 < input.count, input[cursor] == UInt8(ascii: "\\"), input[cursor + 1] == UInt8(ascii: "\"") {
                    cursor += 2
                } else if cursor < input.count, input[cursor] == UInt8(ascii: "\"") || input[cursor] == UInt8(ascii: "'") {
                    cursor += 1
                }
                while cursor < input.count && input[cursor] == 0x20 { cursor += 1 }
                guard cursor < input.count, input[cursor] == UInt8(ascii: "=") || input[cursor] == UInt8(ascii: ":") else { continue }
                cursor += 1
                while cursor < input.count && input[cursor] == 0x20 { cursor += 1 }
                // A structure or a JSON literal (`"authorization": {"action": ...}` in activity and
                // storage logs, PowerShell's `Authorization :` heading a nested list, `"password": null`)
                // holds no credential: leave it, its contents are still scanned like any text.
                if isStructureOrLiteral(at: cursor, header: headerNames.contains(name)) { continue }
                output.append(contentsOf: input[index..<cursor])
                index = cursor
                copyRedactedValue(wholeLine: headerNames.contains(name))
                return true
            }
            return false
        }

        /// True when the value at `start` holds no credential: a JSON object or array, a JSON literal
        /// (`null`, `true`, `false`), nothing before the line end, or (for headers) a JSON object in a string.
        func isStructureOrLiteral(at start: Int, header: Bool) -> Bool {
            guard start < input.count else { return true }
            let first = input[start]
            if first == UInt8(ascii: "[") || first == UInt8(ascii: "{") || first == 0x0A || first == 0x0D { return true }
            if header, first == UInt8(ascii: "\""), start + 1 < input.count, input[start + 1] == UInt8(ascii: "{") { return true }
            for literal in ["null", "true", "false"] where matches(Array(literal.utf8), at: start) {
                let end = start + literal.count
                if end >= input.count || !isIdentifier(input[end]) { return true }
            }
            return false
        }

        func matches(_ name: [UInt8], at start: Int) -> Bool {
            guard start + name.count <= input.count else { return false }
            for offset in 0..<name.count where lowercase(input[start + offset]) != name[offset] { return false }
            return true
        }

        /// Replaces the value at `index`: quoted, or up to a delimiter (or the line end for headers).
        mutating func copyRedactedValue(wholeLine: Bool) {
            guard index < input.count else { return }
            var quote: UInt8?
            if input[index] == UInt8(ascii: "\"") || input[index] == UInt8(ascii: "'") {
                quote = input[index]
                output.append(input[index])
                index += 1
            } else if input[index] == UInt8(ascii: "\\"), index + 1 < input.count, input[index + 1] == UInt8(ascii: "\"") {
                // A value inside an escaped JSON string: \"value\"
                output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                index += 2
                quote = UInt8(ascii: "\\")
            }
            if wholeLine, matches(Array("bearer ".utf8), at: index) {
                output.append(contentsOf: input[index..<(index + 7)])
                index += 7
            }
            if matches(Array("<redacted-jwt ".utf8), at: index) || matches(Array(placeholder.lowercased().utf8), at: index) {
                return  // Already redacted: leave it, so that redacting twice changes nothing.
            }
            if tokenLength(at: index) != nil {
                _ = replaceToken()
            } else {
                output.append(contentsOf: placeholder.utf8)
            }
            while index < input.count {
                let byte = input[index]
                if let quote {
                    if byte == quote && (quote == UInt8(ascii: "\\") || input[index - 1] != UInt8(ascii: "\\")) { break }
                } else if byte == 0x0A || byte == 0x0D {
                    break
                } else if !wholeLine && Self.endsUnquotedValue(byte) {
                    break
                }
                index += 1
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

        /// `Bearer CREDENTIAL` anywhere (an opaque token, not only a JWT).
        mutating func replaceBearerCredential() -> Bool {
            guard index == 0 || !isIdentifier(input[index - 1]), matches(Array("bearer ".utf8), at: index) else { return false }
            var cursor = index + 7
            while cursor < input.count && input[cursor] == 0x20 { cursor += 1 }
            if tokenLength(at: cursor) != nil {
                output.append(contentsOf: input[index..<cursor])
                index = cursor
                return replaceToken()
            }
            var end = cursor
            while end < input.count && (isBase64URL(input[end]) || input[end] == UInt8(ascii: ".")
                                        || input[end] == UInt8(ascii: "+") || input[end] == UInt8(ascii: "/")
                                        || input[end] == UInt8(ascii: "=") || input[end] == UInt8(ascii: "~")) {
                end += 1
            }
            guard end - cursor >= 16 else { return false }
            output.append(contentsOf: input[index..<cursor])
            output.append(contentsOf: placeholder.utf8)
            index = end
            return true
        }

        /// A storage account key: 86 base64 characters and `==`, standing alone.
        mutating func replaceAccountKey() -> Bool {
            guard index == 0 || !isBase64(input[index - 1]), isBase64(input[index]) else { return false }
            var cursor = index
            while cursor < input.count && isBase64(input[cursor]) { cursor += 1 }
            guard cursor - index == 86, cursor + 2 <= input.count,
                  input[cursor] == UInt8(ascii: "="), input[cursor + 1] == UInt8(ascii: "=")
            else { return false }
            output.append(contentsOf: placeholder.utf8)
            index = cursor + 2
            return true
        }
    }
}
