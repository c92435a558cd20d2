import Foundation
import TrailModel

extension RecordKind {
    public static let storageError = RecordKind("azure:storage:error")
}

/// Azure Storage error bodies as the service sends them:
/// `<?xml ...?><Error><Code>AuthorizationPermissionMismatch</Code><Message>...\nRequestId:...\nTime:...</Message>
/// <AuthenticationErrorDetail>...</AuthenticationErrorDetail></Error>`, one record per `<Error>` document.
///
/// The record's time is the message's `Time:`, else the snapshot time.
public struct StorageErrorFormat: EvidenceFormat {
    public let id = "azure-storage-error"
    public let title = "Azure Storage error bodies (<Error><Code>AuthorizationPermissionMismatch</Code>...)"
    public let example = "the body of a failed Storage request (curl -i https://ACCOUNT.blob.core.windows.net/...)"

    /// An `<Error>` document longer than this is rejected.
    static let maximumDocumentLength = 1 << 20

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        let text = sample.text.drop { $0.isWhitespace }
        guard text.hasPrefix("<?xml") || text.hasPrefix("<Error>") else { return false }
        return text.contains("<Error>") && text.contains("<Code>")
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        var document: String?
        var startLine = 0
        try input.forEachLine { line in
            var rest = Substring(line.text)
            while !rest.isEmpty {
                if document == nil {
                    guard let start = rest.range(of: "<Error>") else {
                        let stray = rest.trimmingCharacters(in: .whitespaces)
                        if !stray.isEmpty && !(stray.hasPrefix("<?xml") && stray.hasSuffix("?>")) {
                            try sink.reject(line: line.number, reason: "text outside an <Error> document", text: stray)
                        }
                        break
                    }
                    let before = rest[..<start.lowerBound].trimmingCharacters(in: .whitespaces)
                    if !before.isEmpty && !before.hasPrefix("<?xml") {
                        try sink.reject(line: line.number, reason: "text outside an <Error> document", text: before)
                    }
                    document = ""
                    startLine = line.number
                    rest = rest[start.lowerBound...]
                }
                guard let end = rest.range(of: "</Error>") else {
                    document! += rest + "\n"
                    rest = ""
                    if document!.utf8.count > Self.maximumDocumentLength {
                        try sink.reject(line: startLine, reason: "an <Error> document longer than 1 MiB", text: document!)
                        document = nil
                    }
                    break
                }
                let text = document! + rest[..<end.upperBound]
                document = nil
                rest = rest[end.upperBound...]
                try Self.emit(text, line: startLine, into: sink)
            }
            if line.isTruncated {
                try sink.reject(line: line.number, reason: "line longer than \(ParseInput.maximumLineLength >> 20) MiB; its end was not read", text: "")
            }
        }
        if let document {
            try sink.reject(line: startLine, reason: "the input ends inside an <Error> document (truncated?)", text: document)
        }
    }

    static func emit(_ text: String, line: Int, into sink: RecordSink) throws {
        let elements = StorageErrorXML.elements(of: text)
        guard elements.contains(where: { $0.name == "Code" }) else {
            try sink.reject(line: line, reason: "an <Error> document without <Code>", text: text)
            return
        }
        var fields = RecordFields()
        StorageErrorXML.addFields(elements, to: &fields)
        let (time, origin) = AzurePayload.time([fields.string("errorTime")], sink: sink)
        try sink.emit(EvidenceRecord(kind: .storageError, position: SourcePosition(line: line), time: time,
                                     timeOrigin: origin, fields: fields, raw: text))
    }
}

/// A small, tolerant reader for the flat `<Error>` documents Storage returns (no XML parser needed).
enum StorageErrorXML {
    /// The child elements of the first `<Error>...</Error>` in `text`, as name and unescaped text.
    static func elements(of text: String) -> [(name: String, value: String)] {
        guard let open = text.range(of: "<Error>") else { return [] }
        let close = text.range(of: "</Error>", range: open.upperBound..<text.endIndex)
        var rest = text[open.upperBound..<(close?.lowerBound ?? text.endIndex)]
        var elements: [(String, String)] = []
        while let tagStart = rest.firstIndex(of: "<"), let tagEnd = rest[tagStart...].firstIndex(of: ">") {
            let tag = rest[rest.index(after: tagStart)..<tagEnd]
            rest = rest[rest.index(after: tagEnd)...]
            guard !tag.hasPrefix("/"), !tag.hasPrefix("!"), !tag.hasPrefix("?") else { continue }
            let nameEnd = tag.firstIndex(where: { $0 == " " || $0 == "/" }) ?? tag.endIndex
            let name = String(tag[..<nameEnd])
            guard !name.isEmpty else { continue }
            if tag.hasSuffix("/") {
                elements.append((name, ""))
                continue
            }
            guard let closing = rest.range(of: "</\(name)>") else {
                elements.append((name, unescape(rest)))
                break
            }
            elements.append((name, unescape(rest[..<closing.lowerBound])))
            rest = rest[closing.upperBound...]
        }
        return elements
    }

    static let entities = ["&lt;": "<", "&gt;": ">", "&quot;": "\"", "&apos;": "'"]

    static func unescape(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        var output = String(text)
        for (entity, character) in entities { output = output.replacingOccurrences(of: entity, with: character) }
        output = output.replacingOccurrences(of: "&#xD;", with: "\r").replacingOccurrences(of: "&#xA;", with: "\n")
        return output.replacingOccurrences(of: "&amp;", with: "&")
    }

    /// `Code` → errorCode, `Message` → errorMessage (its first part), requestId and errorTime; other elements
    /// under their own names with a lower-case first letter (`AuthenticationErrorDetail` → authenticationErrorDetail).
    static func addFields(_ elements: [(name: String, value: String)], to fields: inout RecordFields) {
        for (name, value) in elements {
            switch name {
            case "Code":
                fields.set("errorCode", value.trimmingCharacters(in: .whitespacesAndNewlines))
            case "Message":
                let (text, requestId, time) = AzurePayload.splitServiceMessage(value)
                fields.set("errorMessage", text.isEmpty ? nil : text)
                fields.set("requestId", requestId)
                fields.set("errorTime", time)
            default:
                let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
                if !trimmed.isEmpty { fields.set(name.prefix(1).lowercased() + name.dropFirst(), trimmed) }
            }
        }
    }
}
