import Foundation
import TrailModel

/// Azure Storage errors as SDKs print them: .NET `Azure.RequestFailedException` text (`Status: 403 (...)`,
/// `ErrorCode: ...`, `Content:` with the XML body, `Headers:`), Python `HttpResponseError` (`ErrorCode:...`,
/// `Content: <?xml ...`), Java `BlobStorageException` (`Status code 403, "<?xml ..."`), and recorded
/// responses in the nock form of the JavaScript SDK's tests (`.reply(401, "<?xml ...", ['Name', 'value', ...])`).
///
/// One record per exception (a new one starts at the next status line or `.reply(`), of kind
/// `azure:storage:error`. The record's time is the message's `Time:`, else the `Date` header, else the snapshot time.
public struct StorageSDKExceptionFormat: EvidenceFormat {
    public let id = "azure-storage-sdk-exception"
    public let title = "Azure Storage errors as SDK exception text (RequestFailedException: Status, ErrorCode, Headers)"
    public let example = "the exception text an application logged for a failed Storage call"

    /// A block of text longer than this is read in parts.
    static let maximumBlockLength = 1 << 20
    static let exceptionMarkers = ["RequestFailedException", "HttpResponseError", "StorageException", "StorageErrorException"]
    /// Headers kept as fields, under their lower-case names.
    static let keptHeaders: Set<String> = ["server", "x-ms-version", "www-authenticate", "content-type"]

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        guard !sample.looksLikeJSON, sample.firstSignificantByte != UInt8(ascii: "<") else { return false }
        let text = sample.text
        if text.contains(".reply(") && text.contains("<Error><Code>") { return true }
        let hasCode = text.contains("ErrorCode:") || text.lowercased().contains("x-ms-error-code")
        let hasException = text.contains("Status: ") || text.contains("Status code ")
            || Self.exceptionMarkers.contains { text.contains($0) }
        return hasCode && hasException && Self.isAboutStorage(text)
    }

    /// Storage answered: its XML error, its servers and headers, a storage host, or a Storage error code.
    /// An ARM or Key Vault RequestFailedException (ErrorCode: AuthorizationFailed) is azure-sdk-exception's.
    static func isAboutStorage(_ text: String) -> Bool {
        let lower = text.lowercased()
        if text.contains("<Error>") || text.contains("Windows-Azure-") || lower.contains("x-ms-version") || lower.contains(".core.windows.net") {
            return true
        }
        let codes = text.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return trimmed.hasPrefix("ErrorCode:") ? trimmed.dropFirst("ErrorCode:".count).trimmingCharacters(in: .whitespaces) : nil
        }
        return codes.contains { AzureErrorCatalog.byCode[$0]?.service == .storage }
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        var block: [String] = []
        var blockLength = 0
        var startLine = 0
        var blockHasError = false
        func flush() throws {
            defer { block = []; blockLength = 0; blockHasError = false }
            guard block.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else { return }
            try Self.emit(block, line: startLine, into: sink)
        }
        try input.forEachLine { line in
            let text = line.text
            let isStatus = text.contains(".reply(") || Self.statusLine(text) != nil
            // The next exception starts at its exception line or status line, once this one has its error.
            let startsException = isStatus || Self.exceptionMarkers.contains { text.contains($0) }
            if (startsException && blockHasError) || blockLength + text.utf8.count > Self.maximumBlockLength {
                try flush()
            }
            if block.isEmpty {
                if line.isBlank { return }
                startLine = line.number
            }
            block.append(text)
            blockLength += text.utf8.count + 1
            if isStatus || text.contains("ErrorCode:") || text.contains("<Error>") || text.lowercased().contains("x-ms-error-code") {
                blockHasError = true
            }
        }
        try flush()
    }

    /// The status of a `Status: 403 (...)`, `Status code 403` or `.reply(403, ...` line.
    static func statusLine(_ line: String) -> (status: Int, text: String?)? {
        for marker in ["Status: ", "Status code ", ".reply("] {
            guard let range = line.range(of: marker) else { continue }
            let digits = line[range.upperBound...].prefix { $0.isNumber }
            guard digits.count == 3, let status = Int(digits) else { continue }
            var reason: String?
            let after = line[range.upperBound...].dropFirst(3).drop { $0 == " " }
            if after.hasPrefix("("), let close = after.lastIndex(of: ")") {
                reason = String(after[after.index(after: after.startIndex)..<close])
            }
            return (status, reason)
        }
        return nil
    }

    static func emit(_ lines: [String], line: Int, into sink: RecordSink) throws {
        let raw = lines.joined(separator: "\n")
        var fields = RecordFields()
        var statusText: String?
        if let (status, reason) = lines.lazy.compactMap(statusLine).first {
            fields.set("status", .integer(Int64(status)))
            statusText = reason
        }
        let headers = Self.headers(lines)
        let body = lines.contains { $0.contains(".reply(") } ? NockRecording.firstStringArgument(raw) ?? raw : raw
        StorageErrorXML.addFields(StorageErrorXML.elements(of: body), to: &fields)
        for text in lines {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("ErrorCode:") {
                fields.set("errorCode", String(trimmed.dropFirst("ErrorCode:".count)).trimmingCharacters(in: .whitespaces))
            }
        }
        if fields["errorCode"] == nil { fields.set("errorCode", headers["x-ms-error-code"]) }
        if fields["errorMessage"] == nil {
            let (text, requestId, time) = AzurePayload.splitServiceMessage(raw)
            fields.set("errorMessage", statusText ?? text.split(separator: "\n").first.map(String.init))
            fields.set("requestId", requestId)
            fields.set("errorTime", time)
        }
        if fields["requestId"] == nil { fields.set("requestId", headers["x-ms-request-id"]) }
        fields.set("clientRequestId", headers["x-ms-client-request-id"])
        for name in keptHeaders.sorted() { fields.set(name, headers[name]) }
        let date = headers["date"].flatMap(HTTPDate.parse)
        if fields["errorTime"] == nil { fields.set("errorTime", date?.iso8601) }
        guard fields["errorCode"] != nil else {
            try sink.reject(line: line, reason: "no Storage error here (no ErrorCode, x-ms-error-code header or <Error> body)", text: raw)
            return
        }
        let (time, origin) = AzurePayload.time([fields.string("errorTime")], sink: sink)
        try sink.emit(EvidenceRecord(kind: .storageError, position: SourcePosition(line: line), time: time,
                                     timeOrigin: origin, fields: fields, raw: raw))
    }

    /// Response headers, by lower-case name: `Name: value` lines after `Headers:`, or a nock header list.
    static func headers(_ lines: [String]) -> [String: String] {
        var headers: [String: String] = [:]
        if lines.contains(where: { $0.contains(".reply(") }) {
            let names = NockRecording.headerPairs(lines)
            for (name, value) in names where headers[name.lowercased()] == nil { headers[name.lowercased()] = value }
            return headers
        }
        var inHeaders = false
        for line in lines {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == "Headers:" { inHeaders = true; continue }
            guard inHeaders else { continue }
            guard let colon = trimmed.firstIndex(of: ":"), colon != trimmed.startIndex else {
                if trimmed.isEmpty { inHeaders = false }
                continue
            }
            let name = trimmed[..<colon].lowercased()
            guard !name.contains(" ") else { inHeaders = false; continue }
            headers[name] = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return headers
    }
}

