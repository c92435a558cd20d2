import Foundation
import TrailModel

/// A URL taken apart without validation (captures hold relative, redacted and half-encoded URLs).
///
/// An ASCII URL (nearly all) is taken apart on its bytes. Any other keeps the reading by
/// characters, where a combining mark joins the character before it (`#\u{301}` is no `#`).
struct URLParts {
    var host = ""
    var path = ""
    var query = ""
    /// The URL is ASCII: its bytes are its characters.
    private(set) var isASCII = false

    init(_ url: String) {
        let ascii = url.utf8.withContiguousStorageIfAvailable { Self.allASCII($0) ? URLParts(ascii: $0) : nil }
        self = (ascii ?? nil) ?? URLParts(characters: url)
    }

    private init(ascii bytes: UnsafeBufferPointer<UInt8>) {
        isASCII = true
        let end = Self.firstIndex(of: UInt8(ascii: "#"), in: bytes, 0..<bytes.count) ?? bytes.count
        var restEnd = end
        if let queryStart = Self.firstIndex(of: UInt8(ascii: "?"), in: bytes, 0..<end) {
            query = Self.string(bytes, queryStart + 1..<end)
            restEnd = queryStart
        }
        var restStart = 0
        if let schemeEnd = Self.firstIndex(ofSchemeSeparatorIn: bytes, 0..<restEnd) {
            restStart = schemeEnd
            let hostEnd = Self.firstIndex(of: UInt8(ascii: "/"), in: bytes, restStart..<restEnd) ?? restEnd
            var authority = restStart..<hostEnd
            if let at = Self.lastIndex(of: UInt8(ascii: "@"), in: bytes, authority) { authority = at + 1..<authority.upperBound }
            if let colon = Self.lastIndex(of: UInt8(ascii: ":"), in: bytes, authority) { authority = authority.lowerBound..<colon }
            host = String(unsafeUninitializedCapacity: authority.count) { buffer in
                for (offset, byte) in bytes[authority].enumerated() { buffer[offset] = Redactor.lowercase(byte) }
                return authority.count
            }
            restStart = hostEnd
        }
        path = Self.string(bytes, restStart..<restEnd)
    }

    private init(characters url: String) {
        var rest = Substring(url)
        if let hashIndex = rest.firstIndex(of: "#") { rest = rest[..<hashIndex] }
        if let queryStart = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: queryStart)...])
            rest = rest[..<queryStart]
        }
        if let schemeEnd = rest.range(of: "://") {
            rest = rest[schemeEnd.upperBound...]
            let hostEnd = rest.firstIndex(of: "/") ?? rest.endIndex
            var authority = rest[..<hostEnd]
            if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
            if let colon = authority.lastIndex(of: ":") { authority = authority[..<colon] }
            host = authority.lowercased()
            rest = rest[hostEnd...]
        }
        path = String(rest)
    }

    /// The query parameters, percent-decoded, in order.
    var queryItems: [(name: String, value: String)] {
        guard isASCII else {
            return query.split(separator: "&").map { pair in
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let value = parts.count > 1 ? String(parts[1]) : ""
                return (String(parts[0]).lowercased(), value.removingPercentEncoding ?? value)
            }
        }
        var query = query
        return query.withUTF8 { bytes in
            var items: [(name: String, value: String)] = []
            var start = 0
            while start < bytes.count {
                let end = Self.firstIndex(of: UInt8(ascii: "&"), in: bytes, start..<bytes.count) ?? bytes.count
                defer { start = end + 1 }
                guard end > start else { continue }
                let equals = Self.firstIndex(of: UInt8(ascii: "="), in: bytes, start..<end)
                let nameEnd = equals ?? end
                let name = String(unsafeUninitializedCapacity: nameEnd - start) { buffer in
                    for offset in 0..<(nameEnd - start) { buffer[offset] = Redactor.lowercase(bytes[start + offset]) }
                    return nameEnd - start
                }
                let value = equals.map { Self.string(bytes, $0 + 1..<end) } ?? ""
                // Without a `%` there is nothing to decode (and the value is valid: it is ASCII).
                let hasPercent = equals.map { Self.firstIndex(of: UInt8(ascii: "%"), in: bytes, $0 + 1..<end) != nil } ?? false
                items.append((name, hasPercent ? value.removingPercentEncoding ?? value : value))
            }
            return items
        }
    }

    /// The path's segments.
    var segments: [Substring] { path.split(separator: "/") }

    /// The segment after the first one equal to `name` (case-insensitive).
    func segment(after name: String) -> String? {
        let all = segments
        guard let index = all.firstIndex(where: { $0.caseInsensitiveCompare(name) == .orderedSame }), index + 1 < all.count else { return nil }
        return String(all[index + 1])
    }

    // MARK: Bytes

    static func allASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var union: UInt8 = 0
        for byte in bytes { union |= byte }
        return union < 0x80
    }

    static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    static func firstIndex(of target: UInt8, in bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        var index = range.lowerBound
        while index < range.upperBound {
            if bytes[index] == target { return index }
            index += 1
        }
        return nil
    }

    static func lastIndex(of target: UInt8, in bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        var index = range.upperBound
        while index > range.lowerBound {
            index -= 1
            if bytes[index] == target { return index }
        }
        return nil
    }

    /// The offset just after the first `://`.
    static func firstIndex(ofSchemeSeparatorIn bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        var index = range.lowerBound
        while index + 3 <= range.upperBound {
            if bytes[index] == UInt8(ascii: ":") && bytes[index + 1] == UInt8(ascii: "/") && bytes[index + 2] == UInt8(ascii: "/") {
                return index + 3
            }
            index += 1
        }
        return nil
    }
}

