import TrailModel

/// A record as `verify` reads it back (the columns of `StoreStatements.recordsToVerify`): from the SQLite store, or
/// from an incident of a team store.
public protocol ChainRow {
    /// A column's value as SQLite had it; NULL for a column the row lacks.
    func chainValue(_ column: String) -> TabularValue
    /// The value of typed column `position` of `table`, a `names` id resolved to its text.
    func typedValue(_ table: FieldTable, _ position: Int) -> TabularValue
}

/// Where verify's columns are in its rows, found once per statement: the typed columns by table and position,
/// and which of them hold a `names` id.
public final class ChainColumns: @unchecked Sendable {
    public let positions: ColumnPositions
    /// Per table (its raw value), per typed column: the cell's index, nil when the statement lacks it.
    let typed: [[Int?]]

    /// The typed tables' leading columns as named in the rows.
    static let leading = FieldTable.allCases.map { table -> (recordID: String, sourceID: String, line: String, timeMs: String) in
        let prefix = table == .record ? "rf_" : "lf_"
        return (prefix + "record_id", prefix + "source_id", prefix + "line", prefix + "time_ms")
    }

    /// The name each typed column has in the rows (`rf_` or `lf_`, then the column).
    public static let aliases: [[String]] = FieldTable.allCases.map { table in table.columns.map { StoreStatements.verifyAlias(table, $0) } }

    /// The statement that reads the records as `ChainWalk.check` wants them, in id order; interned columns as ids.
    public static var recordsSQL: String { StoreStatements.recordsToVerify }

    /// The statement that reads the names those ids refer to (`id`, `value`).
    public static var namesSQL: String { StoreStatements.namesToVerify }

    public init(_ names: [String]) {
        let positions = ColumnPositions(names)
        self.positions = positions
        typed = Self.aliases.map { aliases in aliases.map { positions[$0] } }
    }

    /// The cell index of typed column `position` of `table`.
    public func index(_ table: FieldTable, _ position: Int) -> Int? {
        typed[table.rawValue][position]
    }
}

/// The `names` of a store, by id, to resolve interned columns.
public final class ChainNames: @unchecked Sendable {
    public var values: [Int64: String] = [:]

    public init() {}
}

/// A record read back as cells, with the store's names.
public struct ChainCells: ChainRow {
    public let columns: ChainColumns
    public var cells: [TabularValue]
    public let names: ChainNames

    public init(columns: ChainColumns, cells: [TabularValue], names: ChainNames) {
        self.columns = columns
        self.cells = cells
        self.names = names
    }

    public func chainValue(_ column: String) -> TabularValue {
        columns.positions[column].map { cells[$0] } ?? .null
    }

    public func typedValue(_ table: FieldTable, _ position: Int) -> TabularValue {
        guard let index = columns.index(table, position) else { return .null }
        let value = cells[index]
        guard table.columns[position].interned else { return value }
        // An id that names nothing reads as NULL, as the join it stands for would.
        guard case .integer(let id) = value, let name = names.values[id] else { return .null }
        return .text(name)
    }
}
