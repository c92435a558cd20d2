import GRDB
import GRDBSQLite
import TrailModel

extension EvidenceStore {
    /// Runs one SQL statement that must only read, streaming its rows.
    ///
    /// Statements that would write are refused before they run (and the
    /// connection of a read-only store could not write anyway). Arguments
    /// are bound by name (`:name`), never pasted into the SQL.
    public func runReadOnly(
        sql: String,
        arguments: [String: String?] = [:],
        columns: ([String]) throws -> Void,
        row: ([TabularValue]) throws -> Void
    ) throws {
        try queue.inDatabase { db in
            let statement = try Self.prepare(sql, in: db)
            guard statement.isReadonly else { throw StoreError.writeRefused }
            var values: [String: (any DatabaseValueConvertible)?] = [:]
            // updateValue keeps a nil (an optional parameter left out) as NULL instead of removing it.
            for (name, value) in arguments { values.updateValue(value, forKey: name) }
            do {
                try statement.setArguments(StatementArguments(values))
            } catch let error as DatabaseError {
                throw StoreError.invalidQuery(reason: error.message ?? "\(error.resultCode)")
            }
            try columns(statement.columnNames)
            try Self.step(statement, in: db, row: row)
        }
    }

    /// Steps a statement, each row's cells read straight from it: explain reads a million rows this way, and
    /// building a GRDB row and its database values for each was a seventh of its time. (GRDB's text values also
    /// end at a NUL byte; these keep the whole text.)
    static func step(_ statement: Statement, in db: Database, row: ([TabularValue]) throws -> Void) throws {
        let handle = statement.sqliteStatement
        let count = sqlite3_column_count(handle)
        var rowValues: [TabularValue] = []
        rowValues.reserveCapacity(Int(count))
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                                    sql: statement.sql)
            }
            rowValues.removeAll(keepingCapacity: true)
            for index in 0..<count { rowValues.append(TabularValue(column: index, of: handle)) }
            try row(rowValues)
        }
    }

    /// One statement, compiled; SQLite's complaint becomes an `invalidQuery` error.
    static func prepare(_ sql: String, in db: Database) throws -> Statement {
        do {
            return try db.makeStatement(sql: sql)
        } catch let error as DatabaseError {
            throw StoreError.invalidQuery(reason: error.message ?? "\(error.resultCode)")
        }
    }
}

extension TabularValue {
    /// The value of a column of the statement's current row.
    init(column index: Int32, of handle: OpaquePointer?) {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER: self = .integer(sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT: self = .real(sqlite3_column_double(handle, index))
        case SQLITE_TEXT:
            let bytes = sqlite3_column_text(handle, index)
            let length = Int(sqlite3_column_bytes(handle, index))
            self = .text(bytes.map { String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self) } ?? "")
        case SQLITE_BLOB:
            let length = Int(sqlite3_column_bytes(handle, index))
            let bytes = sqlite3_column_blob(handle, index)
            self = .blob(bytes.map { Array(UnsafeRawBufferPointer(start: $0, count: length)) } ?? [])
        default: self = .null
        }
    }
}
