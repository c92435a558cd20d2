import Foundation
import TrailModel

/// Log Analytics `AADManagedIdentitySignInLogs` results exported as CSV from the portal: a header
/// row with the table's column names (`TimeGenerated [UTC]`, `AppId`, `ServicePrincipalId`, ...),
/// then one row per sign-in. Dates may be ISO 8601 or the portal's localized `3/4/2026, 10:15:32.120 AM`.
public struct EntraMISignInLogsCSVFormat: EvidenceFormat {
    public let id = "entra-mi-signin-logs-csv"
    public let title = "Entra ID managed identity sign-in logs (Log Analytics CSV export)"
    public let example = "Log Analytics: AADManagedIdentitySignInLogs | where TimeGenerated > ago(1d), then Export > CSV (all columns)"

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        Self.sniff(sample, table: .managedIdentity)
    }

    /// A header with the sign-in columns, and a first row (if any) that is of `table`, or does not say.
    /// A CSV that does not say which table it came from is read as the managed identity log's.
    static func sniff(_ sample: SniffSample, table: SignInTable) -> Bool {
        let rows = sample.csvRows(limit: 2)
        guard let header = rows.first.map(columns), isHeader(header) else { return false }
        guard rows.count > 1 else { return table.kind == .managedIdentitySignIn }
        return rowTable(Dictionary(zip(header, rows[1])) { first, _ in first }, table: table) ?? (table.kind == .managedIdentitySignIn)
    }

    /// The columns a header must have: `AppId`, `ServicePrincipalId` and a time column.
    static func isHeader(_ columns: [String]) -> Bool {
        columns.contains("appid") && columns.contains("serviceprincipalid") && columns.contains(where: SignInLogFields.timeColumns.contains)
    }

    static let notAHeader = "not a sign-in log CSV export: its header row has no AppId, ServicePrincipalId and TimeGenerated columns"

    /// True for a row of `table`, false for another table's, nil when the row does not say (no Type or Category).
    static func rowTable(_ row: [String: String], table: SignInTable) -> Bool? {
        if let type = row["type"], !type.isEmpty { return type == table.table }
        if let category = row["category"], !category.isEmpty { return category == table.category }
        return nil
    }

    /// Column names as keys: lower case, without the portal's ` [UTC]` / ` [Local Time]` suffix.
    static func columns(_ header: [String]) -> [String] {
        header.map { name in
            var name = name.trimmingCharacters(in: .whitespaces)
            if let bracket = name.range(of: " [") { name = String(name[..<bracket.lowerBound]) }
            return name.lowercased()
        }
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        try Self.parse(input, into: sink, table: .managedIdentity)
    }

    static func parse(_ input: ParseInput, into sink: RecordSink, table: SignInTable) throws {
        var header: [String]?
        var timesAreUTC = false
        try input.forEachCSVRow { result in
            switch result {
            case .malformed(let line, let reason, let excerpt):
                try sink.reject(line: line, reason: reason, text: excerpt)
            case .row(let row):
                guard let columns = header else {
                    header = columns(row.fields)
                    timesAreUTC = row.fields.contains { $0.contains("[UTC]") }
                    if !isHeader(columns(row.fields)) { try sink.reject(line: row.line, reason: notAHeader, text: row.text) }
                    return
                }
                guard isHeader(columns) else {
                    try sink.reject(line: row.line, reason: notAHeader, text: row.text)
                    return
                }
                guard row.fields.count == columns.count else {
                    try sink.reject(line: row.line, reason: "the row has \(row.fields.count) fields, the header \(columns.count)", text: row.text)
                    return
                }
                let values = Dictionary(zip(columns, row.fields)) { first, _ in first }
                if rowTable(values, table: table) == false {
                    try sink.reject(line: row.line, reason: "a row of \(values["type"].flatMap { $0.isEmpty ? nil : $0 } ?? values["category"] ?? "another log"), not \(table.table)", text: row.text)
                    return
                }
                try sink.emit(record(values, line: row.line, raw: row.text, timesAreUTC: timesAreUTC, kind: table.kind))
            }
        }
    }

    static func record(_ row: [String: String], line: Int, raw: String, timesAreUTC: Bool, kind: RecordKind) -> EvidenceRecord {
        var fields = SignInLogFields.fields(ofRow: row)
        var time: Timestamp?
        var origin = TimeOrigin.none
        if let text = SignInLogFields.timeColumns.lazy.compactMap({ row[$0] }).first(where: { !$0.isEmpty }) {
            if let parsed = LocalizedTime.parse(text) {
                time = parsed.time
                origin = parsed.hadZone || timesAreUTC ? .record : .recordAssumedUTC
            } else {
                fields.set("unreadTime", text)
            }
        }
        return EvidenceRecord(kind: kind, position: SourcePosition(line: line), time: time, timeOrigin: origin,
                              fields: fields, raw: raw)
    }
}
