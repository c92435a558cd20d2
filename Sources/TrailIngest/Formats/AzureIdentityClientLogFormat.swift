import Foundation
import TrailModel

extension RecordKind {
    static let identityClientLogLine = RecordKind("azure:identity:client-log-line")
}

/// Client-side logs of token acquisition and Azure calls: azure-identity for Python, .NET
/// (Azure.Core / Azure.Identity event sources, MSAL.NET), JavaScript and Java, `az --debug`
/// output, and the exception text these clients print. Every line is kept as a record (evidence);
/// lines that carry a request, a status, an error body, an ARM AuthorizationFailed message or a
/// credential outcome get those as fields. Lines without a time take their neighbour's.
public struct AzureIdentityClientLogFormat: EvidenceFormat {
    public let id = "azure-identity-client-log"
    public let title = "Azure Identity / MSAL / Azure SDK client logs, az --debug output"
    public let example = "AZURE_LOG_LEVEL=info node app.js 2> identity.log, or az role assignment list --debug 2> az-debug.log"

    /// Undated lines at the start of a file wait this long for a dated neighbour.
    static let maximumLeadingUndatedLines = 1_000
    /// Phrases only Azure identity clients write, for text without log heads (exception messages).
    static let clientPhrases = [
        "Credential authentication failed", "Credential authentication unavailable", "ManagedIdentityAuthorizer: failed",
        "MSAL.NetCore", "MSAL.Desktop",
    ]

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        // Java and .NET lines start with `[`: only a sample that really holds JSON is left alone.
        guard !sample.looksLikeJSON || sample.firstJSONValue == nil else { return false }
        return sample.lines(60).contains { line in
            ClientLogLine.parse(line).isClientHead || Self.clientPhrases.contains(where: line.contains)
        }
    }

    /// Any text is lines: say what the sniff missed instead of what the parser reads.
    public func refusal(of sample: SniffSample) -> String? {
        if sample.looksLikeJSON && sample.firstJSONValue != nil { return "the content is JSON, not log lines" }
        return "no line in the first 60 has an Azure client log head (INFO:azure.identity..., azure:identity:info, "
            + "[Informational] Azure-Identity:, [thread] LEVEL com.azure.identity...) or an Azure Identity exception phrase"
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        var reader = ClientLogLineReader()
        try input.forEachLine { try reader.take($0, into: sink) }
        try reader.finish(into: sink)
    }

    /// The line's record; `headLine` is the last line with a head, which a continuation line names.
    static func record(of text: String, number: Int, continuing headLine: inout Int?) -> EvidenceRecord {
        let line = ClientLogLine.parse(text)
        var fields = RecordFields()
        fields.set("level", line.level)
        fields.set("logger", line.logger)
        fields.set("thread", line.thread)
        fields.set("exception", line.exception)
        if line.hasHead {
            headLine = number
        } else if let headLine {
            fields.set("continuesLine", .integer(Int64(headLine)))
        }
        ClientLogMessage.addFields(of: line.message.drop { $0 == " " || $0 == "\t" }, logger: line.logger, to: &fields)
        let time = line.time ?? ClientLogMessage.msalTime(line.message)
        let origin: TimeOrigin = time == nil ? .none : (line.time == nil || line.hadZone ? .record : .recordAssumedUTC)
        return EvidenceRecord(kind: .identityClientLogLine, position: SourcePosition(line: number), time: time,
                              timeOrigin: origin, fields: fields, raw: text)
    }
}

/// Turns client log lines into records one at a time: lines without a date take their neighbour's.
/// Shared with `az --debug` reading, which keeps every line too.
struct ClientLogLineReader {
    private var dating = NeighbourDating(maximumWaiting: AzureIdentityClientLogFormat.maximumLeadingUndatedLines)
    private var headLine: Int?

    mutating func take(_ inputLine: InputLine, into sink: RecordSink) throws {
        guard !inputLine.isBlank else { return }
        if inputLine.isTruncated || inputLine.bytes.contains(0) {
            let reason = inputLine.isTruncated ? "line longer than \(ParseInput.maximumLineLength >> 20) MiB" : "binary data (NUL bytes), not a log line"
            try sink.reject(line: inputLine.number, reason: reason, text: inputLine.text)
            return
        }
        try dating.take(AzureIdentityClientLogFormat.record(of: inputLine.text, number: inputLine.number, continuing: &headLine), into: sink)
    }

    mutating func finish(into sink: RecordSink) throws {
        try dating.finish(into: sink)
    }
}
