import Foundation
import TrailModel
import TrailStore

/// What `az ... --debug` writes to standard error: `logger: message` lines in which the CLI's
/// HTTP logging policy shows each request and response. The response bodies (`Response content:`
/// then the body on the next line) are the evidence: each is read by the JSON format that
/// recognises it (role assignments, role definitions, Batch accounts, ...), at its own line, with
/// the request URL and response status added. Request bodies are what a client asked for, not
/// state, and are not read as such. Every line is also kept as a client log line (as
/// `azure-identity-client-log` reads it), so `AuthorizationFailed` messages and statuses are there too.
///
/// A body the log cuts short keeps its complete elements and rejects the rest. A body wrapped
/// onto lines without a logger prefix (as pasted into issues) is joined back.
public struct AzureCLIDebugLogFormat: EvidenceFormat {
    public let id = "azure-cli-debug-log"
    public let title = "az --debug output (response bodies read by the matching JSON format)"
    public let example = "az role assignment list --all --debug 2> az-debug.log"

    static let policyLogger = "cli.azure.cli.core.sdk.policies"
    static let contentMarker = "Response content:"

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        guard !sample.looksLikeJSON else { return false }
        let text = sample.text
        // The first response may come after the sample ends; the first request is near the start.
        return text.contains(Self.policyLogger + ": " + Self.contentMarker) || text.contains(Self.policyLogger + ": Request URL: ")
    }

    /// Every line is kept as a client log line: say what the sniff missed instead.
    public func refusal(of sample: SniffSample) -> String? {
        "no `\(Self.policyLogger): Request URL:` or `Response content:` line: not az --debug output"
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        var exchange = Exchange()
        var awaitingContent = false
        var content: (line: Int, text: String)?
        var lines = ClientLogLineReader()

        func flush() throws {
            if let body = content { try read(body.text, line: body.line, exchange: exchange, into: sink) }
            content = nil
        }
        try input.forEachLine { line in
            try lines.take(line, into: sink)
            let text = line.text
            guard let (logger, message) = Self.split(text) else {
                // A body wrapped onto lines of its own: join it back.
                if content != nil, !line.isBlank { content?.text += text }
                return
            }
            try flush()
            if awaitingContent {
                awaitingContent = false
                content = (line.number, message)
                return
            }
            guard logger == Self.policyLogger else { return }
            exchange.note(message)
            if message == Self.contentMarker { awaitingContent = true }
        }
        try flush()
        try lines.finish(into: sink)
    }

    /// `logger.name: message`; nil for a line without a logger prefix.
    static func split(_ text: String) -> (String, String)? {
        guard let colon = text.range(of: ": ") ?? (text.hasSuffix(":") ? text.range(of: ":", options: .backwards) : nil) else { return nil }
        let logger = text[..<colon.lowerBound]
        guard !logger.isEmpty, logger.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" }), logger.contains(".") else { return nil }
        return (String(logger), String(text[colon.upperBound...]))
    }

    /// Hands one response body to the JSON format that reads it.
    func read(_ body: String, line: Int, exchange: Exchange, into sink: RecordSink) throws {
        let bytes = Array(body.utf8)
        let sample = SniffSample(bytes: Array(bytes.prefix(SniffSample.size)), isComplete: bytes.count <= SniffSample.size)
        guard sample.looksLikeJSON else { return }
        guard let format = FormatRegistry.all.first(where: { $0.id != id && $0.sniff(sample) }) else {
            return try sink.reject(line: line, reason: "a response body no format reads\(exchange.url.map { " (from \($0))" } ?? "")", text: body)
        }
        try format.parse(ParseInput(bytes: bytes), into: ExchangeSink(sink, line: line, exchange: exchange))
    }

    /// What the log said about the request a body answers.
    struct Exchange {
        var url: String?
        var status: Int64?
        var date: Timestamp?
        /// The request's `Authorization` header, when the log shows it (az masks it as `*****`; older logs did not).
        var authorization: String?
        var clientRequestId: String?
        var requestId: String?

        mutating func note(_ message: String) {
            if message.hasPrefix("Request URL: ") {
                self = Exchange(url: Self.unquoted(message.dropFirst("Request URL: ".count)))
            } else if message.hasPrefix("Response status: ") {
                status = Int64(message.dropFirst("Response status: ".count).trimmingCharacters(in: .whitespaces))
            } else if let range = message.range(of: "'Date': ") {
                date = HTTPDate.parse(Self.unquoted(message[range.upperBound...]))
            } else if let value = Self.header("Authorization", in: message) {
                authorization = value
            } else if let value = Self.header("x-ms-client-request-id", in: message) {
                clientRequestId = value
            } else if let value = Self.header("x-ms-request-id", in: message) {
                requestId = value
            }
        }

        /// The value of a header line `    'Name': 'value'` (the name in any case).
        static func header(_ name: String, in message: String) -> String? {
            let trimmed = message.trimmingCharacters(in: .whitespaces)
            let prefix = "'" + name.lowercased() + "': "
            guard trimmed.count > prefix.count, trimmed.prefix(prefix.count).lowercased() == prefix else { return nil }
            return unquoted(trimmed.dropFirst(prefix.count))
        }

        static func unquoted(_ text: Substring) -> String {
            String(text.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "'")))
        }
    }
}

/// Passes a body's records on at the log's line, with the exchange's URL and status, timed by the
/// response's `Date` header unless the user gave `--observed-at`.
final class ExchangeSink: RecordSink {
    let downstream: RecordSink
    let line: Int
    let exchange: AzureCLIDebugLogFormat.Exchange
    let context: ParseContext

    init(_ downstream: RecordSink, line: Int, exchange: AzureCLIDebugLogFormat.Exchange) {
        self.downstream = downstream
        self.line = line
        self.exchange = exchange
        var context = downstream.context
        if context.observedAtOrigin != .option, let date = exchange.date {
            context.observedAt = date
            context.observedAtOrigin = .payload
        }
        self.context = context
    }

    func emit(_ record: EvidenceRecord) throws {
        var record = record
        record.position.line = line + (record.position.line ?? 1) - 1
        if record.fields["url"] == nil { record.fields.set("url", exchange.url) }
        if record.fields["status"] == nil, let status = exchange.status { record.fields.set("status", .integer(status)) }
        BearerToken.addFields(ofAuthorization: exchange.authorization, to: &record.fields)
        if record.fields["clientRequestId"] == nil { record.fields.set("clientRequestId", exchange.clientRequestId) }
        if record.fields["requestId"] == nil { record.fields.set("requestId", exchange.requestId) }
        try downstream.emit(record)
    }

    func reject(_ reject: RejectedRecord) throws {
        var reject = reject
        reject.position.line = line + (reject.position.line ?? 1) - 1
        try downstream.reject(reject)
    }
}
