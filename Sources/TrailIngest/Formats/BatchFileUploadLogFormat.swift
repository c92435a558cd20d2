import Foundation
import TrailModel

extension RecordKind {
    /// One entry of a task's output-file upload log (fileuploaderr.txt, fileuploadout.txt).
    static let batchFileUploadLog = RecordKind("azure:batch:file-upload-log")
}

/// The logs the Batch service writes on the node when it uploads a task's output files
/// (`fileuploadout.txt`, `fileuploaderr.txt` beside the task's `wd`, as the REST `OutputFile` reference
/// names them). No public sample shows their layout, so the reader is tolerant, as the agent log's is:
/// one record per line, a line being a JSON object (its time, level, message, code and destination
/// under the usual key names) or text (an optional ISO 8601 time, then the message). Known error codes
/// (`FileUploadMiscError`, `FileUploadAccessDenied`, Storage's `AuthorizationPermissionMismatch`, ...) and
/// HTTP statuses are read wherever they stand, the destination's storage account and container from its
/// URL (its SAS `sig` is redacted), and the job and task from the file's path
/// (`.../tasks/workitems/JOB/job-1/TASK/fileuploaderr.txt`). Undated lines take their neighbour's time.
public struct BatchFileUploadLogFormat: EvidenceFormat {
    public let id = "batch-file-upload-log"
    public let title = "Batch output-file upload logs (fileuploaderr.txt, fileuploadout.txt)"
    public let example = "az batch task file download --job-id JOB --task-id TASK --file-path fileuploaderr.txt --destination fileuploaderr.txt"

    static let timeKeys = ["time", "timestamp", "Timestamp", "TimeStamp", "@t", "date", "datetime"]
    static let messageKeys = ["message", "Message", "msg", "@m", "error", "Error", "errorMessage", "ErrorMessage"]
    static let codeKeys = ["errorCode", "ErrorCode", "code", "Code", "error_code"]
    static let levelKeys = ["level", "Level", "severity", "@l"]

    public init() {}

    /// Log-like lines (mostly dated, or JSON objects) that speak of uploading, with a storage destination
    /// or a file upload error code.
    public func sniff(_ sample: SniffSample) -> Bool {
        let lines = sample.lines(40).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        // An agent log may speak of uploading its own logs: it is batch-agent-log's.
        guard !lines.isEmpty, !AgentLogFormat().sniff(sample) else { return false }
        let logLike = lines.filter { Self.jsonObject($0) != nil || ClientLogLine.parse($0).time != nil }.count
        guard logLike * 2 >= lines.count, lines.contains(where: { $0.lowercased().contains("upload") }) else { return false }
        return lines.contains { line in
            line.contains("FileUpload") || ErrorTextFields.urls(in: line).contains { HTTPExchange.target(of: $0) == .storage }
        }
    }

    public func refusal(of sample: SniffSample) -> String? {
        "not an upload log: it needs dated or JSON lines that speak of uploading to a storage URL or name a FileUpload error"
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        let (job, task) = Self.jobAndTask(inPath: sink.context.path)
        var dating = NeighbourDating()
        try input.forEachLine { line in
            guard !line.isBlank else { return }
            if line.isTruncated || line.bytes.contains(0) {
                try sink.reject(line: line.number, reason: line.isTruncated ? "line longer than 1 MiB" : "binary data (NUL bytes), not a log line", text: line.text)
                return
            }
            var record = Self.record(of: line.text, number: line.number)
            if let job, record.fields["job"] == nil { record.fields.set("job", job) }
            if let task, record.fields["task"] == nil { record.fields.set("task", task) }
            try dating.take(record, into: sink)
        }
        try dating.finish(into: sink)
    }

    static func record(of text: String, number: Int) -> EvidenceRecord {
        var fields = RecordFields()
        var time: Timestamp?
        var origin = TimeOrigin.none
        var message = text
        if let object = jsonObject(text) {
            fields.set("entry", "json")
            if let stamp = timeKeys.lazy.compactMap({ object[$0] as? String }).first, let parsed = RecordTime.parse(stamp) {
                (time, origin) = (parsed.time, parsed.origin)
            }
            fields.set("level", levelKeys.lazy.compactMap { object[$0] as? String }.first)
            message = messageKeys.lazy.compactMap { object[$0] as? String }.first ?? text
            if let code = codeKeys.lazy.compactMap({ object[$0] as? String }).first { fields.set("errorCode", code) }
            if let status = ["statusCode", "httpStatusCode", "status", "StatusCode"].lazy.compactMap({ object[$0] as? NSNumber }).first {
                fields.set("status", .integer(status.int64Value))
            }
        } else {
            let line = ClientLogLine.parse(text)
            if let stamp = line.time { (time, origin) = (stamp, line.hadZone ? .record : .recordAssumedUTC) }
            fields.set("level", line.level)
            message = String(line.message)
        }
        fields.set("message", message)
        let substrings = [Substring(text)]
        if fields["errorCode"] == nil, let mention = preferredMention(in: substrings) { fields.set("errorCode", mention.code) }
        if fields["status"] == nil, let status = ErrorTextFields.status(in: substrings) { fields.set("status", .integer(Int64(status))) }
        ErrorTextFields.addIDs(in: text, to: &fields)
        if let destination = ErrorTextFields.urls(in: text).first(where: { HTTPExchange.target(of: $0) == .storage }) {
            fields.set("url", destination)
            StoragePath.addFields(of: URLParts(destination), to: &fields)
            // An upload writes: explain asks for the blob write permission.
            fields.set("operationName", "PutBlob")
        }
        return EvidenceRecord(kind: .batchFileUploadLog, position: SourcePosition(line: number), time: time, timeOrigin: origin,
                              fields: fields, raw: text)
    }

    /// The line's known errors, a Storage cause before a generic FileUpload code.
    static func preferredMention(in lines: [Substring]) -> ErrorMention? {
        let mentions = ErrorMentions.find(in: lines)
        return mentions.first { $0.entry.service == .storage } ?? mentions.first { $0.weight == .specific } ?? mentions.first
    }

    static func jsonObject(_ line: String) -> [String: Any]? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("{"), trimmed.hasSuffix("}") else { return nil }
        return JSONBody.parse(trimmed) as? [String: Any]
    }

    /// `JOB` and `TASK` of `.../workitems/JOB/job-1/TASK/...` (the node's task directory).
    static func jobAndTask(inPath path: String) -> (String?, String?) {
        let parts = path.split(whereSeparator: { $0 == "/" || $0 == "\\" || $0 == "!" }).map(String.init)
        guard let index = parts.firstIndex(of: "workitems"), index + 3 < parts.count else { return (nil, nil) }
        return (parts[index + 1], parts[index + 3])
    }
}
