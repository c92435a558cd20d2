import TrailModel
import TrailStore

/// One row of a named query, read by column name.
///
/// The rows of one query share one index of their column names: a store of a million failures reads a million
/// rows, and a dictionary of its own for each of them cost more than everything explain does with the row.
struct EvidenceRow {
    /// Column name → position, shared by every row of a query.
    typealias Columns = ColumnPositions

    let columns: Columns
    let cells: [TabularValue]

    init(columns: Columns, cells: [TabularValue]) {
        self.columns = columns
        self.cells = cells
    }

    /// A row from values by column name (tests, and rows built by hand).
    init(values: [String: TabularValue]) {
        let names = Array(values.keys)
        columns = Columns(names)
        cells = names.map { values[$0]! }
    }

    /// The row's values by column name (the first column of a name).
    var values: [String: TabularValue] {
        columns.positions.mapValues { cells[$0] }
    }

    func value(_ column: String) -> TabularValue? {
        value(at: columns.positions[column])
    }

    func string(_ column: String) -> String? {
        string(at: columns.positions[column])
    }

    func integer(_ column: String) -> Int64? {
        integer(at: columns.positions[column])
    }

    func time(_ column: String) -> Timestamp? {
        time(at: columns.positions[column])
    }

    /// The cell at a position looked up once per query (nil: the query has no such column).
    func value(at position: Int?) -> TabularValue? {
        position.map { cells[$0] }
    }

    func string(at position: Int?) -> String? {
        switch value(at: position) {
        case .text(let text)? where !text.isEmpty: return text
        case .integer(let value)?: return String(value)
        default: return nil
        }
    }

    func integer(at position: Int?) -> Int64? {
        if case .integer(let value)? = value(at: position) { return value }
        return string(at: position).flatMap { Int64($0) }
    }

    func time(at position: Int?) -> Timestamp? {
        string(at: position).flatMap(TimestampParser.parse)
    }

    /// Where the row's record came from: `source:line`.
    var evidence: EvidenceReference {
        EvidenceReference(source: string("source") ?? "?", line: integer("line").map(Int.init), recordID: integer("record_id"))
    }
}

extension EvidenceReader {
    /// All rows of a named query that takes no parameters.
    func rows(ofQuery name: String, arguments: [String: String] = [:]) throws -> [EvidenceRow] {
        var rows: [EvidenceRow] = []
        try forEachRow(ofQuery: name, arguments: arguments) { rows.append($0) }
        return rows
    }

    /// Each row of a named query in turn, without holding them all.
    func forEachRow(ofQuery name: String, arguments: [String: String] = [:], _ body: (EvidenceRow) throws -> Void) throws {
        guard let query = NamedQuery.named(name) else { preconditionFailure("named query \(name) is not embedded") }
        var columns = EvidenceRow.Columns([])
        try runNamed(query, arguments: arguments.mapValues { Optional($0) }, columns: { columns = EvidenceRow.Columns($0) }) { values in
            try body(EvidenceRow(columns: columns, cells: values))
        }
    }
}
