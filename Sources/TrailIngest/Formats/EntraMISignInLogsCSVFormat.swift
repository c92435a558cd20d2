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
        let rows = sample.csvRows(limit: 2)
        guard let header = rows.first.map(Self.columns), header.contains("appid"), header.contains("serviceprincipalid"),
              header.contains(where: SignInLogFields.timeColumns.contains) else { return false }
        guard rows.count > 1 else { return true }
        let first = Dictionary(zip(header, rows[1])) { first, _ in first }
        if let type = first["type"], !type.isEmpty { return type == EntraMISignInLogsFormat.table }
        if let category = first["category"], !category.isEmpty { return category == EntraMISignInLogsFormat.category }
        return true
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
        var header: [String]?
        var timesAreUTC = false
        try input.forEachCSVRow { result in
            switch result {
            case .malformed(let line, let reason, let excerpt):
                try sink.reject(line: line, reason: reason, text: excerpt)
            case .row(let row):
                guard let columns = header else {
                    header = Self.columns(row.fields)
                    timesAreUTC = row.fields.contains { $0.contains("[UTC]") }
                    return
                }
                guard row.fields.count == columns.count else {
                    try sink.reject(line: row.line, reason: "the row has \(row.fields.count) fields, the header \(columns.count)", text: row.text)
                    return
                }
                try sink.emit(Self.record(Dictionary(zip(columns, row.fields)) { first, _ in first }, line: row.line, raw: row.text,
                                          timesAreUTC: timesAreUTC))
            }
        }
    }

    static func record(_ row: [String: String], line: Int, raw: String, timesAreUTC: Bool) -> EvidenceRecord {
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
        return EvidenceRecord(kind: .managedIdentitySignIn, position: SourcePosition(line: line), time: time, timeOrigin: origin,
                              fields: fields, raw: raw)
    }
}
