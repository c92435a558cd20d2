import TrailStore

/// A table of the SQLite store and its PostgreSQL twin, derived from the store's own description
/// (`PRAGMA table_xinfo`, `PRAGMA index_list`): the port follows the SQLite schema as it changes.
///
/// Types: a declared INTEGER is `bigint`, except the typed columns a payload fills (`FieldTable`'s integer
/// columns that are not `names` ids), which SQLite lets hold reals too: `numeric` keeps both exactly. TEXT is
/// `text COLLATE "C"` (byte order, as SQLite compares), BLOB and undeclared columns (`records.digest`) are
/// `bytea`, REAL is `double precision`. Generated columns (`records.time`, `time_origin`) become plain columns
/// holding the values SQLite computed. Primary keys are kept, other indexes are made again without UNIQUE (text
/// PostgreSQL refuses is stored substituted, see `CopyEncoder`, so two values may meet), and no NOT NULL or
/// CHECK constraint is copied: the store is verified before it is pushed.
struct TableCopy: Sendable {
    enum ColumnType: Sendable {
        case bigint, numeric, doublePrecision, text, bytea
        /// `bytea` for a column SQLite declares no type for: an integer is stored as its 8 bytes, big-endian.
        case undeclared

        var sql: String {
            switch self {
            case .bigint: return "bigint"
            case .numeric: return "numeric"
            case .doublePrecision: return "double precision"
            case .text: return "text COLLATE \"C\""
            case .bytea, .undeclared: return "bytea"
            }
        }
    }

    struct Column: Sendable {
        let name: String
        let type: ColumnType
    }

    /// How the push finds the rows it has not copied yet.
    enum Scope: Sendable, Equatable {
        /// The `sources` table: the rows of the sources pushed.
        case sources
        /// Rows of a source (a `source_id` column); `recordRange` when the key is a record id, so that the
        /// source's first and last record id bound the scan.
        case perSource(key: String, recordRange: Bool)
        /// Rows with a larger integer key than any the team store holds (`names`, `record_kinds`...).
        case appendByKey(String)
        /// A small table copied whole whenever its content differs (`builtin_roles`, `required_permissions`).
        case whole
    }

    let name: String
    let columns: [Column]
    let primaryKey: [String]
    let indexes: [(name: String, columns: [String])]
    let scope: Scope

    /// `CREATE TABLE` and `CREATE INDEX` statements, in the session's schema.
    var createStatements: [String] {
        var definitions = columns.map { "\(Self.quoted($0.name)) \($0.type.sql)" }
        if !primaryKey.isEmpty { definitions.append("PRIMARY KEY (\(primaryKey.map(Self.quoted).joined(separator: ", ")))") }
        return ["CREATE TABLE \(Self.quoted(name)) (\n    \(definitions.joined(separator: ",\n    "))\n)"]
            + indexes.map { "CREATE INDEX \(Self.quoted($0.name)) ON \(Self.quoted(name)) (\($0.columns.map(Self.quoted).joined(separator: ", ")))" }
    }

    /// The column names, quoted, for SELECT and COPY lists.
    var columnList: String { columns.map { Self.quoted($0.name) }.joined(separator: ", ") }

    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

enum PostgresTables {
    /// Every table of the store (but SQLite's own), in creation order.
    static func describe(_ snapshot: SQLiteSnapshot) throws -> [TableCopy] {
        let names = try snapshot.rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid")
            .compactMap { $0.first ?? nil }
        return try names.map { try describe(table: $0, snapshot) }
    }

    static func describe(table: String, _ snapshot: SQLiteSnapshot) throws -> TableCopy {
        let quoted = TableCopy.quoted(table)
        var columns: [TableCopy.Column] = []
        var primaryKey: [(Int, String)] = []
        // cid, name, type, notnull, dflt_value, pk, hidden (1: a virtual table's hidden column, skipped).
        for row in try snapshot.rows("PRAGMA table_xinfo(\(quoted))") {
            guard let name = row[1], row[6] != "1" else { continue }
            columns.append(TableCopy.Column(name: name, type: columnType(table: table, column: name, declared: row[2] ?? "")))
            if let position = row[5].flatMap(Int.init), position > 0 { primaryKey.append((position, name)) }
        }
        var indexes: [(String, [String])] = []
        // seq, name, unique, origin (c: CREATE INDEX, u: UNIQUE constraint, pk), partial.
        for row in try snapshot.rows("PRAGMA index_list(\(quoted))") where row[3] != "pk" && row[4] == "0" {
            guard let index = row[1] else { continue }
            let indexColumns = try snapshot.rows("PRAGMA index_info(\(TableCopy.quoted(index)))").map { $0[2] }
            // An index on an expression has a NULL column name: PostgreSQL gets none for it.
            guard !indexColumns.contains(where: { $0 == nil }) else { continue }
            indexes.append((index.hasPrefix("sqlite_autoindex_") ? "\(table)_unique_\(indexes.count + 1)" : index, indexColumns.compactMap { $0 }))
        }
        let key = primaryKey.sorted { $0.0 < $1.0 }.map(\.1)
        let names = Set(columns.map(\.name))
        let scope: TableCopy.Scope
        if table == "sources" {
            scope = .sources
        } else if names.contains("source_id"), key.count == 1 {
            scope = .perSource(key: key[0], recordRange: table == "records" || key[0] == "record_id")
        } else if key.count == 1, columns.first(where: { $0.name == key[0] })?.type == .bigint {
            scope = .appendByKey(key[0])
        } else {
            scope = .whole
        }
        return TableCopy(name: table, columns: columns, primaryKey: key, indexes: indexes, scope: scope)
    }

    /// The PostgreSQL type of a column, by SQLite's affinity rules on its declared type.
    static func columnType(table: String, column: String, declared: String) -> TableCopy.ColumnType {
        let type = declared.uppercased()
        if type.contains("INT") {
            let payloadInteger = FieldTable.allCases.contains { fieldTable in
                fieldTable.tableName == table && fieldTable.columns.contains { $0.column == column && $0.type == .integer && !$0.interned }
            }
            return payloadInteger ? .numeric : .bigint
        }
        if type.contains("CHAR") || type.contains("CLOB") || type.contains("TEXT") { return .text }
        if type.isEmpty { return .undeclared }
        if type.contains("BLOB") { return .bytea }
        if type.contains("REAL") || type.contains("FLOA") || type.contains("DOUB") { return .doublePrecision }
        return .numeric
    }
}
