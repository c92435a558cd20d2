import Foundation
import TrailModel

/// One JSON object of a document, ready for a format to read: a top-level value, an element of
/// a list (`[...]`, `{"value": [...]}`), or a response body of an ARM REST specification example.
struct DocumentItem {
    let value: Any
    let line: Int
    let pointer: String?
    let text: String
}

/// Reading ARM-style JSON documents: what `forEachJSONValue` splits, plus the request/response
/// examples of the REST specifications (`{"parameters": ..., "responses": {"200": {"body": ...}}}`)
/// and a bare recorded response (`{"body": ...}`), whose response bodies are the evidence.
///
/// An example's request (`parameters`) is what a client asked for, not the state of anything,
/// so it is not read.
enum ARMDocuments {
    /// Calls `read` with every item; `read` emits records and throws `JSONElementError` for a
    /// record it cannot read, which becomes a reject. Broken JSON becomes a reject too.
    static func forEachItem(
        _ input: ParseInput, into sink: RecordSink, unwrapping keys: Set<String> = ["value"],
        _ read: (DocumentItem) throws -> Void
    ) throws {
        try input.forEachJSONValue(unwrapping: keys) { result in
            switch result {
            case .malformed(let line, let pointer, let reason, let excerpt):
                try sink.reject(line: line, pointer: pointer, reason: reason, text: excerpt)
            case .value(let element):
                do {
                    let value = try element.parse()
                    let item = DocumentItem(value: value, line: element.line, pointer: element.pointer, text: element.text)
                    guard element.pointer == nil, let bodies = exampleBodies(item, element: element, unwrapping: keys) else {
                        return try read(item)
                    }
                    if bodies.isEmpty {
                        throw JSONElementError(reason: "an API example with no response body: its request alone is not evidence of state")
                    }
                    for body in bodies {
                        do {
                            try read(body)
                        } catch let error as JSONElementError {
                            try sink.reject(line: body.line, pointer: body.pointer, reason: error.reason, text: body.text)
                        }
                    }
                } catch let error as JSONElementError {
                    try sink.reject(line: element.line, pointer: element.pointer, reason: error.reason, text: element.text)
                }
            }
        }
    }

    /// Reads every item as one snapshot record of `kind` (role assignments, pools, ...), timed by the
    /// snapshot; `fields` gives the record's fields or throws `JSONElementError` for a reject.
    static func readSnapshots(_ input: ParseInput, into sink: RecordSink, kind: RecordKind, fields: (Any) throws -> RecordFields) throws {
        let (time, timeOrigin) = sink.context.snapshotTime
        try forEachItem(input, into: sink) { item in
            try sink.emit(EvidenceRecord(
                kind: kind, position: SourcePosition(line: item.line, pointer: item.pointer),
                time: time, timeOrigin: timeOrigin, fields: try fields(item.value), raw: item.text))
        }
    }

    /// The first object of the sample as `forEachItem` would hand it over.
    static func firstObject(_ sample: SniffSample, unwrapping keys: Set<String> = ["value"]) -> [String: Any]? {
        let first = keys == ["value"] ? sample.firstJSONValue : sample.firstJSONValue(unwrapping: keys)
        guard let object = first as? [String: Any] else { return nil }
        guard let body = exampleBodyValues(object).first as? [String: Any] else { return object }
        if let key = keys.sorted().first(where: { body[$0] is [Any] }) { return (body[key] as? [Any])?.first as? [String: Any] }
        return body
    }

    // MARK: API examples

    /// The response bodies of an example or recorded response, in document order; nil when `object` is neither.
    /// Success responses that are alternatives of one call (a PUT's `201` and `200`: created or updated) describe
    /// one resource: only the first of those with the same `id` is read, so that the resource is stored once.
    static func exampleBodyPaths(_ object: [String: Any]) -> [[String]]? {
        if let responses = object["responses"] as? [String: Any], object["parameters"] != nil {
            var seenSuccessIDs = Set<String>()
            return responses.keys.sorted().compactMap { code in
                guard let body = (responses[code] as? [String: Any])?["body"] as? [String: Any] else { return nil }
                if code.hasPrefix("2"), let id = (body["id"] as? String)?.lowercased(), !seenSuccessIDs.insert(id).inserted { return nil }
                return ["responses", code, "body"]
            }
        }
        let responseKeys: Set<String> = ["body", "headers", "statusCode", "status"]
        if object["body"] is [String: Any], Set(object.keys).isSubset(of: responseKeys) { return [["body"]] }
        return nil
    }

