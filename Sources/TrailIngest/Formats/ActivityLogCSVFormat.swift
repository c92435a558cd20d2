import Foundation
import TrailModel

/// Log Analytics `AzureActivity` rows exported as CSV (the portal's "Export to CSV"): a header of
/// column names (`TimeGenerated [UTC]`, `OperationNameValue`, `ActivityStatusValue`, `Caller`,
/// `Properties_d`, ...), then one row per event; dynamic columns hold JSON in quoted fields
/// (quotes doubled), which may span lines. Read like the JSON export of the same table.
///
/// The portal writes `TimeGenerated [UTC]` either as ISO 8601 or as `3/4/2026, 10:00:00.123 AM`;
/// both are read as UTC, as is a day-first time that cannot be misread; a time whose day and month
/// could be either is kept unread (`unreadTime`), never guessed.
public struct ActivityLogCSVFormat: EvidenceFormat {
    public let id = "azure-activity-log-csv"
    public let title = "Activity Log events (Log Analytics AzureActivity CSV export)"
    public let example = "Log Analytics: AzureActivity | where OperationNameValue has 'roleAssignments' → Export → CSV (all columns)"

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        guard let header = sample.csvRows(limit: 1).first else { return false }
        return Self.isHeader(header)
    }

    /// The AzureActivity columns a header must have: `OperationNameValue` and `TimeGenerated`.
    static func isHeader(_ fields: [String]) -> Bool {
        let columns = Set(fields.map { $0.trimmingCharacters(in: .whitespaces) })
        return columns.contains("OperationNameValue") && (columns.contains("TimeGenerated [UTC]") || columns.contains("TimeGenerated"))
    }

    static let notAHeader = "not an AzureActivity CSV export: its header row has no OperationNameValue and TimeGenerated columns"

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        var header: [String]?
        try input.forEachCSVRow { result in
            guard case .row(let row) = result else {
                if case .malformed(let line, let reason, let excerpt) = result { try sink.reject(line: line, reason: reason, text: excerpt) }
                return
            }
            guard let columns = header else {
                header = row.fields.map { $0.trimmingCharacters(in: .whitespaces) }
                if !Self.isHeader(row.fields) { try sink.reject(line: row.line, reason: Self.notAHeader, text: row.text) }
                return
            }
            guard Self.isHeader(columns) else {
                return try sink.reject(line: row.line, reason: Self.notAHeader, text: row.text)
            }
            guard row.fields.count == columns.count else {
                return try sink.reject(line: row.line, reason: "a row of \(row.fields.count) fields under a header of \(columns.count) columns", text: row.text)
            }
            var object: [String: Any] = [:]
            for (name, value) in zip(columns, row.fields) where !value.isEmpty { object[name] = value }
            let event = ActivityLogFormat.event(object, shape: .logAnalytics)
            // The column is UTC by definition (`TimeGenerated [UTC]`), whichever way it is printed.
            let (time, origin, unread) = ActivityLogEvent.time(event.time, columnIsUTC: true)
            var fields = event.fields
            if let unread {
                fields.set("unreadTime", unread)
                fields.set("unreadTimeReason", ActivityLogEvent.unreadTimeReason)
            }
            try sink.emit(EvidenceRecord(kind: .activityLogEvent, position: SourcePosition(line: row.line),
                                         time: time, timeOrigin: origin, fields: fields, raw: row.text))
        }
    }
}
