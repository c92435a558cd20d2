import GRDB
import TrailModel

extension EvidenceStore {
    /// Runs one SQL statement that must only read, streaming its rows.
    ///
    /// Statements that would write are refused before they run (and the
    /// connection of a read-only store could not write anyway). Arguments
    /// are bound by name (`:name`), never pasted into the SQL.
    public func runReadOnly(
        sql: String,
        arguments: [String: String] = [:],
        columns: ([String]) throws -> Void,
        row: ([TabularValue]) throws -> Void
    ) throws {
        try queue.inDatabase { db in
            let statement: Statement
            do {
                statement = try db.makeStatement(sql: sql)
            } catch let error as DatabaseError {
                throw StoreError.invalidQuery(reason: error.message ?? "\(error.resultCode)")
            }
            guard statement.isReadonly else { throw StoreError.writeRefused }
            var values: [String: (any DatabaseValueConvertible)?] = [:]
            for (name, value) in arguments { values[name] = value }
            do {
                try statement.setArguments(StatementArguments(values))
            } catch let error as DatabaseError {
                throw StoreError.invalidQuery(reason: error.message ?? "\(error.resultCode)")
            }
            try columns(statement.columnNames)
            let cursor = try Row.fetchCursor(statement)
            while let next = try cursor.next() {
                try row(next.databaseValues.map(TabularValue.init))
            }
        }
    }
}

extension TabularValue {
    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let integer): self = .integer(integer)
        case .double(let real): self = .real(real)
        case .string(let text): self = .text(text)
        case .blob(let data): self = .blob(Array(data))
        }
    }
}
