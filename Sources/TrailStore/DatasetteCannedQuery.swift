import Foundation

/// A named query as a Datasette canned query, with SQL that behaves as `mitrail query` does.
///
/// Datasette binds `''` for every parameter left empty and passes times as typed. So the SQL is the named
/// query's with two changes, made where its parameters are used (never inside strings or comments): an
/// optional text parameter is `nullif(:name, '')`, so that empty means NULL (left out); a time parameter is
/// read from `mitrail_parameters`, a common table expression put in front of the query that normalises it
/// as `mitrail query` does (`queries/datasette/time_parameters.sql`) and makes a value that is not a time
/// an error. The query's own file is not changed.
public struct DatasetteCannedQuery: Sendable, Equatable {
    public var name: String
    public var title: String
    /// What the query answers, then each parameter's meaning.
    public var description: String
    /// The parameters in the order of the query's header (Datasette's form shows them in this order).
    public var parameters: [String]
    public var sql: String

    public init(_ query: NamedQuery) throws {
        name = query.name
        title = Self.title(query.name)
        parameters = query.parameters.map(\.name)
        description = ([query.description] + query.parameters.map(Self.describe)).joined(separator: " ")
        sql = try Self.rewrite(query)
    }

    /// `failures_by_code_per_hour` → `Failures by code per hour`.
    static func title(_ name: String) -> String {
        let words = name.replacingOccurrences(of: "_", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    static func describe(_ parameter: NamedQuery.Parameter) -> String {
        var attributes: [String] = []
        if parameter.type == .time { attributes.append("a time such as \(parameter.example ?? "2026-03-04T10:00:00Z"), or a date") }
        if parameter.isOptional { attributes.append("optional: leave it empty for all") }
        if let example = parameter.example, parameter.type != .time { attributes.append("example: \(example)") }
        let meaning = parameter.meaning.isEmpty ? "" : " " + parameter.meaning
        return "\(parameter.name):\(meaning)" + (attributes.isEmpty ? "." : " (\(attributes.joined(separator: "; "))).")
    }

    /// The common table expressions that read the time parameters, without their leading comment.
    static let timeParameterTemplate: String = {
        let text = EmbeddedFiles.all.first { $0.name == "queries/datasette/time_parameters.sql" }?.text ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .drop { $0.hasPrefix("--") }.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }()

    static func rewrite(_ query: NamedQuery) throws -> String {
        for parameter in query.parameters where !Self.isPlainName(parameter.name) {
            throw StoreError.invalidQuery(reason: "\(query.name): parameter name '\(parameter.name)' is not a plain SQL name")
        }
        let times = query.parameters.filter { $0.type == .time }.map(\.name)
        let optionalTexts = Set(query.parameters.filter { $0.type == .text && $0.isOptional }.map(\.name))
        let scan = SQLScan(query.sql)
        var insertion: (at: Int, text: String)?
        if !times.isEmpty {
            let expressions = timeExpressions(times)
            guard let first = scan.leadingWords.first else { throw StoreError.invalidQuery(reason: "\(query.name): no statement") }
            if first.text.uppercased() == "WITH" {
                let recursive = scan.leadingWords.count > 1 && scan.leadingWords[1].text.uppercased() == "RECURSIVE"
                insertion = ((recursive ? scan.leadingWords[1] : first).range.upperBound, "\n" + expressions + ",\n")
            } else {
                insertion = (first.range.lowerBound, "WITH " + expressions + "\n")
            }
        }
        var output = ""
        var cursor = 0
        func copy(upTo end: Int) {
            if let point = insertion, point.at >= cursor, point.at <= end {
                output += scan.text(cursor..<point.at) + point.text
                cursor = point.at
                insertion = nil
            }
            output += scan.text(cursor..<end)
            cursor = end
        }
        for parameter in scan.parameters {
            copy(upTo: parameter.range.lowerBound)
            let written = scan.text(parameter.range)
            if times.contains(parameter.name) {
                output += "(SELECT \"\(parameter.name)\" FROM mitrail_parameters)"
            } else if optionalTexts.contains(parameter.name) {
                output += "nullif(\(written), '')"
            } else {
                output += written
            }
            cursor = parameter.range.upperBound
        }
        copy(upTo: scan.scalars.count)
        return output
    }

    /// `mitrail_times_given`, the template's expressions, and `mitrail_parameters` with one column per time.
    static func timeExpressions(_ times: [String]) -> String {
        "mitrail_times_given(name, given) AS (\n    VALUES "
            + times.map { "('\($0)', nullif(:\($0), ''))" }.joined(separator: ", ")
            + "\n),\n" + timeParameterTemplate + ",\nmitrail_parameters AS (\n    SELECT "
            + times.map { "(SELECT time FROM mitrail_times WHERE name = '\($0)') AS \"\($0)\"" }.joined(separator: ",\n           ")
            + "\n)"
    }

    /// Letters, digits and `_`, not starting with a digit: safe inside the generated SQL's quotes.
    static func isPlainName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, SQLScan.startsWord(first) else { return false }
        return name.unicodeScalars.allSatisfy(SQLScan.continuesWord)
    }
}
