import Foundation

/// One JSON value cut out of a larger input, not yet parsed.
public struct JSONElement {
    public let bytes: [UInt8]
    /// 1-based line where the value starts.
    public let line: Int
    /// JSON pointer of the value inside its document (`/3`, `/value/0`); nil for a top-level value.
    public let pointer: String?
    /// How deeply the value nests.
    public let depth: Int

    /// Parses the value into Foundation's JSON values; throws a reason fit for a reject row.
    public func parse() throws -> Any {
        guard depth <= ParseInput.maximumDepth else {
            throw JSONElementError(reason: "JSON nested \(depth) levels deep; mitrail reads at most \(ParseInput.maximumDepth)")
        }
        do {
            return try FastJSON.jsonObject(with: bytes, options: [.fragmentsAllowed])
        } catch {
            throw JSONElementError(reason: "not valid JSON: \(Self.describe(error))")
        }
    }

    /// The value's text (invalid UTF-8 becomes U+FFFD).
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    static func describe(_ error: Error) -> String {
        let nsError = error as NSError
        return (nsError.userInfo[NSDebugDescriptionErrorKey] as? String) ?? nsError.localizedDescription
    }
}

public struct JSONElementError: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}

/// What the JSON splitter found: a value, or text that is not one.
public enum JSONScanResult {
    case value(JSONElement)
    case malformed(line: Int, pointer: String?, reason: String, excerpt: String)
}

extension ParseInput {
    /// Calls `body` with each JSON value of the input, as documents hold them:
    /// one value, an array (each element), JSON lines, concatenated values, and
    /// ARM-style wrappers (`{"value": [...]}`: each element of the member named in `unwrapping`), and a
    /// document that is one JSON string (a body encoded twice), handed over as a string value.
    /// A name with slashes is a path of members: `"log/entries"` streams the elements of
    /// `{"log": {"entries": [...]}}` (an HTTP Archive) with pointers `/log/entries/N`.
    ///
    /// Broken text is reported as `.malformed` and scanning resumes at the next
    /// line that starts a value, so one bad record never hides the others.
    public func forEachJSONValue(unwrapping keys: Set<String> = ["value"], _ body: (JSONScanResult) throws -> Void) throws {
        try forEachJSONValue(unwrapping: keys, topLevelMembers: nil, body)
    }

    /// The same, also handing `topLevelMembers` every other member of a top-level object whose array is streamed
    /// (`@odata.context`, `@odata.nextLink` beside `value`): its name and its JSON text, in document order.
    public func forEachJSONValue(unwrapping keys: Set<String>, topLevelMembers: ((String, [UInt8]) -> Void)?,
                                 _ body: (JSONScanResult) throws -> Void) throws {
        let paths = keys.map { $0.split(separator: "/", omittingEmptySubsequences: false).map { Array($0.utf8) } }
        var splitter = JSONSplitter(input: self, unwrapPaths: paths)
        splitter.topLevelMembers = topLevelMembers
        try splitter.run(body)
    }
}

private struct ScanFailure: Error {
    let reason: String
}

/// A failure already handed to the caller as `.malformed`; scanning resumes at the next value.
private struct ReportedFailure: Error {}

/// A byte-level scanner that finds where JSON values start and end without building them.
struct JSONSplitter {
    let input: ParseInput
    /// Member paths (names as bytes) whose arrays are streamed element by element: `value` is one path of one name, `log/entries` one of two.
    let unwrapPaths: [[[UInt8]]]
    /// Set once the first top-level value fits on one line: the input is JSON lines, so a line is a record.
    var jsonLines = false
    var topLevelCount = 0
    /// Told of each member of a top-level object that is not streamed (see `forEachJSONValue(unwrapping:topLevelMembers:_:)`).
    var topLevelMembers: ((String, [UInt8]) -> Void)?

    init(input: ParseInput, unwrapPaths: [[[UInt8]]]) {
        self.input = input
        self.unwrapPaths = unwrapPaths
    }

    mutating func run(_ body: (JSONScanResult) throws -> Void) throws {
        while try skipWhitespace() {
            let startLine = input.line
            var collected: [UInt8] = []
            let byte = input.buffer[input.position]
            do {
                if byte == UInt8(ascii: "[") {
                    _ = try next()
                    try streamArray(pointerPrefix: "", body)
                } else if byte == UInt8(ascii: "{") {
                    if let object = try scanTopObject(body, partial: &collected) {
                        collected = object.bytes
                        try body(.value(JSONElement(bytes: collected, line: startLine, pointer: nil, depth: object.depth)))
                    }
                } else if byte == UInt8(ascii: "\"") {
                    // A document that is one JSON string: an error body encoded twice, as logs and APIs pass them on.
                    _ = try scanValue(into: &collected)
                    try body(.value(JSONElement(bytes: collected, line: startLine, pointer: nil, depth: 0)))
                } else {
                    throw ScanFailure(reason: "expected a JSON object or array, found \(Self.describe(byte))")
                }
                if topLevelCount == 0 && input.line == startLine { jsonLines = true }
                topLevelCount += 1
            } catch let failure as ScanFailure {
                let excerpt = Excerpt.of(collected)
                try body(.malformed(line: startLine, pointer: nil, reason: failure.reason, excerpt: excerpt))
                try skipToNextValueLine()
            } catch is ReportedFailure {
                try skipToNextValueLine()
            }
        }
    }