/// The identity and resource a token request names in its query (IMDS, App Service, Arc).
enum IdentityQuery {
    /// Query parameter (lower case) and the field it fills.
    static let parameters: [(parameter: String, field: String)] = [
        ("resource", "resource"), ("client_id", "clientId"), ("object_id", "principalId"), ("principal_id", "principalId"),
        ("mi_res_id", "identityResourceId"), ("msi_res_id", "identityResourceId"), ("api-version", "apiVersion"),
    ]

    static func addFields(of url: String, to fields: inout RecordFields) {
        addFields(of: URLParts(url), to: &fields)
    }

    static func addFields(of parts: URLParts, to fields: inout RecordFields) {
        let items = parts.queryItems
        for (parameter, field) in parameters {
            // A value a log has replaced with REDACTED is not the value: leave the field out.
            guard let value = items.first(where: { $0.name == parameter })?.value, !value.isEmpty,
                  value != Redactor.placeholder else { continue }
            fields.set(field, value)
        }
    }
}

/// What an ARM request URL names: the resource path and, for Batch, the account and pool.
enum ARMPath {
    static func addFields(of url: String, to fields: inout RecordFields) {
        addFields(of: URLParts(url), to: &fields)
    }

    static func addFields(of parts: URLParts, to fields: inout RecordFields) {
        var path = parts.path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        let lower = path.lowercased()
        guard lower.hasPrefix("/subscriptions/") || lower.hasPrefix("/providers/") else { return }
        fields.set("targetResource", path)
        guard lower.contains("/providers/microsoft.batch/batchaccounts/") else { return }
        fields.set("account", parts.segment(after: "batchAccounts"))
        fields.set("pool", parts.segment(after: "pools"))
    }
}

/// What a storage URL names: the account, the container and the resource without its query.
enum StoragePath {
    static func addFields(of parts: URLParts, to fields: inout RecordFields) {
        guard !parts.host.isEmpty else { return }
        fields.set("targetResource", "https://" + parts.host + parts.path)
        fields.set("storageAccount", parts.host.split(separator: ".").first.map(String.init))
        fields.set("container", parts.segments.first.map(String.init))
    }
}

/// Error details from the bodies Azure services return: token endpoint (`error`, `error_description`),
/// ARM (`error.code`, `error.message`), Batch data plane (`code`, `message.value`), App Service MSI,
/// and storage XML (`<Code>`, `<Message>`).
enum ErrorBody {
    static func addFields(of body: Any?, to fields: inout RecordFields) {
        if let text = body as? String, text.contains("<Code>") {
            fields.set("errorCode", XMLText.element("Code", in: text))
            fields.set("errorMessage", XMLText.element("Message", in: text).map(firstLine))
            fields.set("authenticationErrorDetail", XMLText.element("AuthenticationErrorDetail", in: text))
            return
        }
        guard let object = body as? [String: Any] else { return }
        if let code = object["error"] as? String {
            fields.set("errorCode", code)
            fields.set("errorMessage", object["error_description"] as? String)
            if let codes = object["error_codes"] as? [Any] {
                fields.set("errorCodes", codes.compactMap { ($0 as? NSNumber)?.stringValue ?? $0 as? String }.joined(separator: ","))
            }
            fields.set("traceId", object["trace_id"] as? String)
            fields.set("correlationId", object["correlation_id"] as? String)
        } else if let error = object["error"] as? [String: Any] {
            fields.set("errorCode", error["code"] as? String)
            fields.set("errorMessage", error["message"] as? String)
            fields.set("errorTarget", error["target"] as? String)
            ARMPolicyDenial.addFields(ofError: error, to: &fields)
        } else if let code = object["code"] as? String {
            fields.set("errorCode", code)
            fields.set("errorMessage", object["message"] as? String ?? JSONValues.value(object, "message", "value") as? String)
        } else if object["statusCode"] != nil, let message = object["message"] as? String {
            fields.set("errorMessage", message)
            fields.set("correlationId", object["correlationId"] as? String)
        }
        if let message = fields.string("errorMessage") { ARMAuthorizationMessage.addFields(of: message, to: &fields) }
    }

    static func firstLine(_ text: String) -> String {
        String(text.prefix { $0 != "\n" && $0 != "\r" })
    }
}

/// The text of simple XML elements (storage error bodies).
enum XMLText {
    static func element(_ name: String, in text: String) -> String? {
        guard let open = text.range(of: "<" + name + ">"),
              let close = text.range(of: "</" + name + ">", range: open.upperBound..<text.endIndex) else { return nil }
        return String(text[open.upperBound..<close.lowerBound])
    }
}

