import Foundation
import GRDBSQLite

/// A read-only connection to an SQLite store holding one read transaction: every statement sees the store as
/// it was when the first one ran, whatever is ingested meanwhile.
///
/// The push copies from it with SQLite's C API (no row objects: the rows go straight into COPY data). It is used
/// by one task at a time, never concurrently (`@unchecked Sendable`).
final class SQLiteSnapshot: @unchecked Sendable {
    let path: String
    private var handle: OpaquePointer?

    init(path: String) throws {
        self.path = path
        var handle: OpaquePointer?
        var code = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
        if code != SQLITE_OK {
            // A store in a folder the user cannot write, with no writer at work: opened as immutable (as EvidenceStore does).
            sqlite3_close(handle)
            handle = nil
            var allowed = CharacterSet.urlPathAllowed
            allowed.remove(charactersIn: "?#%")
            let uri = "file:" + (path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path) + "?immutable=1"
            code = sqlite3_open_v2(uri, &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, nil)
        }
        guard code == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "error \(code)"
            sqlite3_close(handle)
            throw TeamStoreError.storeUnreadable(path: path, reason: message)
        }
        self.handle = handle
        sqlite3_busy_timeout(handle, 30_000)
        try execute("BEGIN")
        // The snapshot starts with the first read.
        _ = try rows("SELECT count(*) FROM sqlite_master")
    }

    deinit {
        if let handle {
            sqlite3_exec(handle, "COMMIT", nil, nil, nil)
            sqlite3_close(handle)
        }
    }

    func execute(_ sql: String) throws {
        guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else { throw error(sql) }
    }

    /// Every row of a statement, its columns as text (NULL as nil): for the store's description, not its records.
    func rows(_ sql: String, _ arguments: [Int64] = []) throws -> [[String?]] {
        var rows: [[String?]] = []
        try each(sql, arguments) { statement in
            rows.append((0..<sqlite3_column_count(statement)).map { index in
                sqlite3_column_text(statement, index).map { String(cString: $0) }
            })
        }
        return rows
    }

    /// Steps a statement with integer arguments, calling `body` with the statement at each row.
    func each(_ sql: String, _ arguments: [Int64] = [], _ body: (OpaquePointer) throws -> Void) throws {
        let cursor = try SQLiteCursor(self, sql, arguments)
        while try cursor.step() { try body(cursor.statement) }
    }

    var handleForCursor: OpaquePointer? { handle }

    func failure(_ sql: String) -> TeamStoreError { error(sql) }

    private func error(_ sql: String) -> TeamStoreError {
        .storeUnreadable(path: path, reason: "\(String(cString: sqlite3_errmsg(handle))) (in \(sql.prefix(80)))")
    }
}

/// A prepared statement of a snapshot, stepped by hand (the push awaits PostgreSQL between rows).
final class SQLiteCursor: @unchecked Sendable {
    let statement: OpaquePointer
    private let snapshot: SQLiteSnapshot

    init(_ snapshot: SQLiteSnapshot, _ sql: String, _ arguments: [Int64]) throws {
        self.snapshot = snapshot
        statement = try snapshot.prepare(sql)
        for (index, argument) in arguments.enumerated() { sqlite3_bind_int64(statement, Int32(index + 1), argument) }
    }

    deinit { sqlite3_finalize(statement) }

    /// Moves to the next row; false after the last.
    func step() throws -> Bool {
        let code = sqlite3_step(statement)
        if code == SQLITE_ROW { return true }
        if code == SQLITE_DONE { return false }
        throw snapshot.failure("stepping a statement")
    }
}

extension SQLiteSnapshot {
    func prepare(_ sql: String) throws -> OpaquePointer {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handleForCursor, sql, -1, &statement, nil) == SQLITE_OK, let statement else { throw failure(sql) }
        return statement
    }
}
