import Crypto
import Foundation
import NIOCore
import PostgresNIO

/// Streams rows of the SQLite snapshot into the incident's tables with `COPY ... FROM STDIN`, 1 MiB of COPY data
/// at a time, in the transaction the push has open.
final class TableCopier: @unchecked Sendable {
    static let chunkBytes = 1 << 20

    let snapshot: SQLiteSnapshot
    let connection: TeamStoreConnection
    let progress: UncheckedTransfer<(PushProgress) -> Void>
    let recordsTotal: Int
    private(set) var added: [(table: String, rows: Int)] = []
    private(set) var exactValuesCopied = 0
    private var pendingExactValues: [ExactValue] = []
    private var recordsDone = 0
    private var lastProgress = Date.distantPast

    init(snapshot: SQLiteSnapshot, connection: TeamStoreConnection, progress: @escaping (PushProgress) -> Void, recordsTotal: Int) {
        self.snapshot = snapshot
        self.connection = connection
        self.progress = UncheckedTransfer(progress)
        self.recordsTotal = recordsTotal
    }

    /// The rows of these sources (`key`: the table's integer key; `recordRange`: bounded by each source's record ids).
    func copyRows(_ table: TableCopy, of sources: [StoreSource], key: String, recordRange: Bool) throws {
        let select = "SELECT \(table.columnList) FROM \(TableCopy.quoted(table.name))"
        let statements: [(String, [Int64])] = sources.compactMap { source in
            if table.scope == .sources { return (select + " WHERE id = ?1", [source.id]) }
            guard recordRange else { return (select + " WHERE source_id = ?1 ORDER BY \(TableCopy.quoted(key))", [source.id]) }
            guard let first = source.firstRecordID, let last = source.lastRecordID else { return nil }
            return (select + " WHERE \(TableCopy.quoted(key)) BETWEEN ?1 AND ?2 AND source_id = ?3 ORDER BY \(TableCopy.quoted(key))",
                    [first, last, source.id])
        }
        try copy(table, statements)
    }

    /// Rows whose key is above the largest the incident holds (names, kinds, migrations: ids only grow).
    func appendNewRows(_ table: TableCopy, key: String) throws {
        let largest = try connection.strings("SELECT max(\(TableCopy.quoted(key)))::text FROM \(TableCopy.quoted(table.name))").first
            .flatMap { $0.flatMap { Int64($0) } } ?? Int64.min
        try copy(table, [("SELECT \(table.columnList) FROM \(TableCopy.quoted(table.name)) WHERE \(TableCopy.quoted(key)) > ?1 ORDER BY \(TableCopy.quoted(key))", [largest])])
    }

    /// A small table copied whole when its content differs from what was pushed last (its SHA-256 in team_schema).
    func replaceIfChanged(_ table: TableCopy) throws {
        let order = table.primaryKey.isEmpty ? "rowid" : table.primaryKey.map(TableCopy.quoted).joined(separator: ", ")
        var encoder = CopyEncoder()
        try snapshot.each("SELECT \(table.columnList) FROM \(TableCopy.quoted(table.name)) ORDER BY \(order)") { statement in
            try encoder.appendRow(statement, table: table, keyIndex: nil)
        }
        let digest = SHA256.hash(data: Data(encoder.buffer.readableBytesView)).map { String(format: "%02x", $0) }.joined()
        let key = "table:" + table.name
        guard try connection.schemaValue(key) != digest else { return }
        try connection.execute("DELETE FROM \(TableCopy.quoted(table.name))")
        let data = encoder.buffer
        try connection.run { connection, logger in
            try await connection.copyFrom(table: table.name, columns: table.columns.map(\.name), logger: logger) { writer in
                try await writer.write(data)
            }
        }
        try connection.setSchemaValue(key, digest)
        note(table.name, rows: encoder.rows)
    }

    /// The exact values gathered by the copies of this batch.
    func copyExactValues() throws {
        guard !pendingExactValues.isEmpty else { return }
        let data = CopyEncoder.encode(pendingExactValues)
        try connection.run { connection, logger in
            try await connection.copyFrom(table: "exact_values", columns: ["table_name", "row_id", "column_name", "sqlite_type", "value"],
                                          logger: logger) { writer in
                try await writer.write(data)
            }
        }
        exactValuesCopied += pendingExactValues.count
        note("exact_values", rows: pendingExactValues.count)
        pendingExactValues = []
    }

    /// One COPY fed by the statements in turn.
    func copy(_ table: TableCopy, _ statements: [(String, [Int64])]) throws {
        guard !statements.isEmpty else { return }
        let keyIndex = table.primaryKey.count == 1 ? table.columns.firstIndex { $0.name == table.primaryKey[0] } : nil
        let snapshot = self.snapshot
        let copier = UncheckedTransfer(self)
        let rows = try connection.run { connection, logger -> (Int, [ExactValue]) in
            var encoder = CopyEncoder()
            var rows = 0
            try await connection.copyFrom(table: table.name, columns: table.columns.map(\.name), logger: logger) { writer in
                for (sql, arguments) in statements {
                    let cursor = try SQLiteCursor(snapshot, sql, arguments)
                    while try cursor.step() {
                        try encoder.appendRow(cursor.statement, table: table, keyIndex: keyIndex)
                        if encoder.buffer.readableBytes >= Self.chunkBytes {
                            rows += encoder.rows
                            if table.name == "records" { copier.value.advance(table.name, records: encoder.rows) }
                            encoder.rows = 0
                            try await writer.write(encoder.buffer)
                            encoder.buffer.clear()
                        }
                    }
                }
                rows += encoder.rows
                if table.name == "records" { copier.value.advance(table.name, records: encoder.rows) }
                if encoder.buffer.readableBytes > 0 { try await writer.write(encoder.buffer) }
            }
            return (rows, encoder.exactValues)
        }
        pendingExactValues += rows.1
        note(table.name, rows: rows.0)
    }

    private func note(_ table: String, rows: Int) {
        guard rows > 0 else { return }
        if let index = added.firstIndex(where: { $0.table == table }) {
            added[index].rows += rows
        } else {
            added.append((table, rows))
        }
    }

    /// Reports progress at most a few times a second.
    private func advance(_ table: String, records: Int) {
        recordsDone += records
        let now = Date()
        guard now.timeIntervalSince(lastProgress) >= 0.25 || recordsDone == recordsTotal else { return }
        lastProgress = now
        progress.value(PushProgress(table: table, rows: recordsDone, recordsDone: recordsDone, recordsTotal: recordsTotal))
    }
}
