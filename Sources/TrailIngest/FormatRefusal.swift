import Foundation
import TrailModel

/// Why one format does not read a content, for the "no format recognises this content" error.
public struct FormatRefusal: Sendable, Equatable {
    public var formatID: String
    public var reason: String

    public init(formatID: String, reason: String) {
        self.formatID = formatID
        self.reason = reason
    }
}

extension EvidenceFormat {
    /// Parses the sample as a forced `--format` would, and says why it yields nothing: the first
    /// reject's reason, that nothing in it is a record of this format, or where the parser stopped.
    public func refusal(of sample: SniffSample) -> String? {
        let sink = CollectingSink(context: ParseContext(path: "sample", observedAt: nil, observedAtOrigin: .none))
        do {
            try run(ParseInput(bytes: sample.bytes), into: sink)
        } catch {
            return "its parser stopped: " + Redactor.redact((error as? LocalizedError)?.errorDescription ?? "\(error)")
        }
        if let reject = sink.rejects.first { return reject.reason }
        if sink.records.isEmpty { return "nothing in the content is a record of this format" }
        return "it reads \(sink.records.count) record\(sink.records.count == 1 ? "" : "s") from the content but does not recognise it: "
            + "pass --format \(id), and please report the file (detection should accept what the parser reads)"
    }
}

extension FormatRegistry {
    /// The formats closest to reading a content nothing recognises, with why each refused, best first:
    /// those whose parser reads records from it, then those whose refusal names what the content holds.
    public static func closest(to sample: SniffSample, limit: Int = 3) -> [FormatRefusal] {
        let content = sample.text.lowercased()
        let members = Set(memberNames(of: sample.firstJSONValue(unwrapping: []), depth: 2).map(normalized))
        var scored: [(score: Int, order: Int, refusal: FormatRefusal)] = []
        for (order, format) in all.enumerated() {
            guard let reason = format.refusal(of: sample) else { continue }
            let reads = reason.hasPrefix("it reads ")
            // A name the refusal asks for that the content has as a member counts twice; as a word, once.
            let overlap = Self.namedTerms(in: reason).reduce(0) { total, term in
                total + (members.contains(normalized(term)) ? 2 : content.contains(term) ? 1 : 0)
            }
            let score = reads ? 1_000 : overlap
            if score > 0 { scored.append((score, order, FormatRefusal(formatID: format.id, reason: reason))) }
        }
        return scored.sorted { ($0.score, -$0.order) > ($1.score, -$1.order) }.prefix(limit).map(\.refusal)
    }

    /// The member names of a JSON value, down to `depth` levels of objects (and the first element of arrays).
    static func memberNames(of value: Any?, depth: Int) -> [String] {
        guard depth > 0 else { return [] }
        if let list = value as? [Any] { return memberNames(of: list.first, depth: depth) }
        guard let object = value as? [String: Any] else { return [] }
        return object.keys.sorted() + object.values.flatMap { memberNames(of: $0, depth: depth - 1) }
    }

    /// A name without case, `_` or `-`: `status_code`, `statusCode` and `StatusCode` compare equal.
    static func normalized(_ name: String) -> String {
        name.lowercased().filter { $0 != "_" && $0 != "-" }
    }

    /// Words of a refusal that name something a content could hold (members, codes, markers), lower-cased.
    static func namedTerms(in reason: String) -> Set<String> {
        let words = reason.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map { $0.lowercased() }
        return Set(words.filter { $0.count >= 4 && !commonWords.contains($0) })
    }

    static let commonWords: Set<String> = [
        "this", "that", "with", "from", "have", "needs", "need", "expected", "found", "object", "array", "string", "value",
        "values", "record", "records", "line", "lines", "text", "json", "format", "into", "there", "which", "their", "does",
        "must", "only", "than", "when", "what", "none", "some", "more", "before", "after", "inside", "ends", "truncated",
        "either", "other", "another", "number", "boolean", "null", "known", "content", "nothing", "list", "data", "body",
        "bodies", "azure", "error", "errors", "message",
    ]
}
