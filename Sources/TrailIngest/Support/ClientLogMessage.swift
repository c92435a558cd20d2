import Foundation
import TrailModel

/// What one client log message says, as fields: the request (method, URL and, for IMDS, the
/// identity asked for), the response status, an error body, ARM's AuthorizationFailed message,
/// MSAL's correlation, and credential-chain outcomes.
enum ClientLogMessage {
    static let imdsHost = "169.254.169.254"

    static func addFields(of message: Substring, logger: String?, to fields: inout RecordFields) {
        let text = String(message)
        addRequest(text, to: &fields)
        addStatus(text, to: &fields)
        addError(text, to: &fields)
        addMSAL(text, to: &fields)
        addCredential(text, logger: logger, to: &fields)
        if let server = word(after: "IMDS/", in: text) { fields.set("server", "IMDS/" + server) }
        if ClientLogRules.noAnswerPhrases.contains(where: text.containsBytes) { fields.set("noAnswer", .bool(true)) }
    }

    /// Method and URL, from the phrases each library uses, else any IMDS token URL in the line.
    static func addRequest(_ text: String, to fields: inout RecordFields) {
        var url = quoted(after: "Request URL: '", until: "'", in: text) ?? quoted(after: "sending token request to [", until: "]", in: text)
            ?? quoted(after: "\"url\": \"", until: "\"", in: text)
        fields.set("method", quoted(after: "Request method: '", until: "'", in: text) ?? quoted(after: "\"method\": \"", until: "\"", in: text))
        for marker in ["Request [", "Response [", "Error response ["] where text.hasPrefix(marker) {
            // .NET Azure.Core: "Request [id] GET url", "Response [id] 200 OK (00.0s)", "Request [id] attempt number 2 took 00.1s"
            fields.set("requestId", quoted(after: marker, until: "]", in: text))
            let words = text.split(separator: "]", maxSplits: 1).last?.split(separator: " ") ?? []
            if marker == "Request [", words.count >= 4, words[0] == "attempt", words[1] == "number" {
                if let attempt = Int64(words[2]) { fields.set("attempt", .integer(attempt)) }
                if let seconds = words.last.map({ $0.dropLast($0.hasSuffix("s") ? 1 : 0) }).flatMap({ Double($0) }) {
                    fields.set("durationMs", FieldNumber.value(seconds * 1000))
                }
            } else if marker == "Request [", words.count >= 2, HTTPTranscriptFormat.methods.contains(words[0]) {
                fields.set("method", String(words[0]))
                url = String(words[1])
            } else if let status = words.first.flatMap({ Int($0) }) {
                fields.set("status", .integer(Int64(status)))
                if let seconds = quoted(after: "(", until: "s)", in: text).flatMap(Double.init) { fields.set("durationMs", FieldNumber.value(seconds * 1000)) }
            }
        }
        addUrllib3(text, url: &url, to: &fields)
        if url == nil, let range = text.range(of: "http://" + imdsHost) {
            url = String(text[range.lowerBound...].prefix { !$0.isWhitespace && !"'\"]>)".contains($0) })
        }
        guard let url else { return }
        fields.set("url", url)
        if HTTPExchange.target(of: url) == .imdsToken { IdentityQuery.addFields(of: url, to: &fields) }
    }

    /// urllib3: `https://management.azure.com:443 "GET /subscriptions/... HTTP/1.1" 403 312`.
    static func addUrllib3(_ text: String, url: inout String?, to fields: inout RecordFields) {
        guard let open = text.range(of: " \""), let close = text.range(of: " HTTP/1.1\" ", range: open.upperBound..<text.endIndex) else { return }
        let request = text[open.upperBound..<close.lowerBound].split(separator: " ", maxSplits: 1)
        let origin = text[..<open.lowerBound].split(separator: " ").last.map(String.init) ?? ""
        guard request.count == 2, origin.hasPrefix("http") else { return }
        fields.set("method", String(request[0]))
        url = url ?? origin + request[1]
        if let status = text[close.upperBound...].split(separator: " ").first.flatMap({ Int($0) }) { fields.set("status", .integer(Int64(status))) }
    }

    static func addStatus(_ text: String, to fields: inout RecordFields) {
        guard fields["status"] == nil else { return }
        for phrase in ClientLogRules.statusPhrases {
            guard let range = text.range(of: phrase) else { continue }
            let digits = text[range.upperBound...].prefix(while: \.isNumber)
            if digits.count == 3, let status = Int(digits) {
                fields.set("status", .integer(Int64(status)))
                return
            }
        }
    }

