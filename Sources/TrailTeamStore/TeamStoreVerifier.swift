import TrailModel
import TrailStore

/// `mitrail verify` on an incident of a team store: every source's counts and record chain checked again, the
/// chain recomputed from the rows PostgreSQL holds (names joined, exact values put back where a stand-in is
/// stored), by the very walk that checks an SQLite store.
public enum TeamStoreVerifier {
    static let sourcesSQL = """
        SELECT id, path, sha256, parent_id, status, records_read, records_stored, records_rejected, records_duplicate,
               record_chain, chain_version, (SELECT count(*) FROM rejects j WHERE j.source_id = sources.id) AS reject_rows
        FROM sources ORDER BY id
        """

    public static func verify(_ reader: TeamStoreReader) throws -> [SourceVerification] {
        var verifications: [SourceVerification] = []
        var walks: [Int64: ChainWalk] = [:]
        try each(reader, sourcesSQL) { row in
            let id = row.integer("id") ?? 0
            var verification = SourceVerification(id: id, path: row.text("path") ?? "", sha256: row.text("sha256") ?? "",
                                                  parentID: row.integer("parent_id"), problems: [], unchained: false)
            let counts = SourceCounts(read: Int(row.integer("records_read") ?? 0), stored: Int(row.integer("records_stored") ?? 0),
                                      rejected: Int(row.integer("records_rejected") ?? 0), duplicate: Int(row.integer("records_duplicate") ?? 0))
            verification.problems = EvidenceStore.countProblems(counts, rejectRows: Int(row.integer("reject_rows") ?? 0))
            if row.text("status") != "complete" { verification.problems.append("not complete in the team store") }
            if let chainEnd = row.text("record_chain") {
                walks[id] = ChainWalk(version: Int(row.integer("chain_version") ?? 1), stored: counts.stored, chainEnd: chainEnd)
            } else {
                verification.unchained = true
            }
            verifications.append(verification)
        }
        let exact = try ExactValues.load(reader)
        let names = ChainNames()
        try each(reader, ChainColumns.namesSQL) { row in
            guard let id = row.integer("id") else { return }
            names.values[id] = exact.text(table: "names", row: id, column: "value") ?? row.text("value")
        }
        var orphans = 0
        var columns = ChainColumns([])
        try reader.runReadOnly(sql: ChainColumns.recordsSQL, arguments: [:], columns: { columns = ChainColumns($0) }) { cells in
            var row = TeamChainRow(cells: ChainCells(columns: columns, cells: cells, names: names))
            let sourceID = row.integer("source_id") ?? 0
            guard walks[sourceID] != nil else {
                orphans += 1
                return
            }
            if !exact.isEmpty { exact.restore(&row) }
            walks[sourceID]!.check(row)
        }
        SourceVerification.finish(&verifications, walks: walks, orphans: orphans, place: "the team store")
        return verifications
    }

    static func each(_ reader: TeamStoreReader, _ sql: String, _ body: (VerifiedRow) throws -> Void) throws {
        var columns = ColumnPositions([])
        try reader.runReadOnly(sql: sql, arguments: [:], columns: { columns = ColumnPositions($0) }) { cells in
            try body(VerifiedRow(columns: columns, cells: cells))
        }
    }
}

/// A row of a plain statement by column name (the sources, the exact values).
struct VerifiedRow {
    let columns: ColumnPositions
    let cells: [TabularValue]

    func value(_ column: String) -> TabularValue {
        columns[column].map { cells[$0] } ?? .null
    }

    func integer(_ column: String) -> Int64? {
        if case .integer(let value) = value(column) { return value }
        return nil
    }

    func text(_ column: String) -> String? {
        if case .text(let value) = value(column) { return value }
        return nil
    }
}

/// A record read back from the team store for the chain walk: its cells, with the digest's 8 bytes read as the
/// integer they stand for (records.digest is bytea; an 8-byte blob is an exact value and stays a blob).
struct TeamChainRow: ChainRow {
    var cells: ChainCells
    /// True when the digest was put back from exact_values.
    var exactDigest = false

    func chainValue(_ column: String) -> TabularValue {
        let value = cells.chainValue(column)
        if column == "digest", !exactDigest, case .blob(let bytes) = value, bytes.count == 8 {
            return .integer(bytes.reduce(0) { ($0 << 8) | Int64($1) })
        }
        return value
    }

    func typedValue(_ table: FieldTable, _ position: Int) -> TabularValue {
        cells.typedValue(table, position)
    }

    func integer(_ column: String) -> Int64? {
        if case .integer(let value) = chainValue(column) { return value }
        return nil
    }
}
