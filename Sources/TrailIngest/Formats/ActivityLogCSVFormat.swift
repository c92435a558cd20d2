import Foundation
import TrailModel

/// Log Analytics `AzureActivity` rows exported as CSV (the portal's "Export to CSV"): a header of
/// column names (`TimeGenerated [UTC]`, `OperationNameValue`, `ActivityStatusValue`, `Caller`,
/// `Properties_d`, ...), then one row per event; dynamic columns hold JSON in quoted fields
/// (quotes doubled), which may span lines. Read like the JSON export of the same table.
///
/// The portal writes `TimeGenerated [UTC]` either as ISO 8601 or as `3/4/2026, 10:00:00.123 AM`;
/// both are read as UTC.
public struct ActivityLogCSVFormat: EvidenceFormat {
    public let id = "azure-activity-log-csv"
    public let title = "Activity Log events (Log Analytics AzureActivity CSV export)"
    public let example = "Log Analytics: AzureActivity | where OperationNameValue has 'roleAssignments' → Export → CSV (all columns)"

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        guard !sample.looksLikeJSON, let header = sample.text.split(whereSeparator: \.isNewline).first else { return false }
        let columns = Set(CSVRows.fields(of: String(header)) ?? [])
        return columns.contains("OperationNameValue") && (columns.contains("TimeGenerated [UTC]") || columns.contains("TimeGenerated"))
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        var header: [String]?
        try CSVRows.forEachRow(input, into: sink) { row in
            guard let columns = header else {
                header = row.fields.map { $0.trimmingCharacters(in: .whitespaces) }
                return
            }
            guard row.fields.count == columns.count else {
                return try sink.reject(line: row.line, reason: "a row of \(row.fields.count) fields under a header of \(columns.count) columns", text: row.text)
            }
            var object: [String: Any] = [:]
            for (name, value) in zip(columns, row.fields) where !value.isEmpty { object[name] = value }
            let event = ActivityLogFormat.event(object, shape: .logAnalytics)
            // The column is UTC by definition (`TimeGenerated [UTC]`), whichever way it is printed.
            var time = ARMValues.time(event.time).0
            if time == nil, let text = event.time { time = ARMValues.usDateTime(text) }
            try sink.emit(EvidenceRecord(kind: .activityLogEvent, position: SourcePosition(line: row.line),
                                         time: time, timeOrigin: time == nil ? .none : .record, fields: event.fields, raw: row.text))
        }
    }
}

/// RFC 4180 rows: comma-separated fields, quoted fields with doubled quotes, line ends inside quotes.
enum CSVRows {
    struct Row {
        var line: Int
        var fields: [String]
        var text: String
    }

    /// A row cut short by the end of input is rejected; a row longer than this many lines too.
    static let maximumLinesPerRow = 10_000

    static func forEachRow(_ input: ParseInput, into sink: RecordSink, _ body: (Row) throws -> Void) throws {
        var pending: (line: Int, text: String, lines: Int)?
        try input.forEachLine { line in
            if pending == nil && line.isBlank { return }
            var row = pending ?? (line.number, "", 0)
            row.text += (row.lines > 0 ? "\n" : "") + line.text
            row.lines += 1
            if let fields = fields(of: row.text) {
                pending = nil
                try body(Row(line: row.line, fields: fields, text: row.text))
            } else if row.lines >= maximumLinesPerRow || line.isTruncated {
                pending = nil
                try sink.reject(line: row.line, reason: "a quoted field that does not end", text: row.text)
            } else {
                pending = row
            }
        }
        if let row = pending { try sink.reject(line: row.line, reason: "the input ends inside a quoted field (truncated?)", text: row.text) }
    }

    /// The fields of one row's text; nil while a quoted field is still open.
    static func fields(of text: String) -> [String]? {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var iterator = text.unicodeScalars.makeIterator()
        var pendingQuote = false
        while let scalar = iterator.next() {
            if pendingQuote {
                pendingQuote = false
                if scalar == "\"" { field.unicodeScalars.append("\""); continue }
                quoted = false
            }
            if quoted {
                if scalar == "\"" { pendingQuote = true } else { field.unicodeScalars.append(scalar) }
            } else if scalar == "\"" && field.isEmpty {
                quoted = true
            } else if scalar == "," {
                fields.append(field)
                field = ""
            } else {
                field.unicodeScalars.append(scalar)
            }
        }
        if pendingQuote { quoted = false }
        guard !quoted else { return nil }
        fields.append(field)
        return fields
    }
}
