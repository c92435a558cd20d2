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
            let cursor = try Row.fetchCursor(statement)
            while let next = try cursor.next() {
                try row(next.databaseValues.map(TabularValue.init))
            }
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
