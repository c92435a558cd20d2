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
        let rows = CSVRowReader.rows(of: sample.text, limit: 2)
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
        var reader = CSVRowReader()
        var header: [String]?
        var timesAreUTC = false
        var rowLine = 0
        var rowText: [String] = []
        var rowBytes = 0
        try input.forEachLine { line in
            if !reader.isInsideRow {
                if line.isBlank { return }
                rowLine = line.number
                rowText = []
                rowBytes = 0
            }
            rowText.append(line.text)
            rowBytes += line.bytes.count
            guard let row = reader.feed(line.bytes) else {
                if reader.lineCount >= CSVRowReader.maximumLinesPerRow || rowBytes > ParseInput.maximumValueLength {
                    try sink.reject(line: rowLine, reason: "a quoted field runs over \(reader.lineCount) lines (\(rowBytes >> 10) KiB): unclosed quote?",
                                    text: rowText.prefix(4).joined(separator: "\n"))
                    reader.reset()
                }
                return
            }
            guard let columns = header else {
                header = Self.columns(row)
                timesAreUTC = row.contains { $0.contains("[UTC]") }
                return
            }
            let raw = rowText.joined(separator: "\n")
            guard row.count == columns.count else {
                try sink.reject(line: rowLine, reason: "the row has \(row.count) fields, the header \(columns.count)", text: raw)
                return
            }
            try sink.emit(Self.record(Dictionary(zip(columns, row)) { first, _ in first }, line: rowLine, raw: raw, timesAreUTC: timesAreUTC))
        }
        if reader.isInsideRow {
            try sink.reject(line: rowLine, reason: "the input ends inside a quoted field (truncated?)", text: rowText.joined(separator: "\n"))
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
