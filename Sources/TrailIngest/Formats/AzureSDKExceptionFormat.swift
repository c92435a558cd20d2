import Foundation
import TrailModel

/// Azure SDK exceptions for calls other than Storage's, as .NET applications log them: a message line
/// (`ManagedIdentityCredential authentication failed: Service request failed.`, `Azure.RequestFailedException:
/// Service request failed.`), `Status: 500 (Internal Server Error)`, an optional `ErrorCode:`, `Content:` with
/// the response body, and `Headers:` with its `Date`; and `System.Net.Http.HttpRequestException: Response status
/// code does not indicate success: 403 (reason)`, whose reason Storage fills with its error's message.
///
/// One record per exception, timed by its `Date` header. The kind follows what answered: a managed identity
/// endpoint (the message names a managed identity credential, or the body is a token endpoint's: App Service's
/// `{"statusCode", "message", "correlationId"}`, IMDS's OAuth error, or a pod identity proxy's plain text such
/// as `pod list is empty`), ARM (an ARM error body or code), Storage (a Storage code or message), else an
/// HTTP exchange. `Azure.RequestFailedException` text about Storage (with its XML body) is
/// `azure-storage-sdk-exception`'s.
public struct AzureSDKExceptionFormat: EvidenceFormat {
    public let id = "azure-sdk-exception"
    public let title = "Azure SDK exception text for managed identity, ARM and Key Vault calls (Status:, Content:, Headers:; HttpRequestException)"
    public let example = "the exception an application logged: Console.Error.WriteLine(exception) > error.txt"

    /// Phrases that open an exception's text.
    static let heads = [
        "Service request failed.", "RequestFailedException", "AuthenticationFailedException", "CredentialUnavailableException",
        "HttpRequestException", "Response status code does not indicate success", "ManagedIdentityCredential authentication",
    ]
    /// An exception longer than this many lines is cut (a stack trace goes on; its head is what counts).
    static let maximumLines = 400

    public init() {}

    /// An exception head in the first lines, a status soon after, and no client log heads (a log that quotes an
    /// exception is azure-identity-client-log's).
    public func sniff(_ sample: SniffSample) -> Bool {
        guard !sample.looksLikeJSON else { return false }
        let lines = sample.lines(40).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        guard lines.prefix(3).contains(where: Self.isHead) else { return false }
        guard ErrorTextFields.status(in: lines.prefix(30).map { Substring($0) }) != nil else { return false }
        return !lines.contains { ClientLogLine.parse($0).isClientHead }
    }

    static func isHead(_ line: String) -> Bool {
        heads.contains { line.contains($0) }
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        var block: [String] = []
        var start = 0
        func flush() throws {
            defer { block = [] }
            guard !block.isEmpty else { return }
            try SDKExceptionText(lines: block).emit(line: start, into: sink)
        }
        try input.forEachLine { line in
            let text = line.text
            if Self.isHead(text) && block.contains(where: { !$0.hasPrefix(" ") && !$0.hasPrefix("\t") && $0.contains("Status") })
                || block.count >= Self.maximumLines {
                try flush()
            }
            if block.isEmpty {
                if line.isBlank { return }
                start = line.number
            }
            block.append(text)
        }
        try flush()
    }
}

/// One exception's text taken apart.
struct SDKExceptionText {
    let lines: [String]

