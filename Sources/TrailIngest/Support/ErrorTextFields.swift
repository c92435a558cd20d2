import Foundation
import TrailModel

/// What a piece of error text says besides its code, as record fields: the message, the HTTP status,
/// request and correlation IDs, and the identity, action, scope and resource it names.
enum ErrorTextFields {
    /// Labels after which a request or correlation ID follows, and the field each fills.
    static let idLabels: [(label: String, field: String)] = [
        ("x-ms-request-id", "requestId"), ("requestid:", "requestId"), ("request id:", "requestId"), ("request-id:", "requestId"),
        ("x-ms-client-request-id", "clientRequestId"), ("client-request-id", "clientRequestId"),
        ("trace id:", "traceId"), ("trace_id", "traceId"), ("traceid", "traceId"),
        ("x-ms-correlation-request-id", "correlationId"), ("correlation id:", "correlationId"), ("correlation_id", "correlationId"),
        ("correlationid", "correlationId"), ("correlation-id", "correlationId"),
    ]

    /// The message of the error at `mention`: what follows `(CODE)`, `Message:`, `message: ...` or a
    /// `message` / `error_description` member, else the line that names it.
    static func message(for mention: ErrorMention, in lines: [Substring]) -> String? {
        let line = lines[mention.line]
        if !mention.viaMessage, let range = line.range(of: "(" + mention.code + ")") {
            let rest = clean(line[range.upperBound...])
            if !rest.isEmpty { return rest }
        }
        if let range = line.range(of: "; message: ", options: .caseInsensitive) { return clean(line[range.upperBound...]) }
        let following = Array(lines[mention.line..<min(lines.count, mention.line + 5)])
        for (offset, candidate) in following.enumerated() {
            let trimmed = clean(candidate)
            guard trimmed.lowercased().hasPrefix("message:") else { continue }
            var value = String(trimmed.dropFirst("message:".count)).trimmingCharacters(in: .whitespaces)
            if value.isEmpty, offset + 1 < following.count { value = clean(following[offset + 1]) }
            value = value.trimmingCharacters(in: CharacterSet(charactersIn: "\"',"))
            if !value.isEmpty { return value }
        }
        for candidate in following.prefix(3) {
            for key in ["error_description", "message", "Message"] {
                if let value = quotedValue(ofKey: key, in: candidate) { return value }
            }
        }
        let cleaned = clean(line)
        return cleaned.isEmpty ? nil : cleaned
    }

