import TrailModel
import TrailStore

/// The incident's `exact_values`, by table, row and column, read back as the values SQLite had.
struct ExactValues {
    struct Key: Hashable {
        let table: String
        let row: Int64
        let column: String
    }

    var values: [Key: TabularValue] = [:]

    var isEmpty: Bool { values.isEmpty }

    static func load(_ reader: TeamStoreReader) throws -> ExactValues {
        var exact = ExactValues()
        try TeamStoreVerifier.each(reader, "SELECT table_name, row_id, column_name, sqlite_type, value FROM exact_values") { row in
            guard case .blob(let bytes) = row.value("value") else { return }
            let key = Key(table: row.text("table_name") ?? "", row: row.integer("row_id") ?? 0, column: row.text("column_name") ?? "")
            exact.values[key] = decode(storageClass: row.text("sqlite_type") ?? "", bytes)
        }
        return exact
    }

    /// The value SQLite had, from its storage class and bytes (integers and reals as 8 bytes big-endian).
    static func decode(storageClass: String, _ bytes: [UInt8]) -> TabularValue {
        let integer = bytes.count == 8 ? bytes.reduce(UInt64(0)) { ($0 << 8) | UInt64($1) } : 0
        switch storageClass {
        case "integer": return .integer(Int64(bitPattern: integer))
        case "real": return .real(Double(bitPattern: integer))
        case "text": return .text(String(decoding: bytes, as: UTF8.self))
        default: return .blob(bytes)
        }
    }

    /// The exact text of a value, when it is kept here as text.
    func text(table: String, row: Int64, column: String) -> String? {
        if case .text(let text)? = values[Key(table: table, row: row, column: column)] { return text }
        return nil
    }

    /// A record row of `ChainColumns.recordsSQL` with its exact values put back (names are put back where they are
    /// loaded).
    func restore(_ row: inout TeamChainRow) {
        let id = row.integer("id") ?? 0
        let columns = row.cells.columns
        func put(_ index: Int?, _ key: Key) {
            guard let index, let value = values[key] else { return }
            row.cells.cells[index] = value
        }
        for column in ["pointer", "fields", "raw", "digest", "chain", "time", "time_origin", "line", "time_ms"] {
            put(columns.positions[column], Key(table: "records", row: id, column: column))
        }
        row.exactDigest = values[Key(table: "records", row: id, column: "digest")] != nil
        if let kindID = row.integer("kind_id") { put(columns.positions["kind"], Key(table: "record_kinds", row: kindID, column: "kind")) }
        for table in FieldTable.allCases {
            for (position, column) in table.columns.enumerated() where !column.interned {
                put(columns.index(table, position), Key(table: table.tableName, row: id, column: column.column))
            }
        }
    }
}
