/// One extracted value of a record, as it will be stored in the record's `fields` JSON.
public enum FieldValue: Hashable, Sendable {
    case string(String)
    case integer(Int64)
    case number(Double)
    case bool(Bool)
    case null
}

/// The named values a parser extracted from one record, in the order it found them.
///
/// Stored as one JSON object per record; names are the payload's own field
/// names where it has them (`principalId`, `roleDefinitionId`, ...).
public struct RecordFields: Hashable, Sendable {
    public private(set) var entries: [(name: String, value: FieldValue)] = []

    public init() {}

    public static func == (lhs: RecordFields, rhs: RecordFields) -> Bool {
        lhs.entries.elementsEqual(rhs.entries) { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for entry in entries {
            hasher.combine(entry.name)
            hasher.combine(entry.value)
        }
    }

    public var isEmpty: Bool { entries.isEmpty }

    public subscript(name: String) -> FieldValue? {
        entries.first { $0.name == name }?.value
    }

    /// The value as text, for string values (numbers and booleans are not converted).
    public func string(_ name: String) -> String? {
        if case .string(let text)? = self[name] { return text }
        return nil
    }

    /// Sets `name`, replacing an earlier value of the same name.
    public mutating func set(_ name: String, _ value: FieldValue) {
        if let index = entries.firstIndex(where: { $0.name == name }) {
            entries[index].value = value
        } else {
            entries.append((name, value))
        }
    }

    /// Sets `name` to a string, or does nothing when the string is nil.
    public mutating func set(_ name: String, _ text: String?) {
        if let text { set(name, .string(text)) }
    }

    /// Replaces every string value by `transform` of it, in place.
    public mutating func transformStrings(_ transform: (String) -> String) {
        for index in entries.indices {
            if case .string(let text) = entries[index].value {
                entries[index].value = .string(transform(text))
            }
        }
    }

    /// The fields as a compact JSON object.
    public var json: String {
        var output = "{"
        for (index, entry) in entries.enumerated() {
            if index > 0 { output += "," }
            JSONText.appendQuoted(entry.name, to: &output)
            output += ":"
            entry.value.appendJSON(to: &output)
        }
        return output + "}"
    }
}

extension FieldValue {
    /// Appends the value as JSON text.
    public func appendJSON(to output: inout String) {
        switch self {
        case .string(let text): JSONText.appendQuoted(text, to: &output)
        case .integer(let value): output += String(value)
        case .number(let value): output += value.isFinite ? String(value) : "null"
        case .bool(let value): output += value ? "true" : "false"
        case .null: output += "null"
        }
    }
}

/// Minimal JSON text writing shared by the model types.
public enum JSONText {
    /// Appends `text` as a JSON string literal, escaping what JSON requires.
    public static func appendQuoted(_ text: String, to output: inout String) {
        output += "\""
        // Most values need no escape: append them whole (this runs for every field of every record).
        if !needsEscape(text) {
            output += text
            output += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }

    /// Whether any byte of the text needs an escape: a control character, `"` or `\`.
    static func needsEscape(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            for byte in bytes where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return true }
            return false
        }
    }

    public static func quoted(_ text: String) -> String {
        var output = ""
        appendQuoted(text, to: &output)
        return output
    }
}