    /// The text of a line without markdown quoting, list marks, emphasis and surrounding white space.
    static func clean(_ line: Substring) -> String {
        var text = line.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "&emsp;", with: " ")
            .trimmingCharacters(in: .whitespaces)
        while let first = text.first, ">*-`#|".contains(first) { text = String(text.dropFirst()).trimmingCharacters(in: .whitespaces) }
        while let last = text.last, "*`|".contains(last) { text = String(text.dropLast()).trimmingCharacters(in: .whitespaces) }
        return text
    }

    /// The string value of `"key": "value"` or `'key': 'value'` (JSON or a Python dict repr), unescaped enough to
    /// read; a value the line cuts (a console wrapping it) runs to the line's end.
    static func quotedValue(ofKey key: String, in line: Substring) -> String? {
        for quote in ["\"", "'"] {
            guard let keyRange = line.range(of: quote + key + quote) else { continue }
            let rest = line[keyRange.upperBound...].drop { $0 == " " || $0 == ":" }
            guard let open = rest.first, open == "\"" || open == "'" else { continue }
            var value = ""
            var escaped = false
            for character in rest.dropFirst() {
                if escaped { value.append(character == "n" ? "\n" : character); escaped = false; continue }
                if character == "\\" { escaped = true; continue }
                if character == open { return value }
                value.append(character)
            }
            return value.trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    /// The HTTP status the text states: `Status: 403`, `Status code 403`, `StatusCode=403`, `HTTP/1.1 403`,
    /// `"statusCode": 403`, `status code: 404`, `Response status code does not indicate success: 403`.
    static func status(in lines: [Substring]) -> Int? {
        let phrases = ClientLogRules.statusPhrases + ["HTTP/1.1 ", "HTTP/2 ", "HTTP/1.0 ", "\"statusCode\": ", "\"statusCode\":",
                                                      "statusCode: ", "httpStatusCode: ", "does not indicate success: ", "Status Code = '"]
        for line in lines {
            for phrase in phrases {
                guard let range = line.range(of: phrase, options: .caseInsensitive) else { continue }
                let digits = line[range.upperBound...].prefix(while: \.isNumber)
                if digits.count == 3, let status = Int(digits), (100...599).contains(status) { return status }
            }
        }
        return nil
    }

    /// The error's time: Storage's `Time:`, Entra's `Timestamp:`, an HTTP `Date:` header, else the
    /// first ISO 8601 time in the text, else an unambiguous US-style date.
    static func time(in lines: [Substring]) -> (Timestamp, TimeOrigin)? {
        for line in lines {
            for label in ["Time:", "Timestamp:"] {
                guard let range = line.range(of: label) else { continue }
                if let found = isoTime(in: line[range.upperBound...].drop { $0 == " " }, anchored: true) { return found }
            }
            if let range = line.range(of: "Date:", options: .caseInsensitive),
               let date = HTTPDate.parse(String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"',"))) {
                return (date, .record)
            }
        }
        for line in lines {
            if let found = isoTime(in: line, anchored: false) { return found }
        }
        for line in lines {
            if let found = LocalizedTime.find(in: line).time { return (found, .recordAssumedUTC) }
        }
        return nil
    }

    /// The first ISO 8601 time in the text (at its start only, when `anchored`).
    static func isoTime(in text: Substring, anchored: Bool) -> (Timestamp, TimeOrigin)? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer -> (Timestamp, TimeOrigin)? in
            let all = UnsafeBufferPointer(buffer)
            var start = 0
            while start + 19 <= all.count {
                // A time starts with four digits, after a non-digit.
                if (48...57).contains(all[start]), start == 0 || !(48...57).contains(all[start - 1]),
                   let parsed = TimestampParser.parsePrefix(UnsafeBufferPointer(rebasing: all[start...])) {
                    return (parsed.timestamp, parsed.hadZone ? .record : .recordAssumedUTC)
                }
                if anchored { return nil }
                start += 1
            }
            return nil
        }
    }

    /// Request, correlation and trace IDs after their labels (a GUID or a hex token within a few characters).
    static func addIDs(in text: String, to fields: inout RecordFields) {
        let lower = text.lowercased()
        for (label, field) in idLabels where fields[field] == nil {
            guard let range = lower.range(of: label) else { continue }
            let rest = text[range.upperBound...].prefix(48).drop { !$0.isHexDigit }
            let token = rest.prefix { $0.isHexDigit || $0 == "-" }
            if token.count >= 16 { fields.set(field, String(token)) }
        }
    }

    /// The identity and target the text names: an ARM authorization message (client, object id, action,
    /// scope), `Principal X does not exist in the directory T`, Key Vault's `appid=X;oid=Y`, a token
    /// request URL's identity, a user-assigned identity's resource ID, and a Storage or ARM URL.
    static func addIdentityAndTarget(in text: String, to fields: inout RecordFields) {
        // The message may stand after other text (a command line, "ERROR: (Code) "): it is read from "The client".
        ARMAuthorizationMessage.addFields(of: text, to: &fields)
        addMissingPrincipal(in: text, to: &fields)
        if let appid = word(after: "appid=", in: text), let oid = word(after: "oid=", in: text) {
            if fields["clientId"] == nil { fields.set("clientId", appid) }
            if fields["principalId"] == nil { fields.set("principalId", oid) }
        }
        // Entra's secret errors name the application: "... for app '00000000-...'" (AADSTS7000215, AADSTS7000222).
        if fields["clientId"] == nil, let range = text.range(of: " app '"),
           let app = text[range.upperBound...].split(separator: "'", maxSplits: 1).first.map(String.init), GUIDText.isGUID(app) {
            fields.set("clientId", app)
        }
        if let resourceID = userAssignedIdentityID(in: text) { fields.set("identityResourceId", resourceID) }
        for url in urls(in: text) {
            let parts = URLParts(url)
            switch HTTPExchange.target(of: parts) {
            case .imdsToken:
                fields.set("url", url)
                IdentityQuery.addFields(of: parts, to: &fields)
            case .storage:
                if fields["url"] == nil { fields.set("url", url) }
                StoragePath.addFields(of: parts, to: &fields)
            case .arm:
                if fields["url"] == nil { fields.set("url", url) }
                ARMPath.addFields(of: parts, to: &fields)
            case .other:
                continue
            }
        }
    }

    /// `Principal 6e...  does not exist in the directory 72f9...`: the principal an assignment named, and the tenant.
    static func addMissingPrincipal(in text: String, to fields: inout RecordFields) {
        guard let range = text.range(of: " does not exist in the directory ") else { return }
        let before = text[..<range.lowerBound].split(separator: " ").last.map(String.init)
        if let principal = before.flatMap({ ARMValues.guid($0) }), fields["principalId"] == nil { fields.set("principalId", principal) }
        if let tenant = text[range.upperBound...].prefix(while: { $0.isHexDigit || $0 == "-" }).nilIfEmpty.flatMap({ ARMValues.guid(String($0)) }) {
            fields.set("tenantId", tenant)
        }
    }

    /// The `http(s)://...` URLs of the text, up to white space or a closing quote or bracket.
    static func urls(in text: String) -> [String] {
        var found: [String] = []
        var rest = Substring(text)
        while let start = rest.range(of: "http", options: .caseInsensitive) {
            let candidate = rest[start.lowerBound...].prefix { !$0.isWhitespace && !"'\"<>[](){}`,".contains($0) }
            if candidate.contains("://") { found.append(String(candidate.trimmingCharacters(in: CharacterSet(charactersIn: ".;:")))) }
            rest = rest[start.upperBound...]
        }
        return found
    }

    /// A `/subscriptions/.../providers/Microsoft.ManagedIdentity/userAssignedIdentities/NAME` in the text.
    static func userAssignedIdentityID(in text: String) -> String? {
        guard let range = text.range(of: "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/", options: .caseInsensitive),
              let start = text[..<range.lowerBound].range(of: "/subscriptions/", options: [.caseInsensitive, .backwards]) else { return nil }
        let name = text[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        guard !name.isEmpty else { return nil }
        return String(text[start.lowerBound..<range.upperBound]) + name
    }

    /// The word after `marker`: letters, digits and `-`.
    static func word(after marker: String, in text: String) -> String? {
        guard let range = text.range(of: marker, options: .caseInsensitive) else { return nil }
        let word = text[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" }
        return word.isEmpty ? nil : String(word)
    }
}

extension Substring {
    var nilIfEmpty: Substring? { isEmpty ? nil : self }
}
