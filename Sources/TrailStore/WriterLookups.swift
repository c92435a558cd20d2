import GRDB
import GRDBSQLite

/// Ids of interned strings (`names`) and kinds (`record_kinds`), for the writer thread.
///
/// A bounded cache in front of the tables: a miss inserts the value (or finds the id another writer gave it)
/// in the batch's transaction. The cache is emptied when it fills, so memory stays bounded whatever the
/// number of distinct values.
struct InternedIDs {
    let insertSQL: String
    let selectSQL: String
    private var cache: [String: Int64] = [:]
    static let capacity = 1 << 17

    init(table: String, column: String) {
        insertSQL = "INSERT INTO \(table) (\(column)) VALUES (?) ON CONFLICT (\(column)) DO NOTHING"
        selectSQL = "SELECT id FROM \(table) WHERE \(column) = ?"
    }

    mutating func id(of value: String, _ db: Database) throws -> Int64 {
        if let known = cache[value] { return known }
        try db.cachedStatement(sql: insertSQL).execute(arguments: [value])
        let id: Int64
        if db.changesCount > 0 {
            id = db.lastInsertedRowID
        } else {
            guard let found = try Int64.fetchOne(db.cachedStatement(sql: selectSQL), arguments: [value]) else {
                throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "\(value) is neither new nor known")
            }
            id = found
        }
        if cache.count >= Self.capacity { cache.removeAll(keepingCapacity: true) }
        cache[value] = id
        return id
    }
}

/// Decides whether a record is a duplicate of one another source holds (writer thread only).
///
/// Within one source every record is stored, however often it repeats. A record is a duplicate when another
/// source holds more copies of it (same kind, time and text: same time and digest) than this source has had so
/// far: an overlapping copy of a log stores only what the first copy lacks. The store is asked only for times
/// another source covers; the copies counted as duplicates are remembered for a moving window of time
/// (`window`), bounded in number (`capacity`).
struct DuplicateFinder {
    /// Other sources' time spans, merged and sorted; records outside them cannot be duplicates.
    private let spans: [ClosedRange<Int64>]
    /// True when another source is being written right now: its records may lie anywhere.
    private let probeAlways: Bool
    let sourceID: Int64
    private var duplicatesSeen: [Key: Int] = [:]
    private var latest = Int64.min

    struct Key: Hashable {
        let time: Int64?
        let digest: Int64
    }

    static let window: Int64 = 10 * 60 * 1000
    static let capacity = 100_000
    static let probeSQL = "SELECT source_id FROM records WHERE time_ms IS ? AND digest = ?"

    init(_ db: Database, sourceID: Int64) throws {
        self.sourceID = sourceID
        var ranges: [ClosedRange<Int64>] = []
        var others = false
        for row in try Row.fetchAll(db, sql: StoreStatements.otherSourceSpans, arguments: [sourceID]) {
            let status: String = row["status"]
            if status != "complete" {
                // Another process writing a source now; this process's own unfinished sources (an archive whose
                // entries are being read) hold no records of their own.
                if !IngestingProcess(pid: row["ingest_pid"], host: row["ingest_host"]).isCurrent { others = true }
                continue
            }
            if let first: Int64 = row["first_time_ms"], let last: Int64 = row["last_time_ms"], first <= last { ranges.append(first...last) }
        }
        probeAlways = others
        spans = Self.merged(ranges)
    }

    static func merged(_ ranges: [ClosedRange<Int64>]) -> [ClosedRange<Int64>] {
        var merged: [ClosedRange<Int64>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, range.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    /// Whether the store must be asked about a record at this time.
    func mayBeDuplicate(at time: Int64?) -> Bool {
        guard let time else { return true }
        if probeAlways { return true }
        var low = 0, high = spans.count
        while low < high {
            let middle = (low + high) / 2
            if spans[middle].upperBound < time { low = middle + 1 } else { high = middle }
        }
        return low < spans.count && spans[low].contains(time)
    }

    /// True when another source holds more copies of the record than this source has had so far; the copy
    /// is then remembered as one this source has had.
    mutating func isDuplicate(time: Int64?, digest: Int64, _ db: Database) throws -> Bool {
        guard mayBeDuplicate(at: time) else { return false }
        var copies: [Int64: Int] = [:]
        let statement = try db.cachedStatement(sql: Self.probeSQL)
        let cursor = try Int64.fetchCursor(statement, arguments: [time, digest])
        while let source = try cursor.next() { copies[source, default: 0] += 1 }
        guard !copies.isEmpty else { return false }
        let key = Key(time: time, digest: digest)
        let own = copies[sourceID, default: 0] + duplicatesSeen[key, default: 0]
        guard copies.contains(where: { $0.key != sourceID && $0.value > own }) else { return false }
        remember(key)
        return true
    }

    private mutating func remember(_ key: Key) {
        if let time = key.time, time > latest {
            latest = time
            if duplicatesSeen.count >= Self.capacity / 2 {
                duplicatesSeen = duplicatesSeen.filter { ($0.key.time ?? latest) >= latest - Self.window }
            }
        }
        if duplicatesSeen.count >= Self.capacity { duplicatesSeen.removeAll(keepingCapacity: true) }
        duplicatesSeen[key, default: 0] += 1
    }
}