    // MARK: Bytes

    /// The next byte, advancing; nil at the end of input.
    mutating func next() throws -> UInt8? {
        guard try input.fill() else { return nil }
        let byte = input.buffer[input.position]
        input.position += 1
        if byte == 0x0A {
            input.line += 1
            input.atLineStart = true
        } else {
            input.atLineStart = false
        }
        return byte
    }

    /// Skips white space; false at the end of input. The next byte is left unread.
    mutating func skipWhitespace() throws -> Bool {
        var ignored: [UInt8]?
        return try skipWhitespace(keepingIn: &ignored)
    }

    /// Skips white space, appending it to `kept` when given, so that a value keeps its layout.
    mutating func skipWhitespace(keepingIn kept: inout [UInt8]?) throws -> Bool {
        while try input.fill() {
            let byte = input.buffer[input.position]
            switch byte {
            case 0x20, 0x09, 0x0D, 0x0A:
                _ = try next()
                kept?.append(byte)
            default: return true
            }
        }
        return false
    }

    /// After broken text: skips to the next line that starts with `{` or `[`.
    mutating func skipToNextValueLine() throws {
        while try input.fill() {
            let byte = input.buffer[input.position]
            if input.atLineStart && (byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[")) { return }
            if let newline = memchr(input.buffer + input.position, 0x0A, input.end - input.position) {
                input.position = newline.assumingMemoryBound(to: UInt8.self) - input.buffer + 1
                input.line += 1
                input.atLineStart = true
            } else {
                input.position = input.end
                input.atLineStart = false
            }
        }
    }

    static func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(UnicodeScalar(byte)))'" : String(format: "byte 0x%02X", byte)
    }

    // MARK: Values

