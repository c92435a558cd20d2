import Foundation
import TrailModel

/// Batch node agent logs (`agent-debug.log` and its kin, from "Upload batch logs"), one record per line.
///
/// No public sample shows the exact layout, so the parser is tolerant: an
/// optional `[`, an ISO 8601 timestamp (`T` or space, optional fraction,
/// `Z`, an offset or none), an optional `]`, `,` or `[LEVEL]`, then the
/// message. Lines without a date take their neighbour's time and say so.
/// Known markers (`health=Status.TvmJoinPoolInProgress`, ...) are recognised
/// anywhere in the line.
public struct AgentLogFormat: EvidenceFormat {
    public let id = "batch-agent-log"
    public let title = "Batch node agent logs (agent-debug.log, agent.log)"
    public let example = "az batch node service-logs upload ... (then download the container), or copy agent-debug.log from the node"

    /// Undated lines at the start of a file wait this long for a dated neighbour.
    static let maximumLeadingUndatedLines = 1_000

    public init() {}

    /// Mostly dated lines using the agent's vocabulary or markers, or nothing but marker lines
    /// (a quoted message); prose that merely mentions a marker is not an agent log.
    public func sniff(_ sample: SniffSample) -> Bool {
        guard !sample.looksLikeJSON else { return false }
        let lines = sample.lines(40).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        guard !lines.isEmpty else { return false }
        func hasMarker(_ line: String) -> Bool { AgentLogMarkers.all.contains { line.contains($0.pattern) } }
        if lines.allSatisfy(hasMarker) { return true }
        let dated = lines.filter { AgentLogLine.parse($0).time != nil }.count
        let vocabulary = lines.contains { line in hasMarker(line) || AgentLogMarkers.agentVocabulary.contains(where: line.contains) }
        return dated * 2 >= lines.count && vocabulary
    }

    /// Any text is lines: say what the sniff missed instead of what the parser reads.
    public func refusal(of sample: SniffSample) -> String? {
        if sample.looksLikeJSON { return "the content is JSON, not log lines" }
        return "not an agent log: no line carries an agent marker (TvmJoinPoolInProgress, ApplicationPackageError, ...), "
            + "and fewer than half the lines are dated or none uses the agent's words (TVM, tvmps_, health=Status.)"
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        var lastTime: Timestamp?
        var waitingForTime: [(AgentLogLine, Int)] = []
        let nodeFromPath = AgentLogLine.nodeID(inPath: sink.context.path)

        func emit(_ line: AgentLogLine, number: Int, time: Timestamp?, origin: TimeOrigin) throws {
            var fields = line.fields
            if let nodeFromPath, fields["node"] == nil { fields.set("node", .string(nodeFromPath)) }
            try sink.emit(EvidenceRecord(
                kind: .agentLogLine, position: SourcePosition(line: number), time: time, timeOrigin: origin,
                fields: fields, raw: line.raw))
        }

        try input.forEachLine { inputLine in
            guard !inputLine.isBlank else { return }
            if inputLine.isTruncated {
                try sink.reject(line: inputLine.number, reason: "line longer than \(ParseInput.maximumLineLength >> 20) MiB; only its start is kept here", text: inputLine.text)
                return
            }
            let line = AgentLogLine.parse(inputLine.bytes)
            if let time = line.time {
                for (waiting, number) in waitingForTime { try emit(waiting, number: number, time: time, origin: .neighbour) }
                waitingForTime.removeAll()
                lastTime = time
                try emit(line, number: inputLine.number, time: time, origin: line.hadZone ? .record : .recordAssumedUTC)
            } else if let lastTime {
                try emit(line, number: inputLine.number, time: lastTime, origin: .neighbour)
            } else if waitingForTime.count < Self.maximumLeadingUndatedLines {
                waitingForTime.append((line, inputLine.number))
            } else {
                try emit(line, number: inputLine.number, time: nil, origin: .none)
            }
        }
        for (waiting, number) in waitingForTime { try emit(waiting, number: number, time: nil, origin: .none) }
    }
}

/// One agent log line taken apart: time, level, message start and markers.
struct AgentLogLine {
    static let levels: Set<String> = ["TRACE", "DEBUG", "VERBOSE", "INFO", "INFORMATION", "WARN", "WARNING", "ERROR", "CRITICAL", "FATAL"]

    var raw: String
    var time: Timestamp?
    var hadZone = false
    var fields = RecordFields()

    static func parse(_ text: String) -> AgentLogLine {
        var text = text
        return text.withUTF8 { parse($0) }
    }

    /// Takes a line apart from its bytes; only the raw text is built as a String.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> AgentLogLine {
        var line = AgentLogLine(raw: String(decoding: bytes, as: UTF8.self))
        var cursor = 0
        if cursor < bytes.count && bytes[cursor] == UInt8(ascii: "[") { cursor += 1 }
        if let parsed = TimestampParser.parsePrefix(UnsafeBufferPointer(rebasing: bytes[cursor...])) {
            line.time = parsed.timestamp
            line.hadZone = parsed.hadZone
            let (level, messageStart) = levelAndMessageStart(bytes, from: cursor + parsed.length)
            if let level { line.fields.set("level", .string(level)) }
            cursor = messageStart
        } else {
            cursor = 0
        }
        line.fields.set("messageAt", .integer(Int64(cursor)))
        for (name, value) in AgentLogMarkers.find(in: UnsafeBufferPointer(rebasing: bytes[cursor...])) {
            line.fields.set(name, .string(value))
        }
        return line
    }

    /// Skips `]`, `,`, `:`, spaces and a level (`INFO`, `[INFO]`, `INFO:`) after the timestamp.
    static func levelAndMessageStart(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> (String?, Int) {
        var cursor = start
        func skipSeparators() {
            while cursor < bytes.count, [0x20, 0x09, UInt8(ascii: "]"), UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: "-"), UInt8(ascii: "|")].contains(bytes[cursor]) {
                cursor += 1
            }
        }
        skipSeparators()
        var wordStart = cursor
        let bracketed = cursor < bytes.count && bytes[cursor] == UInt8(ascii: "[")
        if bracketed { wordStart += 1 }
        var wordEnd = wordStart
        while wordEnd < bytes.count, (65...90).contains(bytes[wordEnd]) || (97...122).contains(bytes[wordEnd]) { wordEnd += 1 }
        let word = String(decoding: bytes[wordStart..<wordEnd], as: UTF8.self).uppercased()
        guard levels.contains(word), !bracketed || (wordEnd < bytes.count && bytes[wordEnd] == UInt8(ascii: "]")) else {
            return (nil, cursor)
        }
        cursor = bracketed ? wordEnd + 1 : wordEnd
        skipSeparators()
        return (word == "WARNING" ? "WARN" : (word == "INFORMATION" ? "INFO" : word), cursor)
    }

    /// A compute node ID (`tvmps_...`) in a file path, as in "Upload batch logs" bundles.
    static func nodeID(inPath path: String) -> String? {
        path.split(whereSeparator: { $0 == "/" || $0 == "\\" || $0 == "!" }).reversed()
            .first { $0.hasPrefix("tvmps_") }.map(String.init)
    }
}
