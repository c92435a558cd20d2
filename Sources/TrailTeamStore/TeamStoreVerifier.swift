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

    /// The records with what their chain links cover, as from SQLite, plus each interned column's `names` id.
    static let recordsSQL = ChainWalk.recordsSQL(withNameIDs: true)

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
        var orphans = 0
        try each(reader, recordsSQL) { row in
            let sourceID = row.integer("source_id") ?? 0
            guard walks[sourceID] != nil else {
                orphans += 1
                return
            }
            walks[sourceID]!.check(exact.isEmpty ? row : exact.restored(row))
        }
        SourceVerification.finish(&verifications, walks: walks, orphans: orphans, place: "the team store")
        return verifications
    }

    static func each(_ reader: TeamStoreReader, _ sql: String, _ body: (VerifiedRow) throws -> Void) throws {
        var columns = VerifiedRow.Columns([])
        try reader.runReadOnly(sql: sql, arguments: [:], columns: { columns = VerifiedRow.Columns($0) }) { cells in
            try body(VerifiedRow(columns: columns, cells: cells))
        }
    }
}

/// A row read back for `verify`: cells by column name, the digest's 8 bytes as the integer they stand for.
struct VerifiedRow: ChainRow {
    typealias Columns = ColumnPositions

    let columns: Columns
    var cells: [TabularValue]
    /// True when the digest was put back from exact_values (a blob, whatever its length).
    var exactDigest = false

    func chainValue(_ column: String) -> TabularValue {
        guard let index = columns.positions[column] else { return .null }
        // records.digest is bytea: an integer digest is its 8 bytes, big-endian (an 8-byte blob is an exact value).
        if column == "digest", !exactDigest, case .blob(let bytes) = cells[index], bytes.count == 8 {
            return .integer(bytes.reduce(0) { ($0 << 8) | Int64($1) })
        }
        return cells[index]
    }

    func integer(_ column: String) -> Int64? {
        if case .integer(let value) = chainValue(column) { return value }
        return nil
    }

    func text(_ column: String) -> String? {
        if case .text(let value) = chainValue(column) { return value }
        return nil
    }
}