    /// The body after `Content:` up to `Headers:` (or the end), trimmed.
    var content: String? {
        guard let open = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "Content:" }) else { return nil }
        let close = lines[(open + 1)...].firstIndex { $0.trimmingCharacters(in: .whitespaces) == "Headers:" } ?? lines.endIndex
        let text = lines[(open + 1)..<close].joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    func emit(line: Int, into sink: RecordSink) throws {
        let raw = lines.joined(separator: "\n")
        let substrings = lines.map { Substring($0) }
        guard let status = ErrorTextFields.status(in: substrings) else {
            try sink.reject(line: line, reason: "an exception without a status (no Status: NNN or 'does not indicate success: NNN')", text: raw)
            return
        }
        var fields = RecordFields()
        fields.set("status", .integer(Int64(status)))
        fields.set("exception", lines.lazy.compactMap(Self.exceptionClass).first)
        let headers = StorageSDKExceptionFormat.headers(lines)
        let body = content
        let parsedBody = body.flatMap(JSONBody.parse)
        if let object = parsedBody as? [String: Any] {
            ErrorBody.addFields(of: object, to: &fields)
        } else if let body {
            fields.set("errorMessage", body)
        }
        if let code = lines.lazy.compactMap({ Self.value(after: "ErrorCode:", in: $0) }).first { fields.set("errorCode", code) }
        if fields["errorCode"] == nil { fields.set("errorCode", headers["x-ms-error-code"]) }
        let reason = Self.reason(in: lines)
        if fields["errorCode"] == nil, let reason,
           let known = AzureErrorCatalog.lowercasedMessages.first(where: { reason.lowercased().contains($0.text) }) {
            fields.set("errorCode", known.message.code)
        }
        if fields["errorMessage"] == nil { fields.set("errorMessage", reason ?? lines.first) }
        fields.set("requestId", headers["x-ms-request-id"])
        fields.set("correlationId", headers["x-ms-correlation-request-id"])
        fields.set("server", headers["server"])
        ErrorTextFields.addIdentityAndTarget(in: raw, to: &fields)
        fields.set("shape", ".NET exception text")
        let date = headers["date"].flatMap(HTTPDate.parse)
        let (time, origin) = date.map { ($0, TimeOrigin.record) } ?? ErrorTextFields.time(in: substrings) ?? sink.context.snapshotTime
        try sink.emit(EvidenceRecord(kind: kind(fields: fields, body: parsedBody, raw: raw), position: SourcePosition(line: line),
                                     time: time, timeOrigin: origin, fields: fields, raw: raw))
    }

    /// What answered, by the message, the body and the code.
    func kind(fields: RecordFields, body: Any?, raw: String) -> RecordKind {
        let tokenURL = fields.string("url").map { HTTPExchange.target(of: $0) == .imdsToken } ?? false
        if raw.contains("ManagedIdentityCredential") || raw.contains("Azure.Identity") || tokenURL { return .imdsTokenResponse }
        if let object = body as? [String: Any], TokenEndpointBody.looksLikeOne(object) || ImdsResponseBodyFormat.isBody(object) {
            return .imdsTokenResponse
        }
        if let code = fields.string("errorCode"), let entry = AzureErrorCatalog.entry(forCode: code) { return entry.kind }
        return .httpExchange
    }

    /// `Azure.RequestFailedException` from `Azure.RequestFailedException: Service request failed.`
    static func exceptionClass(_ line: String) -> String? {
        let word = line.trimmingCharacters(in: .whitespaces).prefix { !$0.isWhitespace && $0 != ":" }
        return word.hasSuffix("Exception") || word.hasSuffix("Error") ? String(word) : nil
    }

    /// The reason in `Status: 500 (Internal Server Error)` or `... success: 403 (reason).`
    static func reason(in lines: [String]) -> String? {
        for line in lines {
            for marker in ["Status: ", "does not indicate success: "] {
                guard let range = line.range(of: marker) else { continue }
                let after = line[range.upperBound...].drop { $0.isNumber || $0 == " " }
                guard after.hasPrefix("("), let close = after.lastIndex(of: ")") else { continue }
                let text = after[after.index(after: after.startIndex)..<close]
                if !text.isEmpty { return String(text) }
            }
        }
        return nil
    }

    static func value(after label: String, in line: String) -> String? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix(label) else { return nil }
        let value = trimmed.dropFirst(label.count).trimmingCharacters(in: .whitespaces)
        return value.isEmpty ? nil : value
    }
}
