import Foundation
import TrailModel

/// Raw HTTP exchanges as text: `curl -i` output and pasted transcripts (`HTTP/1.1 400 Bad Request`,
/// headers, a blank line, the body), with or without the request (`GET /path HTTP/1.1` and its
/// headers), and `curl -v` output (`> ` request and `< ` response lines, `* ` notes).
/// One record per exchange, kind by URL, else by what the response shows (an `IMDS/...` server,
/// a token endpoint body, a `Windows-Azure-*` storage server).
public struct HTTPTranscriptFormat: EvidenceFormat {
    public let id = "http-transcript"
    public let title = "raw HTTP exchanges (curl -i / curl -v output, pasted transcripts)"
    public let example = "curl -si -H Metadata:true 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://storage.azure.com/' > imds.txt"

    static let methods: Set<Substring> = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]

    public init() {}

    /// One of the first three lines that are not blank or curl notes starts an HTTP request or
    /// response (a line or two of pasted text may come first), and a status line follows.
    public func sniff(_ sample: SniffSample) -> Bool {
        let lines = sample.lines(60).map { Self.withoutCurlMarker(Substring($0)) }
            .filter { !$0.allSatisfy(\.isWhitespace) && !$0.hasPrefix("* ") }
        guard lines.prefix(3).contains(where: { Self.statusLine($0) != nil || Self.requestLine($0) != nil }) else { return false }
        return lines.contains { Self.statusLine($0) != nil }
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        var current: TranscriptExchange?
        var notes: [String] = []
        var curlVerbose = false
        func flush() throws {
            if let exchange = current { try sink.emit(exchange.record(snapshot: sink.context.snapshotTime)) }
            current = nil
        }
        try input.forEachLine { line in
            let text = line.text
            let content = Self.withoutCurlMarker(Substring(text))
            if content.count < text.count { curlVerbose = true }
            if let request = Self.requestLine(content) {
                try flush()
                current = TranscriptExchange(line: line.number, raw: notes + [text], method: String(request.method), target: String(request.target))
                notes = []
            } else if let status = Self.statusLine(content) {
                if current?.status != nil || current == nil {
                    try flush()
                    current = TranscriptExchange(line: line.number, raw: notes)
                    notes = []
                }
                current?.startResponse(status: status, line: text)
            } else if text.hasPrefix("* ") && (curlVerbose || current == nil) {
                // curl's own notes ("* Trying ...", "* Connection #0 ... left intact") belong to no message.
                if current == nil { notes.append(text) } else { current?.raw.append(text) }
            } else if current != nil {
                current?.add(line: text, content: content)
            } else if !line.isBlank {
                try sink.reject(line: line.number, reason: "text outside an HTTP message (no request or status line before it)", text: text)
            }
        }
        try flush()
    }

    /// A line without curl's `> ` / `< ` direction marker.
    static func withoutCurlMarker(_ line: Substring) -> Substring {
        guard let first = line.first, first == ">" || first == "<" else { return line }
        let rest = line.dropFirst()
        return rest.first == " " ? rest.dropFirst() : rest
    }

    /// `HTTP/1.1 400 Bad Request` → 400.
    static func statusLine(_ text: Substring) -> Int? {
        let words = text.split(separator: " ", maxSplits: 2)
        guard words.count >= 2, words[0].hasPrefix("HTTP/"), words[1].count == 3, let status = Int(words[1]) else { return nil }
        return status
    }

    /// `GET /metadata/identity/oauth2/token?... HTTP/1.1` → method and target.
    static func requestLine(_ text: Substring) -> (method: Substring, target: Substring)? {
        let words = text.split(separator: " ")
        guard words.count == 3, methods.contains(words[0]), words[2].hasPrefix("HTTP/") else { return nil }
        return (words[0], words[1])
    }
}

/// One exchange being read from a transcript.
struct TranscriptExchange {
    enum Section { case requestHeaders, requestBody, responseHeaders, responseBody }

    let line: Int
    var raw: [String]
    var method: String?
    var target: String?
    var status: Int?
    var section = Section.requestHeaders
    var requestHeaders = HTTPHeaders()
    var responseHeaders = HTTPHeaders()
    var body: [String] = []

    init(line: Int, raw: [String], method: String? = nil, target: String? = nil) {
        self.line = line
        self.raw = raw
        self.method = method
        self.target = target
    }

    mutating func startResponse(status: Int, line: String) {
        self.status = status
        section = .responseHeaders
        raw.append(line)
    }

    mutating func add(line: String, content: Substring) {
        raw.append(line)
        let blank = content.allSatisfy(\.isWhitespace)
        switch section {
        case .requestHeaders:
            if blank { section = .requestBody } else if let header = Self.header(content) { requestHeaders.entries.append(header) }
        case .requestBody:
            break
        case .responseHeaders:
            if let header = Self.header(content), !content.hasPrefix("{") {
                responseHeaders.entries.append(header)
            } else if !blank {
                // Pasted transcripts sometimes lose the blank line before the body.
                section = .responseBody
                body.append(String(content))
            } else {
                section = .responseBody
            }
        case .responseBody:
            // curl -v writes its closing note right after a body that has no final line end.
            body.append(String(content.range(of: "* Connection #").map { content[..<$0.lowerBound] } ?? content))
        }
    }

    /// `Name: value` (no space before the colon, a token for a name).
    static func header(_ line: Substring) -> (name: String, value: String)? {
        guard let colon = line.firstIndex(of: ":"), colon > line.startIndex else { return nil }
        let name = line[..<colon]
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else { return nil }
        return (String(name), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }

    var url: String? {
        guard let target else { return nil }
        if target.hasPrefix("http://") || target.hasPrefix("https://") { return target }
        guard let host = requestHeaders.value("Host") else { return target }
        let plain = host.hasPrefix("169.254.169.254") || host.hasPrefix("localhost") || host.hasPrefix("127.0.0.1")
        return (plain ? "http://" : "https://") + host + target
    }

    func record(snapshot: (Timestamp?, TimeOrigin)) -> EvidenceRecord {
        var exchange = HTTPExchange(method: method, url: url)
        if method != nil { exchange.requestHeaders = requestHeaders }
        exchange.status = status
        if status != nil { exchange.responseHeaders = responseHeaders }
        let text = body.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        exchange.responseBody = text.isEmpty ? nil : text
        let (time, origin) = exchange.responseTime.map { ($0, TimeOrigin.record) } ?? snapshot
        var rawLines = raw
        while rawLines.last?.allSatisfy(\.isWhitespace) == true { rawLines.removeLast() }
        return EvidenceRecord(kind: exchange.kind, position: SourcePosition(line: line), time: time, timeOrigin: origin,
                              fields: exchange.fields(), raw: rawLines.joined(separator: "\n"))
    }
}
