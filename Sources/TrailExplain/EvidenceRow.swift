import TrailModel
import TrailStore

/// One row of a named query, read by column name.
struct EvidenceRow {
    let values: [String: TabularValue]

    func string(_ column: String) -> String? {
        switch values[column] {
        case .text(let text)? where !text.isEmpty: return text
        case .integer(let value)?: return String(value)
        default: return nil
        }
    }

    func integer(_ column: String) -> Int64? {
        if case .integer(let value)? = values[column] { return value }
        return string(column).flatMap { Int64($0) }
    }

    func time(_ column: String) -> Timestamp? {
        string(column).flatMap(TimestampParser.parse)
    }

    /// Where the row's record came from: `source:line`.
    var evidence: EvidenceReference {
        EvidenceReference(source: string("source") ?? "?", line: integer("line").map(Int.init), recordID: integer("record_id"))
    }
}

extension EvidenceStore {
    /// All rows of a named query that takes no parameters.
    func rows(ofQuery name: String, arguments: [String: String] = [:]) throws -> [EvidenceRow] {
        guard let query = NamedQuery.named(name) else { preconditionFailure("named query \(name) is not embedded") }
        var columns: [String] = []
        var rows: [EvidenceRow] = []
        try runReadOnly(sql: query.sql, arguments: arguments, columns: { columns = $0 }) { values in
            rows.append(EvidenceRow(values: Dictionary(zip(columns, values), uniquingKeysWith: { first, _ in first })))
        }
        return rows
    }
}