/// GUIDs in their dashed text form. (`ARMValues.guid` normalises a dashed or dashless one.)
enum GUIDText {
    /// True for a GUID such as `00000000-0000-0000-0000-0000000000a1`, in either case.
    static func isGUID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                guard byte == UInt8(ascii: "-") else { return false }
            } else if !((48...57).contains(byte) || (65...70).contains(byte) || (97...102).contains(byte)) {
                return false
            }
        }
        return true
    }
}

/// Token endpoint bodies: the error shape and the success shape with an `access_token`.
enum TokenEndpointBody {
    static func looksLikeOne(_ object: [String: Any]) -> Bool {
        if object["error"] is String && object["error_description"] is String { return true }
        return object["access_token"] is String
            && (object["token_type"] != nil || object["expires_on"] != nil || object["expires_in"] != nil)
    }

    /// Token claims, the identity's client ID, the resource and the expiry of a success body.
    static func addTokenFields(of object: [String: Any], to fields: inout RecordFields) {
        guard let token = object["access_token"] as? String else { return }
        TokenClaims.addFields(of: token, to: &fields)
        if let clientId = object["client_id"] as? String {
            if let requested = fields.string("clientId"), requested.caseInsensitiveCompare(clientId) != .orderedSame {
                fields.set("responseClientId", clientId)
            } else {
                fields.set("clientId", clientId)
            }
        }
        if fields["resource"] == nil { fields.set("resource", object["resource"] as? String) }
        let expiresOn = (object["expires_on"] as? String) ?? (object["expires_on"] as? NSNumber)?.stringValue
        fields.set("expiresOn", expiresOn.map { EpochText.iso8601($0) ?? $0 })
    }
}

/// The non-secret claims of a bearer token met in a payload, as fields.
enum TokenClaims {
    static let claimFields: [(claim: String, field: String, isTime: Bool)] = [
        ("oid", "tokenOid", false), ("appid", "tokenAppId", false), ("tid", "tokenTenantId", false),
        ("aud", "tokenAudience", false), ("xms_mirid", "tokenMiResourceId", false),
        ("iat", "tokenIssuedAt", true), ("exp", "tokenExpiresAt", true),
    ]

    static func addFields(of token: String, to fields: inout RecordFields) {
        // Placeholders ("Sanitized", "***", "eyJ0eXAi...") are not tokens: no fingerprint for them.
        let segments = token.split(separator: ".", omittingEmptySubsequences: false)
        let jwtShaped = segments.count == 3 && segments[0].count >= 10 && segments[1].count >= 10
        guard jwtShaped || (token.count >= 32 && !token.contains(" ")) else { return }
        let summary = TokenSummary(token: Array(token.utf8))
        for (claim, field, isTime) in claimFields {
            guard let value = summary.claim(claim) else { continue }
            fields.set(field, isTime ? EpochText.iso8601(value) ?? value : value)
        }
        fields.set("tokenFingerprint", summary.fingerprint)
    }
}

/// Seconds since 1970 written as text ("1580179304"), as token bodies and claims carry them.
enum EpochText {
    static func iso8601(_ text: String) -> String? {
        guard let seconds = Double(text), seconds > 0, seconds < 1e11 else { return nil }
        return Timestamp(secondsSince1970: seconds).iso8601
    }
}

/// HTTP dates (RFC 7231 IMF-fixdate, RFC 1123): `Mon, 27 Jan 2020 18:58:13 GMT`; `UTC` in place of `GMT` (as some
/// servers and clients write it) and any case of the zone are read too. The one reader of HTTP dates.
enum HTTPDate {
    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    static func parse(_ text: String) -> Timestamp? {
        let words = text.trimmedWhitespace(newlines: true).split(separator: " ")
        guard words.count == 6, ["GMT", "UTC"].contains(words[5].uppercased()),
              let day = Int(words[1]), let monthIndex = months.firstIndex(of: words[2].lowercased()),
              let year = Int(words[3]), words[4].count == 8 else { return nil }
        let iso = String(format: "%04d-%02d-%02dT", year, monthIndex + 1, day) + words[4] + "Z"
        return TimestampParser.parse(iso)
    }
}

/// A whole ISO 8601 timestamp (white space around it ignored) and how much it says about its zone: the
/// origin a record's own time takes (`record`, or `record-assumed-utc` without a zone). The one reader of
/// record times; a time inside a longer text is `ErrorTextFields.isoTime`'s.
enum RecordTime {
    static func parse(_ text: String?) -> (time: Timestamp, origin: TimeOrigin)? {
        guard var text = text?.trimmedWhitespace(newlines: true), !text.isEmpty else { return nil }
        return text.withUTF8 { bytes in
            guard let parsed = TimestampParser.parsePrefix(bytes), parsed.length == bytes.count else { return nil }
            return (parsed.timestamp, parsed.hadZone ? .record : .recordAssumedUTC)
        }
    }
}
