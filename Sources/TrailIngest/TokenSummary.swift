import Crypto
import Foundation

/// What may be kept of a bearer token: its non-secret claims and a short fingerprint.
public struct TokenSummary: Sendable, Equatable {
    /// The claims kept, in this order.
    public static let keptClaims = ["oid", "appid", "tid", "aud", "xms_mirid", "iat", "exp", "uti"]

    /// The first 12 hex digits of the token's SHA-256.
    public let fingerprint: String
    public let claims: [(name: String, value: String)]

    public static func == (lhs: TokenSummary, rhs: TokenSummary) -> Bool {
        lhs.fingerprint == rhs.fingerprint && lhs.claims.elementsEqual(rhs.claims) { $0 == $1 }
    }

    public init(token: [UInt8]) {
        let digest = SHA256.hash(data: token)
        fingerprint = digest.prefix(6).map { String(format: "%02x", $0) }.joined()
        claims = Self.decodeClaims(token)
    }

    /// The text that stands in for the token: `<redacted-jwt sha256:… oid=… …>`.
    public var text: String {
        var text = "<redacted-jwt sha256:" + fingerprint
        for claim in claims { text += " " + claim.name + "=" + claim.value }
        return text + ">"
    }

    public func claim(_ name: String) -> String? {
        claims.first { $0.name == name }?.value
    }

    /// Decodes the payload segment and keeps the claims in `keptClaims`, made safe to print.
    static func decodeClaims(_ token: [UInt8]) -> [(name: String, value: String)] {
        let segments = token.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard segments.count >= 2, let payload = base64URLDecode(Array(segments[1])),
              let object = try? JSONSerialization.jsonObject(with: payload) as? [String: Any]
        else { return [] }
        return keptClaims.compactMap { name in
            guard let value = object[name] else { return nil }
            let text: String
            switch value {
            case let string as String: text = string
            case let number as NSNumber: text = number.stringValue
            default: return nil
            }
            let safe = String(text.unicodeScalars.filter(Self.isSafe).prefix(300).map(Character.init))
            return safe.isEmpty ? nil : (name, safe)
        }
    }

    /// Characters a claim value may keep: enough for IDs, URLs and resource IDs, nothing that breaks quoting.
    static func isSafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", ".", "-", "_", ":", "/", "@": return true
        default: return false
        }
    }

    static func base64URLDecode(_ segment: [UInt8]) -> Data? {
        var text = String(decoding: segment, as: UTF8.self)
            .replacingOccurrences(of: "-", with: "+")
            .replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        return Data(base64Encoded: text)
    }
}