/// Responses recorded by nock, as the JavaScript SDK's test recordings hold them.
enum NockRecording {
    /// The first string literal after `.reply(STATUS, `, with its JavaScript escapes decoded.
    static func firstStringArgument(_ text: String) -> String? {
        guard let reply = text.range(of: ".reply("), let open = text[reply.upperBound...].firstIndex(where: { $0 == "\"" || $0 == "'" })
        else { return nil }
        return decodeLiteral(text[text.index(after: open)...], quote: text[open]).value
    }

    /// Decodes a JavaScript string literal body up to its closing quote; returns the value and the rest.
    static func decodeLiteral(_ text: Substring, quote: Character) -> (value: String, rest: Substring) {
        var output = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            index = text.index(after: index)
            if character == quote { return (output, text[index...]) }
            guard character == "\\", index < text.endIndex else { output.append(character); continue }
            let escaped = text[index]
            index = text.index(after: index)
            switch escaped {
            case "n": output.append("\n")
            case "r": output.append("\r")
            case "t": output.append("\t")
            case "u":
                let hex = text[index...].prefix(4)
                if hex.count == 4, let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) {
                    output.unicodeScalars.append(scalar)
                    index = text.index(index, offsetBy: 4)
                } else {
                    output.append("u")
                }
            default: output.append(escaped)
            }
        }
        return (output, text[text.endIndex...])
    }

    /// The header list after the body: `['Name', 'value', ...]` (pairs) or `{ 'Name': 'value', ... }`.
    static func headerPairs(_ lines: [String]) -> [(String, String)] {
        let text = lines.joined(separator: "\n")
        guard let reply = text.range(of: ".reply("), let open = text[reply.upperBound...].firstIndex(where: { $0 == "\"" || $0 == "'" })
        else { return [] }
        var rest = decodeLiteral(text[text.index(after: open)...], quote: text[open]).rest
        var strings: [String] = []
        while let quote = rest.firstIndex(where: { $0 == "'" || $0 == "\"" }) {
            let (value, after) = decodeLiteral(rest[rest.index(after: quote)...], quote: rest[quote])
            strings.append(value)
            rest = after
        }
        return stride(from: 0, to: strings.count - 1, by: 2).map { (strings[$0], strings[$0 + 1]) }
    }
}
