import Foundation

/// A query from `queries/NAME.sql`, with the header that documents it:
///
///     -- name: evidence_by_kind
///     -- description: What it answers.
///     -- params: name: meaning (example), ...   or   none
public struct NamedQuery: Sendable, Equatable {
    public struct Parameter: Sendable, Equatable {
        public var name: String
        public var meaning: String
    }

    public var name: String
    public var description: String
    public var parameters: [Parameter]
    public var sql: String

    /// Every named query embedded in the binary, by name.
    public static let all: [NamedQuery] = EmbeddedFiles.all.compactMap { file in
        guard file.name.hasPrefix("queries/"), file.name.hasSuffix(".sql") else { return nil }
        return NamedQuery(text: file.text)
    }.sorted { $0.name < $1.name }

    public static func named(_ name: String) -> NamedQuery? {
        all.first { $0.name == name }
    }

    /// Reads the header; nil when the text has no `-- name:` line.
    public init?(text: String) {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("--") else { break }
            let body = line.dropFirst(2).drop { $0 == " " }
            guard let colon = body.firstIndex(of: ":") else { continue }
            let key = body[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            fields[key] = body[body.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        guard let name = fields["name"], !name.isEmpty else { return nil }
        self.name = name
        description = fields["description"] ?? ""
        parameters = Self.parseParameters(fields["params"] ?? "none")
        sql = text
    }

    /// `a: meaning (example); b: meaning` → parameters; `none` → [].
    static func parseParameters(_ text: String) -> [Parameter] {
        guard text.lowercased() != "none", !text.isEmpty else { return [] }
        return text.split(separator: ";").compactMap { part in
            let pieces = part.split(separator: ":", maxSplits: 1)
            guard let name = pieces.first?.trimmingCharacters(in: .whitespaces), !name.isEmpty else { return nil }
            return Parameter(name: name, meaning: pieces.count > 1 ? pieces[1].trimmingCharacters(in: .whitespaces) : "")
        }
    }
}