    /// A JSON error body in the line, az's `(Code) message`, and ARM's AuthorizationFailed text.
    static func addError(_ text: String, to fields: inout RecordFields) {
        if text.contains("{\"") || text.contains("{ \""), let body = JSONBody.embeddedObject(in: Substring(text)) {
            ErrorBody.addFields(of: body, to: &fields)
        } else if text.contains("{'"), let body = PythonLiteral.firstDict(in: Substring(text)) {
            // Python's repr of the body: `Unexpected response "{'error': 'invalid_request', ...}"`.
            ErrorBody.addFields(of: body, to: &fields)
        } else if text.contains("<Code>") {
            ErrorBody.addFields(of: text, to: &fields)
        }
        if fields["errorCode"] == nil, let code = parenthesisedCode(text) ?? (text.hasPrefix("Code: ") ? word(after: "Code: ", in: text) : nil)
            ?? headerValue("x-ms-error-code", in: text) {
            fields.set("errorCode", code)
        }
        if fields["principalId"] == nil { ARMAuthorizationMessage.addFields(of: text, to: &fields) }
    }

    /// az and azure-core write ARM errors as `(AuthorizationFailed) The client ...`, at the start or after `Error: `.
    static func parenthesisedCode(_ text: String) -> String? {
        let rest: Substring
        if text.hasPrefix("(") {
            rest = text.dropFirst()
        } else if let range = text.range(of: ": (") {
            rest = text[range.upperBound...]
        } else {
            return nil
        }
        let code = rest.prefix { $0 != ")" }
        guard !code.isEmpty, code.allSatisfy({ $0.isLetter || $0.isNumber }), rest.dropFirst(code.count).hasPrefix(") ") else { return nil }
        return String(code)
    }

    /// A header value in the ways logs print headers: `'Name': 'value'`, `"name": "value"`, `Name:value`.
    static func headerValue(_ name: String, in text: String) -> String? {
        guard let range = text.range(of: name, options: .caseInsensitive) else { return nil }
        let value = text[range.upperBound...].drop { "'\": ".contains($0) }.prefix { !"'\", ".contains($0) }
        return value.isEmpty ? nil : String(value)
    }

    /// MSAL.NET: `MSAL 4.65.0.0 MSAL.NetCore ... [2024-10-23 20:50:18Z - 74a75c12-...] [Component] message`.
    static func addMSAL(_ text: String, to fields: inout RecordFields) {
        guard let version = word(after: "MSAL ", in: text), version.first?.isNumber == true else { return }
        fields.set("msalVersion", version)
        guard let stamp = text.range(of: "Z - ") else { return }
        fields.set("correlationId", quoted(after: "Z - ", until: "]", in: text))
        let component = text[stamp.upperBound...].range(of: "] [").flatMap { quoted(after: "] [", until: "]", in: String(text[$0.lowerBound...])) }
        fields.set("component", component)
    }

    /// The time MSAL.NET writes inside its lines, for lines that have no time of their own.
    static func msalTime(_ text: Substring) -> Timestamp? {
        guard text.contains("MSAL "), let open = text.range(of: " ["), let end = text.range(of: "Z - ", range: open.upperBound..<text.endIndex) else { return nil }
        return TimestampParser.parse(String(text[open.upperBound..<end.lowerBound]) + "Z")
    }

    static func addCredential(_ text: String, logger: String?, to fields: inout RecordFields) {
        for rule in ClientLogRules.credentialPhrases {
            guard let range = text.range(of: rule.phrase) else { continue }
            let credential: String?
            switch rule.credentialSide {
            case .after:
                credential = word(after: rule.phrase, in: text).map { $0.split(separator: ".").last.map(String.init) ?? $0 }
            case .before:
                credential = text[..<range.lowerBound].split(whereSeparator: { !$0.isLetter && !$0.isNumber }).last { $0.hasSuffix("Credential") }.map(String.init)
            case .logger:
                credential = logger?.split(separator: ".").last.map(String.init)
            }
            guard let credential, credential.hasSuffix("Credential") else { continue }
            fields.set("credential", credential)
            fields.set("outcome", rule.outcome)
            break
        }
        for (phrase, stops) in ClientLogRules.sourcePhrases {
            guard let range = text.range(of: phrase) else { continue }
            let source = text[range.upperBound...].prefix { !stops.contains($0) }.trimmingCharacters(in: .whitespaces)
            if !source.isEmpty { fields.set("managedIdentitySource", source) }
            break
        }
    }

    /// The text after `marker` up to `end` (not included).
    static func quoted(after marker: String, until end: String, in text: String) -> String? {
        guard let start = text.range(of: marker), let stop = text.range(of: end, range: start.upperBound..<text.endIndex) else { return nil }
        return String(text[start.upperBound..<stop.lowerBound])
    }

    /// The word after `marker`: letters, digits and `.`, `_`, `-`, without a trailing `.`.
    static func word(after marker: String, in text: String) -> String? {
        guard let start = text.range(of: marker) else { return nil }
        var word = text[start.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-" }
        while word.hasSuffix(".") { word = word.dropLast() }
        return word.isEmpty ? nil : String(word)
    }
}