    static func exampleBodyValues(_ object: [String: Any]) -> [Any] {
        (exampleBodyPaths(object) ?? []).compactMap { path in
            path.reduce(Optional<Any>.some(object)) { current, key in (current as? [String: Any])?[key] }
        }
    }

    /// Cuts the response bodies (or the elements of their lists) out of an example, with their own text and line.
    static func exampleBodies(_ item: DocumentItem, element: JSONElement, unwrapping keys: Set<String>) -> [DocumentItem]? {
        guard let object = item.value as? [String: Any], let paths = exampleBodyPaths(object) else { return nil }
        var items: [DocumentItem] = []
        for path in paths {
            guard let body = path.reduce(Optional<Any>.some(object), { ($0 as? [String: Any])?[$1] }) as? [String: Any] else { continue }
            if let listKey = keys.sorted().first(where: { body[$0] is [Any] }), let list = body[listKey] as? [Any] {
                for (index, value) in list.enumerated() {
                    items.append(cut(value, path: path + [listKey, String(index)], from: element))
                }
            } else {
                items.append(cut(body, path: path, from: element))
            }
        }
        return items
    }

    static func cut(_ value: Any, path: [String], from element: JSONElement) -> DocumentItem {
        let pointer = "/" + path.map { $0.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }.joined(separator: "/")
        guard let range = JSONLocator.range(of: path, in: element.bytes) else {
            return DocumentItem(value: value, line: element.line, pointer: pointer, text: element.text)
        }
        let newlines = element.bytes[..<range.lowerBound].reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
        return DocumentItem(value: value, line: element.line + newlines, pointer: pointer,
                            text: String(decoding: element.bytes[range], as: UTF8.self))
    }
}

/// Finds where a member or element sits inside JSON text, without building the values.
enum JSONLocator {
    /// The byte range of the value at `path` (member names, or decimal indexes into arrays).
    static func range(of path: [String], in bytes: [UInt8]) -> Range<Int>? {
        var position = 0
        for component in path {
            skipWhitespace(bytes, &position)
            guard position < bytes.count else { return nil }
            if bytes[position] == UInt8(ascii: "{") {
                guard let start = member(component, in: bytes, at: &position) else { return nil }
                position = start
            } else if bytes[position] == UInt8(ascii: "["), let index = Int(component) {
                guard let start = element(index, in: bytes, at: &position) else { return nil }
                position = start
            } else {
                return nil
            }
        }
        skipWhitespace(bytes, &position)
        let start = position
        guard skipValue(bytes, &position) else { return nil }
        return start..<position
    }

    private static func member(_ name: String, in bytes: [UInt8], at position: inout Int) -> Int? {
        let wanted = Array(name.utf8)
        position += 1
        while true {
            skipWhitespace(bytes, &position)
            guard position < bytes.count else { return nil }
            switch bytes[position] {
            case UInt8(ascii: "}"): return nil
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "\""):
                let keyStart = position + 1
                guard skipValue(bytes, &position) else { return nil }
                let key = bytes[keyStart..<(position - 1)]
                skipWhitespace(bytes, &position)
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { return nil }
                position += 1
                skipWhitespace(bytes, &position)
                if key.elementsEqual(wanted) { return position }
                guard skipValue(bytes, &position) else { return nil }
            default: return nil
            }
        }
    }

    private static func element(_ wanted: Int, in bytes: [UInt8], at position: inout Int) -> Int? {
        position += 1
        var index = 0
        while true {
            skipWhitespace(bytes, &position)
            guard position < bytes.count else { return nil }
            switch bytes[position] {
            case UInt8(ascii: "]"): return nil
            case UInt8(ascii: ","): position += 1
            default:
                if index == wanted { return position }
                guard skipValue(bytes, &position) else { return nil }
                index += 1
            }
        }
    }

    private static func skipWhitespace(_ bytes: [UInt8], _ position: inout Int) {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    /// Moves past one value; false when the text ends first.
    private static func skipValue(_ bytes: [UInt8], _ position: inout Int) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    if depth == 0 { return true }
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return true }
                if depth < 0 { position -= 1; return true }
            case UInt8(ascii: ","), 0x20, 0x09, 0x0A, 0x0D:
                if depth == 0 { position -= 1; return true }
            default: break
            }
        }
        return depth == 0 && !inString
    }
}
