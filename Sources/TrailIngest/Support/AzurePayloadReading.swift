import Foundation
import TrailModel

/// Small helpers shared by the Azure error, Batch and Storage formats.
enum AzurePayload {
    /// A JSON value as compact text with sorted keys (for list fields such as `errors` or `details`).
    static func jsonText(_ value: Any) -> String? {
        guard JSONSerialization.isValidJSONObject(value) || value is String || value is NSNumber else { return nil }
        guard let data = try? JSONSerialization.data(
            withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
        else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// The first time that parses among `candidates`, else the snapshot time.
    static func time(_ candidates: [String?], sink: RecordSink) -> (Timestamp?, TimeOrigin) {
        for candidate in candidates {
            if let (time, origin) = RecordTime.parse(candidate) { return (time, origin) }
        }
        return sink.context.snapshotTime
    }

    /// Azure service messages end with `\nRequestId:...\nTime:...`: the message proper, the request ID and the time.
    static func splitServiceMessage(_ message: String) -> (text: String, requestId: String?, time: String?) {
        var text: [Substring] = []
        var requestId: String?, time: String?
        for line in message.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("RequestId:") {
                requestId = String(trimmed.dropFirst("RequestId:".count)).trimmingCharacters(in: .whitespaces)
            } else if trimmed.hasPrefix("Time:") {
                time = String(trimmed.dropFirst("Time:".count)).trimmingCharacters(in: .whitespaces)
            } else if requestId == nil && time == nil {
                text.append(line)
            }
        }
        let joined = text.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return (joined, requestId.flatMap { $0.isEmpty ? nil : $0 }, time.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// A string member, trimmed; nil when missing or blank.
    static func string(_ object: [String: Any]?, _ name: String) -> String? {
        guard let text = object?[name] as? String else { return nil }
        let trimmed = text.trimmedWhitespace(newlines: true)
        return trimmed.isEmpty ? nil : trimmed
    }
}

extension RecordSink {
    /// Reads every JSON value of `input` and hands it to `body` parsed; broken text, and values
    /// `body` refuses by throwing `JSONElementError`, become rejects.
    func readJSONValues(_ input: ParseInput, unwrapping keys: Set<String> = ["value"],
                        _ body: (_ value: Any, _ element: JSONElement) throws -> Void) throws {
        try input.forEachJSONRecord(unwrapping: keys, into: self) { element in try body(try element.parse(), element) }
    }

    /// Reads every JSON object of `input` as `ARMDocuments.forEachItem` hands them over (lists, `value` wrappers,
    /// and the response bodies of REST specification examples, each with its own line, pointer and text).
    /// A value that is not an object, and an object `body` refuses by throwing `JSONElementError`, become rejects.
    func readJSONObjects(_ input: ParseInput, unwrapping keys: Set<String> = ["value"], expected: String,
                         _ body: (_ object: [String: Any], _ item: DocumentItem) throws -> Void) throws {
        try ARMDocuments.forEachItem(input, into: self, unwrapping: keys) { item in
            guard let object = item.value as? [String: Any] else {
                throw JSONElementError(reason: "expected \(expected), found \(JSONValues.typeName(item.value))")
            }
            try body(object, item)
        }
    }
}

extension RecordFields {
    /// Sets `name` to a JSON scalar from `object[key]` (strings, numbers, booleans), when present.
    mutating func copy(_ name: String, from object: [String: Any]?, key: String? = nil) {
        guard let value = object?[key ?? name], !(value is NSNull), let field = JSONValues.fieldValue(value) else { return }
        set(name, field)
    }

    /// Sets `name` to the compact JSON text of a list or object, when present and not empty.
    mutating func setJSON(_ name: String, _ value: Any?) {
        guard let value, !(value is NSNull) else { return }
        if let list = value as? [Any], list.isEmpty { return }
        if let object = value as? [String: Any], object.isEmpty { return }
        set(name, AzurePayload.jsonText(value))
    }
}

extension RecordFields {
    /// A Batch error object (`failureInfo`, `schedulingError`: category, code, message, details
    /// `[{name, value}]`) as `errorCode`, `errorCategory`, `errorMessage` and `errorDetails` (JSON text).
    mutating func setBatchFailure(_ failure: [String: Any]?) {
        guard let failure else { return }
        set("errorCode", AzurePayload.string(failure, "code"))
        set("errorCategory", AzurePayload.string(failure, "category"))
        set("errorMessage", AzurePayload.string(failure, "message"))
        setJSON("errorDetails", failure["details"] ?? failure["values"])
    }
}

extension String {
    /// `trimmingCharacters(in: .whitespaces)`, or `.whitespacesAndNewlines`: the text itself when
    /// both ends are ASCII and not white space (nearly always), else Foundation's trimming.
    func trimmedWhitespace(newlines: Bool = false) -> String {
        if let first = utf8.first, let last = utf8.last,
           !Self.mayBeWhitespace(first, newlines: newlines), !Self.mayBeWhitespace(last, newlines: newlines) {
            return self
        }
        return trimmingCharacters(in: newlines ? .whitespacesAndNewlines : .whitespaces)
    }

    /// True for the ASCII white space of `CharacterSet.whitespaces` (tab, space) and, with
    /// `newlines`, line ends, vertical tab and form feed; and for any byte of a non-ASCII character.
    private static func mayBeWhitespace(_ byte: UInt8, newlines: Bool) -> Bool {
        byte >= 0x80 || byte == 0x20 || byte == 0x09 || (newlines && (0x0A...0x0D).contains(byte))
    }
}
