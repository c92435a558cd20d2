import Foundation

/// A query from `queries/NAME.sql`, with the header that documents it:
///
///     -- name: failures_by_code_per_hour
///     -- description: What it answers.
///     -- params:
///     --   since: start of the window, inclusive (time, optional, example: 2026-03-04T10:00:00Z)
///     --   code: an error code (example: AuthorizationPermissionMismatch)
///
/// `-- params: none` says there are none; `-- params: a: meaning; b: meaning` on one line works too.
/// A header line indented further than its key (`--   ...`) continues that key: one parameter a
/// line under `params`, more text for the others.
public struct NamedQuery: Sendable, Equatable {
    public struct Parameter: Sendable, Equatable {
        public enum ValueType: String, Sendable { case text, time }

        public var name: String
        public var meaning: String
        public var example: String?
        /// An optional parameter left out is bound to NULL.
        public var isOptional: Bool
        /// A time is checked and normalised to the store's form (`2026-03-04T10:00:00.000Z`).
        public var type: ValueType

        public init(name: String, meaning: String = "", example: String? = nil, isOptional: Bool = false, type: ValueType = .text) {
            self.name = name
            self.meaning = meaning
            self.example = example
            self.isOptional = isOptional
            self.type = type
        }
    }

    public var name: String
    public var description: String
    public var parameters: [Parameter]
    /// False when the header has no `-- params:` line: the SQL's own `:name`s are then the parameters.
    public var declaresParameters: Bool
    /// The SQLite text (`queries/NAME.sql`); a user's query file: its text, whatever the store.
    public var sql: String
    /// The PostgreSQL twin (`queries/postgres/NAME.sql`, same header) of an embedded query; nil for a user's file
    /// (which runs as written) or a query without a twin yet.
    public var postgresSQL: String?
    /// True for a user's query file: its one text runs on either store.
    public var isUserFile = false

    /// Every named query embedded in the binary, by name, with its PostgreSQL twin.
    public static let all: [NamedQuery] = {
        let twins = Dictionary(EmbeddedFiles.all.compactMap { file -> (String, String)? in
            guard file.name.hasPrefix(postgresFolder), file.name.hasSuffix(".sql") else { return nil }
            return (String(file.name.dropFirst(postgresFolder.count).dropLast(4)), file.text)
        }, uniquingKeysWith: { first, _ in first })
        return EmbeddedFiles.all.compactMap { file -> NamedQuery? in
            guard file.name.hasPrefix("queries/"), file.name.hasSuffix(".sql"), !file.name.dropFirst(8).contains("/"),
                  var query = NamedQuery(text: file.text) else { return nil }
            query.postgresSQL = twins[String(file.name.dropFirst(8).dropLast(4))]
            return query
        }.sorted { $0.name < $1.name }
    }()

    /// Where the PostgreSQL twins of the named queries are embedded.
    static let postgresFolder = "queries/postgres/"

    /// The names of the PostgreSQL twins embedded (`queries/postgres/NAME.sql`), for the test that pairs them.
    public static let postgresTwinNames: [String] = EmbeddedFiles.all.compactMap { file in
        guard file.name.hasPrefix(postgresFolder), file.name.hasSuffix(".sql") else { return nil }
        return String(file.name.dropFirst(postgresFolder.count).dropLast(4))
    }.sorted()

    /// The text to run on a store of `dialect`.
    public func sql(for dialect: SQLDialect) throws -> String {
        switch dialect {
        case .sqlite: return sql
        case .postgres:
            if isUserFile { return sql }
            guard let postgresSQL else { throw StoreError.noPostgresTwin(name: name) }
            return postgresSQL
        }
    }

    public static func named(_ name: String) -> NamedQuery? {
        all.first { $0.name == name }
    }

    /// The embedded query `name`, or an error that lists the names there are.
    public static func require(_ name: String) throws -> NamedQuery {
        guard let query = named(name) else { throw StoreError.unknownQuery(name: name, known: all.map(\.name)) }
        return query
    }

    /// A user's query file; without a `-- name:` line it is named after the file.
    public static func load(path: String) throws -> NamedQuery {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw StoreError.unreadableQueryFile(path: path, reason: (error as NSError).localizedDescription)
        }
        let fileName = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        guard var query = NamedQuery(text: text, defaultName: fileName) else {
            throw StoreError.unreadableQueryFile(path: path, reason: "no query in it")
        }
        query.isUserFile = true
        return query
    }

    /// Reads the header; nil when the text has no `-- name:` line.
    public init?(text: String) {
        self.init(text: text, defaultName: nil)
    }

    /// Reads the header of a user's query file; `defaultName` stands in for a missing `-- name:` line.
    public init?(text: String, defaultName: String?) {
        let header = Self.header(of: text)
        guard let name = header.values["name"].flatMap({ $0.isEmpty ? nil : $0 }) ?? defaultName else { return nil }
        self.name = name
        description = header.values["description"] ?? ""
        declaresParameters = header.values["params"] != nil
        parameters = Self.parseParameters(header.values["params"] ?? "none") + header.parameterLines.compactMap(Self.parseParameter)
        sql = text
    }

    /// `key: value` lines of the leading comment block, and the indented lines under `params:`.
    static func header(of text: String) -> (values: [String: String], parameterLines: [String]) {
        var values: [String: String] = [:]
        var parameterLines: [String] = []
        var currentKey: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("--") else { break }
            let afterDashes = line.dropFirst(2)
            let body = afterDashes.drop { $0 == " " }.trimmingCharacters(in: .whitespaces)
            if let key = currentKey, afterDashes.prefix(2) == "  ", !body.isEmpty {
                if key == "params" {
                    parameterLines.append(body)
                } else {
                    values[key] = [values[key] ?? "", body].filter { !$0.isEmpty }.joined(separator: " ")
                }
                continue
            }
            guard let colon = body.firstIndex(of: ":") else { currentKey = nil; continue }
            let key = body[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            values[key] = body[body.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            currentKey = key
        }
        return (values, parameterLines)
    }

    /// `a: meaning (example: x); b: meaning` → parameters; `none` or nothing → [].
    static func parseParameters(_ text: String) -> [Parameter] {
        guard text.lowercased() != "none", !text.isEmpty else { return [] }
        return text.split(separator: ";").compactMap { parseParameter(String($0)) }
    }

    /// `name: meaning (time, optional, example: VALUE)`: the trailing parentheses are optional.
    static func parseParameter(_ text: String) -> Parameter? {
        let pieces = text.split(separator: ":", maxSplits: 1)
        guard let name = pieces.first?.trimmingCharacters(in: .whitespaces), !name.isEmpty, !name.contains(" ") else { return nil }
        var parameter = Parameter(name: name)
        var meaning = pieces.count > 1 ? pieces[1].trimmingCharacters(in: .whitespaces) : ""
        if meaning.hasSuffix(")"), let open = meaning.range(of: " (", options: .backwards) {
            var attributes = String(meaning[open.upperBound...].dropLast())
            var example: String?
            if let start = attributes.range(of: "example:") {
                example = attributes[start.upperBound...].trimmingCharacters(in: .whitespaces)
                attributes = String(attributes[..<start.lowerBound])
            }
            let flags = Set(attributes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
            // Parentheses that are not attributes stay part of the meaning.
            if example != nil || (!flags.isEmpty && flags.isSubset(of: ["optional", "time", "text"])) {
                meaning = String(meaning[..<open.lowerBound])
                parameter.example = example
                parameter.isOptional = flags.contains("optional")
                parameter.type = flags.contains("time") ? .time : .text
            }
        }
        parameter.meaning = meaning
        return parameter
    }
}