    /// Scans one complete value, appending its bytes to `collected` when given; returns its depth.
    /// With `stopAtNewline` (JSON lines), a line end inside the value makes it malformed.
    mutating func scanValue(into collected: inout [UInt8], collect: Bool = true, stopAtNewline: Bool = false) throws -> Int {
        guard try skipWhitespace(), let first = try next() else { throw ScanFailure(reason: "the input ends where a value was expected") }
        let startLine = input.line
        var append = collect
        // The size is checked before appending, so that the value's buffer never grows past the limit.
        func keep(_ byte: UInt8) throws {
            guard append else { return }
            if collected.count >= ParseInput.maximumValueLength {
                throw ScanFailure(reason: "a JSON value larger than \(ParseInput.maximumValueLength >> 20) MiB")
            }
            collected.append(byte)
        }
        func keepRun(_ bytes: UnsafeBufferPointer<UInt8>) throws {
            guard append else { return }
            if collected.count + bytes.count > ParseInput.maximumValueLength {
                throw ScanFailure(reason: "a JSON value larger than \(ParseInput.maximumValueLength >> 20) MiB")
            }
            collected.append(contentsOf: bytes)
        }
        try keep(first)
        switch first {
        case UInt8(ascii: "\""):
            try scanStringBody(keep, run: keepRun)
            return 0
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var closers: [UInt8] = [first == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")]
            var deepest = 1
            while let byte = try next() {
                if byte == 0x0A && stopAtNewline {
                    throw ScanFailure(reason: "the line ends inside a JSON value (truncated record?)")
                }
                try keep(byte)
                switch byte {
                case UInt8(ascii: "\""):
                    try scanStringBody(keep, run: keepRun)
                case UInt8(ascii: "{"):
                    closers.append(UInt8(ascii: "}"))
                    deepest = max(deepest, closers.count)
                case UInt8(ascii: "["):
                    closers.append(UInt8(ascii: "]"))
                    deepest = max(deepest, closers.count)
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    guard closers.last == byte else {
                        throw ScanFailure(reason: "\(Self.describe(byte)) does not close what is open on line \(input.line)")
                    }
                    closers.removeLast()
                    if closers.isEmpty { return deepest }
                default:
                    break
                }
            }
            append = false
            throw ScanFailure(reason: "the input ends inside a JSON value that starts on line \(startLine) (truncated?)")
        default:
            while try input.fill() {
                let byte = input.buffer[input.position]
                if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}")
                    || byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
                    break
                }
                _ = try next()
                try keep(byte)
            }
            return 0
        }
    }

    /// Scans the rest of a string after its opening quote: `keep` takes each byte, `run` plain stretches at once.
    mutating func scanStringBody(_ keep: (UInt8) throws -> Void, run: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        var escaped = false
        while true {
            if !escaped, try input.fill() {
                let start = input.position
                var end = input.end
                for special in [UInt8(ascii: "\""), UInt8(ascii: "\\"), 0x0A] {
                    if let hit = memchr(input.buffer + start, Int32(special), end - start) {
                        end = hit.assumingMemoryBound(to: UInt8.self) - input.buffer
                    }
                }
                if end > start {
                    try run(UnsafeBufferPointer(start: input.buffer + start, count: end - start))
                    input.position = end
                    input.atLineStart = false
                }
            }
            guard let byte = try next() else { break }
            // JSON strings never hold a raw line end: the record was cut short.
            if byte == 0x0A { throw ScanFailure(reason: "a line ends inside a JSON string (truncated record?)") }
            try keep(byte)
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "\"") {
                return
            }
        }
        throw ScanFailure(reason: "the input ends inside a JSON string")
    }

    /// Streams the elements of an array whose `[` was just read.
    mutating func streamArray(pointerPrefix: String, _ body: (JSONScanResult) throws -> Void) throws {
        var index = 0
        while true {
            guard try skipWhitespace() else { throw ScanFailure(reason: "the input ends inside an array (truncated?)") }
            let byte = input.buffer[input.position]
            if byte == UInt8(ascii: "]") { _ = try next(); return }
            if byte == UInt8(ascii: ",") { _ = try next(); continue }
            let startLine = input.line
            var element: [UInt8] = []
            let pointer = pointerPrefix + "/" + String(index)
            index += 1
            do {
                let depth = try scanValue(into: &element)
                try body(.value(JSONElement(bytes: element, line: startLine, pointer: pointer, depth: depth)))
            } catch let failure as ScanFailure {
                try body(.malformed(line: startLine, pointer: pointer, reason: failure.reason,
                                    excerpt: Excerpt.of(element)))
                throw ReportedFailure()
            }
        }
    }

    /// Scans a top-level object. When one of its members is an array named in
    /// `unwrapPaths`, streams that array's elements and returns nil; otherwise returns the whole object.
    /// In JSON lines, `partial` keeps what was read of a broken line, for the reject's excerpt.
    mutating func scanTopObject(_ body: (JSONScanResult) throws -> Void, partial: inout [UInt8]) throws -> (bytes: [UInt8], depth: Int)? {
        if topLevelCount > 0 && jsonLines {
            let depth = try scanValue(into: &partial, stopAtNewline: true)
            return (partial, depth)
        }
        _ = try next()
        return try scanObjectMembers(pointerPrefix: "", paths: unwrapPaths, body)
    }

    /// Scans the members of an object whose `{` was just read. A member that ends one of `paths`
    /// and holds an array is streamed; a member that starts a longer path and holds an object is
    /// scanned the same way with the rest of the path. Returns the object's bytes, or nil when
    /// something inside it was streamed.
    mutating func scanObjectMembers(pointerPrefix: String, paths: [[[UInt8]]], _ body: (JSONScanResult) throws -> Void) throws -> (bytes: [UInt8], depth: Int)? {
        // nil once something inside was streamed: from then on the object's other members are not kept.
        var collected: [UInt8]? = [UInt8(ascii: "{")]
        var deepest = 1
        while true {
            guard try skipWhitespace(keepingIn: &collected), let byte = try next() else {
                throw ScanFailure(reason: "the input ends inside a JSON object (truncated?)")
            }
            collected?.append(byte)
            switch byte {
            case UInt8(ascii: "}"):
                return collected.map { ($0, deepest) }
            case UInt8(ascii: ","):
                continue
            case UInt8(ascii: "\""):
                var key: [UInt8] = []
                try scanStringBody({ key.append($0) }, run: { key.append(contentsOf: $0) })
                collected?.append(contentsOf: key)
                key.removeLast()
                guard try skipWhitespace(keepingIn: &collected), try next() == UInt8(ascii: ":") else {
                    throw ScanFailure(reason: "expected ':' after a member name")
                }
                collected?.append(UInt8(ascii: ":"))
                let memberPointer = pointerPrefix + "/" + String(decoding: key, as: UTF8.self)
                let matching = paths.filter { $0.first == key }
                let opening: UInt8? = try skipWhitespace(keepingIn: &collected) ? input.buffer[input.position] : nil
                if opening == UInt8(ascii: "["), matching.contains(where: { $0.count == 1 }) {
                    _ = try next()
                    collected = nil
                    try streamArray(pointerPrefix: memberPointer, body)
                } else if opening == UInt8(ascii: "{"), matching.contains(where: { $0.count > 1 }) {
                    _ = try next()
                    let rest = matching.filter { $0.count > 1 }.map { Array($0.dropFirst()) }
                    if let inner = try scanObjectMembers(pointerPrefix: memberPointer, paths: rest, body) {
                        deepest = max(deepest, inner.depth + 1)
                        collected?.append(contentsOf: inner.bytes)
                    } else {
                        collected = nil
                    }
                } else {
                    var member: [UInt8] = []
                    let observed = pointerPrefix.isEmpty ? topLevelMembers : nil
                    let depth = try scanValue(into: &member, collect: collected != nil || observed != nil)
                    deepest = max(deepest, depth + 1)
                    collected?.append(contentsOf: member)
                    observed?(String(decoding: key, as: UTF8.self), member)
                }
            default:
                throw ScanFailure(reason: "expected a member name, found \(Self.describe(byte))")
            }
        }
    }
}
