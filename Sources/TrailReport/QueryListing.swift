import TrailModel
import TrailStore

/// `mitrail query --list`: every named query with what it answers and the parameters it takes.
public enum QueryListing {
    /// Readable blocks for a terminal: name, description, then one `--param` line a parameter.
    public static func text(_ queries: [NamedQuery], width: Int = 100) -> String {
        var output = ""
        for query in queries {
            output += query.name + "\n"
            output += wrap(query.description, width: width, indent: "  ")
            let labels = query.parameters.map { "--param \($0.name)=\($0.type == .time ? "TIME" : "VALUE")" }
            let labelWidth = labels.map(\.count).max() ?? 0
            for (parameter, label) in zip(query.parameters, labels) {
                let padded = label + String(repeating: " ", count: labelWidth - label.count + 2)
                output += wrap(describe(parameter), width: width, indent: "  " + padded, continuation: String(repeating: " ", count: padded.count + 2))
            }
            output += "\n"
        }
        return output + "Run one with `mitrail query NAME --param name=value ...`; `--show-sql` prints its SQL.\n"
    }

    /// `{"queries": [{"name", "description", "parameters": [{"name", "meaning", "type", "optional", "example"}]}]}`.
    public static func json(_ queries: [NamedQuery]) -> JSONValue {
        .object([("queries", .array(queries.map { query in
            .object([
                ("name", .string(query.name)),
                ("description", .string(query.description)),
                ("parameters", .array(query.parameters.map { parameter in
                    .object([("name", .string(parameter.name)), ("meaning", .string(parameter.meaning)),
                             ("type", .string(parameter.type.rawValue)), ("optional", .bool(parameter.isOptional)),
                             ("example", .string(parameter.example))])
                })),
            ])
        }))])
    }

    /// One flat row a query (for CSV and NDJSON), parameters as `name (time, optional): meaning; ...`.
    public static let columns = ["name", "description", "parameters"]

    public static func rows(_ queries: [NamedQuery]) -> [[TabularValue]] {
        queries.map { query in
            let parameters = query.parameters.map { parameter in
                var flags = parameter.type == .time ? ["time"] : []
                if parameter.isOptional { flags.append("optional") }
                return parameter.name + (flags.isEmpty ? "" : " (\(flags.joined(separator: ", ")))") + ": " + parameter.meaning
                    + (parameter.example.map { " (example: \($0))" } ?? "")
            }
            return [.text(query.name), .text(query.description), .text(parameters.joined(separator: "; "))]
        }
    }

    static func describe(_ parameter: NamedQuery.Parameter) -> String {
        (parameter.isOptional ? "optional: " : "") + parameter.meaning + (parameter.example.map { ", e.g. \($0)" } ?? "")
    }

    /// Words wrapped to `width`, the first line after `indent`, the others after `continuation` (default: `indent`).
    static func wrap(_ text: String, width: Int, indent: String, continuation: String? = nil) -> String {
        var lines: [String] = []
        var line = indent
        var lineHasWord = false
        for word in text.split(separator: " ") {
            if lineHasWord, line.count + 1 + word.count > width {
                lines.append(line)
                line = continuation ?? indent
                lineHasWord = false
            }
            line += (lineHasWord ? " " : "") + word
            lineHasWord = true
        }
        lines.append(line)
        return lines.joined(separator: "\n") + "\n"
    }
}
