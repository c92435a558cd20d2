import Foundation
import TrailModel

/// Error text as people paste it: a ticket, a chat message, a PowerShell `Invoke-WebRequest`
/// transcript, an exception chain quoted in Markdown, a workflow engine's console. Wherever a known
/// Azure error code or documented message appears (`AzureErrorCatalog`: IMDS, Entra `AADSTS` codes,
/// ARM, RBAC, Azure Policy, Storage, Batch, Key Vault), the paragraph around it becomes a failure
/// record: the code, its message, the HTTP status, the time, request and correlation IDs, and the
/// identity, action, scope or resource the text names, with `shape: free text`.
///
/// Paragraphs are separated by two blank lines (or a Markdown rule or fence) so that an exception
/// keeps its `Status:`, `Content:` and `Headers:` parts together. Markdown table rows are read as
/// documentation (tables of error codes), not as reports. One record per distinct error of a
/// paragraph (a wrapper such as `DeploymentFailed` goes with the error it carries); paragraphs that
/// name no known error are prose, not records. The record's kind is the service's
/// (`azure:imds:token-response`, `azure:arm:error`, `azure:storage:error`, `azure:batch:error`,
/// `azure:batch:task` for a task failure code), so explain diagnoses it as it does the structured forms.
///
/// It comes late in detection (just before the agent log) and leaves agent logs to their format.
public struct PastedErrorTextFormat: EvidenceFormat {
    public let id = "pasted-error-text"
    public let title = "Azure error text pasted from a ticket, console or chat (known error codes and messages in free text)"
    public let example = "paste the error into a file: pbpaste > error.txt (macOS), Get-Clipboard > error.txt (PowerShell)"

    /// A paragraph longer than this many lines is read in parts.
    static let maximumParagraphLines = 200

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        guard !Self.looksBinary(sample), !AgentLogFormat().sniff(sample) else { return false }
        return ErrorMentions.containsError(sample.lines(400).map(Self.scannable))
    }

    /// The line as the scan reads it: a Markdown table row is documentation (a table of error codes),
    /// not a report of one, and reads as nothing.
    static func scannable(_ line: String) -> Substring {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("|") && trimmed.dropFirst().contains("|") { return "" }
        return Substring(line)
    }

    /// NUL bytes near the start: a binary file (a database, an archive), whatever words it holds.
    static func looksBinary(_ sample: SniffSample) -> Bool {
        sample.bytes.prefix(512).contains(0)
    }

    public func refusal(of sample: SniffSample) -> String? {
        if Self.looksBinary(sample) { return "binary data (NUL bytes), not text" }
        if AgentLogFormat().sniff(sample) { return "the text is a Batch agent log, which batch-agent-log reads" }
        return "no known Azure error code or message in the text (AADSTS..., AuthorizationFailed, AuthorizationPermissionMismatch, "
            + "Identity not found, ResourceContainerAccessDenied, ...)"
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        var paragraph = Paragraph()
        var blankRun = 0
        try input.forEachLine { line in
            if line.bytes.contains(0) {
                try sink.reject(line: line.number, reason: "binary data (NUL bytes), not text", text: line.text)
                return
            }
            let text = line.text
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            let separator = trimmed == "---" || trimmed == "***" || trimmed.hasPrefix("```")
            blankRun = line.isBlank ? blankRun + 1 : 0
            if separator || blankRun >= 2 || paragraph.lines.count >= Self.maximumParagraphLines {
                try paragraph.emit(into: sink)
                paragraph = Paragraph()
                if separator { return }
            }
            if paragraph.lines.isEmpty && line.isBlank { return }
            paragraph.add(text, number: line.number)
        }
        try paragraph.emit(into: sink)
    }
}

/// Lines read together, and the records they make.
private struct Paragraph {
    var lines: [String] = []
    var numbers: [Int] = []

    mutating func add(_ text: String, number: Int) {
        lines.append(text)
        numbers.append(number)
    }

    func emit(into sink: RecordSink) throws {
        guard !lines.isEmpty else { return }
        let substrings = lines.map(PastedErrorTextFormat.scannable)
        let mentions = ErrorMentions.find(in: substrings)
        guard !mentions.isEmpty else { return }
        let raw = lines.joined(separator: "\n")
        var common = RecordFields()
        common.set("shape", "free text")
        ErrorTextFields.addIDs(in: raw, to: &common)
        let (time, origin) = ErrorTextFields.time(in: substrings) ?? sink.context.snapshotTime
        let codes = mentions.map(\.code).uniqued()
        let causes = Self.causes(mentions)
        for (index, mention) in causes.enumerated() {
            // Each error's own lines: from after the previous error's line to before the next one's.
            let previous = index == 0 ? nil : causes[index - 1].code
            let first = previous.map { code in mentions.filter { $0.code == code }.map(\.line).max()! + 1 } ?? 0
            let end = index + 1 < causes.count ? max(causes[index + 1].line, mention.line + 1) : substrings.count
            let own = Array(substrings[min(first, mention.line)..<end])
            var fields = RecordFields()
            fields.set("errorCode", mention.code)
            fields.set("errorMessage", ErrorTextFields.message(for: mention, in: substrings))
            if let status = ErrorTextFields.status(in: own) ?? ErrorTextFields.status(in: substrings) ?? mention.messageStatus {
                fields.set("status", .integer(Int64(status)))
            }
            if codes.count > 1 { fields.set("codes", ARMValues.jsonText(codes)) }
            if let wrapper = mentions.first(where: { $0.weight == .wrapper && $0.code != mention.code }) {
                fields.set("wrapperErrorCode", wrapper.code)
            }
            for (name, value) in common.entries where fields[name] == nil { fields.set(name, value) }
            ErrorTextFields.addIDs(in: own.joined(separator: "\n"), to: &fields)
            ErrorTextFields.addIdentityAndTarget(in: (causes.count == 1 ? substrings : own).joined(separator: "\n"), to: &fields)
            try sink.emit(EvidenceRecord(kind: mention.entry.kind, position: SourcePosition(line: numbers[mention.line]),
                                         time: time, timeOrigin: origin, fields: fields, raw: raw))
        }
    }

    /// The errors a paragraph reports, once each: its specific ones, else its generic ones, else its wrappers.
    static func causes(_ mentions: [ErrorMention]) -> [ErrorMention] {
        for weight in [AzureErrorCatalog.Weight.specific, .generic, .wrapper] {
            var seen = Set<String>()
            let chosen = mentions.filter { $0.weight == weight && seen.insert($0.code).inserted }
            if !chosen.isEmpty { return chosen }
        }
        return []
    }
}

extension Array where Element: Hashable {
    /// The elements in order, each once.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
