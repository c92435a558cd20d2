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
            guard case .blob(let bytes) = row.chainValue("value") else { return }
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

    /// A record row of `TeamStoreVerifier.recordsSQL` with its exact values put back.
    func restored(_ row: VerifiedRow) -> VerifiedRow {
        var row = row
        let id = row.integer("id") ?? 0
        func put(_ column: String, _ key: Key) {
            guard let value = values[key], let index = row.columns.positions[column] else { return }
            row.cells[index] = value
        }
        for column in ["pointer", "fields", "raw", "digest", "chain", "time", "time_origin", "line", "time_ms"] {
            put(column, Key(table: "records", row: id, column: column))
        }
        row.exactDigest = values[Key(table: "records", row: id, column: "digest")] != nil
        if let kindID = row.integer("kind_id") { put("kind", Key(table: "record_kinds", row: kindID, column: "kind")) }
        for table in FieldTable.allCases {
            for column in table.columns {
                let alias = ChainWalk.alias(table, column)
                if column.interned {
                    if let nameID = row.integer(alias + "__ref") { put(alias, Key(table: "names", row: nameID, column: "value")) }
                } else {
                    put(alias, Key(table: table.tableName, row: id, column: column.column))
                }
            }
        }
        return row
    }
}
