import GRDB
import GRDBSQLite
import TrailModel

/// What the writer thread keeps between batches: the chain, the counts, the lookups, and where the source's
/// rows lie.
struct WriterState {
    let sourceID: Int64
    var chain = RecordChain()
    var counts = SourceCounts()
    var duplicates: DuplicateFinder
    var kinds = InternedIDs(table: "record_kinds", column: "kind")
    var names = InternedIDs(table: "names", column: "value")
    var firstRecordID: Int64?
    var lastRecordID: Int64?
    /// The earliest and latest time of the records stored.
    var timeSpan: ClosedRange<Int64>?

    init(sourceID: Int64, duplicates: DuplicateFinder) {
        self.sourceID = sourceID
        self.duplicates = duplicates
    }

    /// One batch in the open transaction.
    mutating func write(_ batch: SourceWriter.Batch, _ db: Database) throws {
        let lastBefore = lastRecordID
        try insertRecords(batch.records, db)
        try insertRejects(batch.rejects, db)
        if let lastRecordID, lastRecordID != lastBefore {
            try db.execute(sql: StoreStatements.noteRecordRange, arguments: [firstRecordID, lastRecordID, sourceID])
            // The batch's failures, from the typed fields just written: its records lie after the previous
            // batch's last one (or from the source's first, for its first batch).
            try db.cachedStatement(sql: StoreStatements.insertFailureFacts)
                .execute(arguments: [lastBefore.map { $0 + 1 } ?? firstRecordID, lastRecordID, sourceID])
        }
    }

    private mutating func insertRecords(_ records: [StorableRecord], _ db: Database) throws {
        let statement = try db.cachedStatement(sql: StoreStatements.insertRecord)
        let handle = statement.sqliteStatement
        let typedStatements = try FieldTable.allCases.map { try db.cachedStatement(sql: StoreStatements.insertTypedFields($0)) }
        for record in records {
            counts.read += 1
            if try duplicates.isDuplicate(time: record.timeMs, digest: record.digest, db) {
                counts.duplicate += 1
                continue
            }
            let link = chain.candidate(for: record)
            let kindID = try kinds.id(of: record.kind, db)
            sqlite3_reset(handle)
            sqlite3_bind_int64(handle, 1, sourceID)
            sqlite3_bind_int64(handle, 2, kindID)
            bindInteger(handle, 3, record.line)
            bindText(handle, 4, record.pointer)
            bindInteger(handle, 5, record.timeMs)
            sqlite3_bind_int64(handle, 6, record.timeOrigin.storeCode)
            bindText(handle, 7, record.remainder)
            sqlite3_bind_int64(handle, 9, record.digest)
            bindBlob(handle, 10, link)
            // The raw text is bound without a copy: SQLite reads it during the step, inside this closure.
            let code = withText(record.raw) { raw in
                bindStatic(handle, 8, raw)
                return sqlite3_step(handle)
            }
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            guard code == SQLITE_DONE else { throw Self.error(code, db) }
            let recordID = db.lastInsertedRowID
            try insertTyped(record, recordID: recordID, kindID: kindID, statement: typedStatements[record.table.rawValue], db)
            chain.take(link)
            counts.stored += 1
            firstRecordID = firstRecordID ?? recordID
            lastRecordID = recordID
            if let time = record.timeMs {
                timeSpan = timeSpan.map { min($0.lowerBound, time)...max($0.upperBound, time) } ?? time...time
            }
        }
    }

    /// The record's typed fields, names interned: `record_id, source_id, [kind_id,] line, time_ms, columns...`.
    private mutating func insertTyped(_ record: StorableRecord, recordID: Int64, kindID: Int64, statement: Statement, _ db: Database) throws {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        sqlite3_bind_int64(handle, 1, recordID)
        sqlite3_bind_int64(handle, 2, sourceID)
        var index: Int32 = 3
        if record.table == .record {
            sqlite3_bind_int64(handle, index, kindID)
            index += 1
        }
        bindInteger(handle, index, record.line)
        bindInteger(handle, index + 1, record.timeMs)
        index += 2
        for (column, value) in zip(record.table.columns, record.typed) {
            defer { index += 1 }
            guard let value else { continue }
            if column.interned {
                if let text = StorableRecord.internedText(value) { sqlite3_bind_int64(handle, index, try names.id(of: text, db)) }
                continue
            }
            switch value.storedValue {
            case .null: break
            case .integer(let integer): sqlite3_bind_int64(handle, index, integer)
            case .real(let real): sqlite3_bind_double(handle, index, real)
            case .text(let text): bindText(handle, index, text)
            }
        }
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        guard code == SQLITE_DONE else { throw Self.error(code, db) }
    }

    private mutating func insertRejects(_ rejects: [RejectedRecord], _ db: Database) throws {
        let statement = try db.cachedStatement(sql: StoreStatements.insertReject)
        for reject in rejects {
            try statement.execute(arguments: [
                sourceID, reject.position.line, reject.position.pointer, reject.reason, reject.excerpt,
            ])
            counts.read += 1
            counts.rejected += 1
        }
    }

    static func error(_ code: Int32, _ db: Database) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
    }
}

extension TimeOrigin {
    /// The code `records.time_origin_code` stores (migration 0010).
    public var storeCode: Int64 {
        switch self {
        case .record: return 0
        case .recordAssumedUTC: return 1
        case .neighbour: return 2
        case .snapshot: return 3
        case .none: return 4
        }
    }

    public init(storeCode: Int64) {
        switch storeCode {
        case 0: self = .record
        case 1: self = .recordAssumedUTC
        case 2: self = .neighbour
        case 3: self = .snapshot
        default: self = .none
        }
    }
}
