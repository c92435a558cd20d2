import TrailModel

/// A JSON document built in code, with members in the order written and explicit nulls:
/// the output contract prints unknown values as `null`, never leaves them out.
public indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool { lhs.rendered() == rhs.rendered() }

    public static func string(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
    public static func time(_ time: Timestamp?) -> JSONValue { time.map { .string($0.iso8601) } ?? .null }

    /// Pretty-printed with two-space indents, or compact.
    public func rendered(pretty: Bool = true) -> String {
        var output = ""
        write(to: &output, indent: pretty ? "" : nil)
        return output
    }

    private func write(to output: inout String, indent: String?) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .integer(let value): output += String(value)
        case .number(let value): output += value.isFinite ? String(value) : "null"
        case .string(let text): JSONText.appendQuoted(text, to: &output)
        case .array(let items):
            writeContainer(open: "[", close: "]", count: items.count, to: &output, indent: indent) { index, inner, output in
                items[index].write(to: &output, indent: inner)
            }
        case .object(let members):
            writeContainer(open: "{", close: "}", count: members.count, to: &output, indent: indent) { index, inner, output in
                JSONText.appendQuoted(members[index].0, to: &output)
                output += indent == nil ? ":" : ": "
                members[index].1.write(to: &output, indent: inner)
            }
        }
    }

    private func writeContainer(open: String, close: String, count: Int, to output: inout String, indent: String?,
                                item: (Int, String?, inout String) -> Void) {
        output += open
        guard count > 0 else { output += close; return }
        let inner = indent.map { $0 + "  " }
        for index in 0..<count {
            if index > 0 { output += "," }
            if let inner { output += "\n" + inner }
            item(index, inner, &output)
        }
        if let indent { output += "\n" + indent }
        output += close
    }
}
