import TrailModel

/// How a table of rows is printed.
public enum TabularFormat: String, CaseIterable, Sendable {
    /// Aligned columns for a terminal.
    case table
    /// One JSON array of objects.
    case json
    /// RFC 4180 CSV with a header row.
    case csv
    /// One JSON object per line.
    case ndjson
}

/// Writes rows as they come (JSON, CSV, NDJSON) or once all are known (aligned table).
public final class TabularWriter {
    public let format: TabularFormat
    private let write: (String) -> Void
    private var columns: [String] = []
    private var bufferedRows: [[String]] = []
    private var rowCount = 0

    public init(format: TabularFormat, write: @escaping (String) -> Void) {
        self.format = format
        self.write = write
    }

    public func begin(columns: [String]) {
        self.columns = columns
        switch format {
        case .json: write("[")
        case .csv: write(columns.map(Self.csvField).joined(separator: ",") + "\r\n")
        case .table, .ndjson: break
        }
    }

    public func add(row: [TabularValue]) {
        defer { rowCount += 1 }
        switch format {
        case .table:
            bufferedRows.append(row.map { Self.oneLine($0.displayText) })
        case .csv:
            write(Self.csvLine(row))
        case .json:
            write((rowCount == 0 ? "\n  " : ",\n  ") + jsonObject(row))
        case .ndjson:
            write(jsonObject(row) + "\n")
        }
    }

    public func end() {
        switch format {
        case .json: write(rowCount == 0 ? "]\n" : "\n]\n")
        case .table: write(Self.alignedTable(columns: columns, rows: bufferedRows))
        case .csv, .ndjson: break
        }
    }

    /// Renders everything at once.
    public static func render(format: TabularFormat, columns: [String], rows: [[TabularValue]]) -> String {
        var output = ""
        let writer = TabularWriter(format: format) { output += $0 }
        writer.begin(columns: columns)
        rows.forEach(writer.add(row:))
        writer.end()
        return output
    }

    private func jsonObject(_ row: [TabularValue]) -> String {
        var output = "{"
        for (index, value) in row.enumerated() {
            if index > 0 { output += ", " }
            JSONText.appendQuoted(index < columns.count ? columns[index] : "column\(index + 1)", to: &output)
            output += ": "
            Self.appendJSON(value, to: &output)
        }
        return output + "}"
    }

    static func appendJSON(_ value: TabularValue, to output: inout String) {
        switch value {
        case .null: output += "null"
        case .integer(let integer): output += String(integer)
        case .real(let real): output += real.isFinite ? String(real) : "null"
        case .text(let text): JSONText.appendQuoted(text, to: &output)
        case .blob: JSONText.appendQuoted(value.displayText, to: &output)
        }
    }

    /// One CSV row with its line end, built in one string: a million rows out is the common case of a listing.
    static func csvLine(_ row: [TabularValue]) -> String {
        var line = ""
        for (index, value) in row.enumerated() {
            if index > 0 { line += "," }
            switch value {
            case .null: break
            case .integer(let integer): line += String(integer)
            case .text(let text): appendCSVField(text, to: &line)
            case .real, .blob: appendCSVField(value.displayText, to: &line)
            }
        }
        line += "\r\n"
        return line
    }

    static func csvField(_ text: String) -> String {
        var field = ""
        appendCSVField(text, to: &field)
        return field
    }

    /// A field as RFC 4180 writes it: quoted (quotes doubled) when it holds a comma, a quote or a line end. The
    /// check reads the UTF-8 bytes (those four are ASCII), not the characters.
    static func appendCSVField(_ text: String, to output: inout String) {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) else {
            output += text
            return
        }
        output += "\""
        output += text.replacingOccurrences(of: "\"", with: "\"\"")
        output += "\""
    }

    /// Table cells stay on one line: line ends are shown as `⏎`.
    static func oneLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "⏎").replacingOccurrences(of: "\n", with: "⏎")
    }

    /// Columns padded to their widest cell (cells cut at 80 characters), with a rule under the header.
    public static func alignedTable(columns: [String], rows: [[String]], maximumWidth: Int = 80) -> String {
        let cut = rows.map { $0.map { $0.count > maximumWidth ? String($0.prefix(maximumWidth - 1)) + "…" : $0 } }
        var widths = columns.map(\.count)
        for row in cut {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ") + "\n"
        }
        var output = line(columns)
        output += line(widths.map { String(repeating: "-", count: $0) })
        for row in cut { output += line(row) }
        output += "(\(rows.count) row\(rows.count == 1 ? "" : "s"))\n"
        return output
    }
}
