import GRDB
import TrailModel

/// What `verify` found in the store about one source: its counts and its record chain.
public struct SourceVerification: Sendable {
    public var id: Int64
    public var path: String
    public var sha256: String
    public var parentID: Int64?
    /// Every disagreement between the source's rows and what mitrail wrote (empty: as ingested).
    public var problems: [String]
    /// True for a complete source ingested before record chains existed: its records cannot be checked.
    public var unchained: Bool
    /// True while a running process is still ingesting the source: there is nothing to check yet.
    public var inProgress = false

    public init(id: Int64, path: String, sha256: String, parentID: Int64?, problems: [String], unchained: Bool, inProgress: Bool = false) {
        self.id = id
        self.path = path
        self.sha256 = sha256
        self.parentID = parentID
        self.problems = problems
        self.unchained = unchained
        self.inProgress = inProgress
    }

    /// Adds each source's chain problems (at most `problemsNamedPerSource` named), and the records of no source.
    public static func finish(_ verifications: inout [SourceVerification], walks: [Int64: ChainWalk], orphans: Int, place: String) {
        for index in verifications.indices {
            guard let walk = walks[verifications[index].id] else { continue }
            verifications[index].problems += walk.problems
            verifications[index].trimProblems()
        }
        if orphans > 0, !verifications.isEmpty {
            verifications[0].problems.append("\(orphans) record\(orphans == 1 ? "" : "s") of no source in \(place)")
        }
    }

    /// At most `EvidenceStore.problemsNamedPerSource` problems named, the rest counted.
    public mutating func trimProblems() {
        guard problems.count > EvidenceStore.problemsNamedPerSource else { return }
        let more = problems.count - EvidenceStore.problemsNamedPerSource
        problems = Array(problems.prefix(EvidenceStore.problemsNamedPerSource)) + ["and \(more) more"]
    }
}

extension EvidenceStore {
    /// At most this many problems are named per source; the rest are counted.
    public static let problemsNamedPerSource = 20

    /// SQLite's own integrity check: `["ok"]` when the file is sound.
    public func integrityCheck() throws -> [String] {
        try queue.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
    }

    /// Checks every source's rows against what mitrail wrote: its counts (read = stored + rejected +
    /// duplicate, and the rows it holds) and its record chain, which names each record changed, added
    /// or deleted since. One pass over the records in id order, whatever the number of sources. Reads only.
    public func verifySources() throws -> [SourceVerification] {
        try queue.read { db in
            var verifications: [SourceVerification] = []
            var walks: [Int64: ChainWalk] = [:]
            for row in try Row.fetchAll(db, sql: StoreStatements.sourcesToVerify) {
                var verification = SourceVerification(id: row["id"], path: row["path"], sha256: row["sha256"], parentID: row["parent_id"],
                                                      problems: [], unchained: false)
                let status: String = row["status"]
                if status != "complete" {
                    let process = IngestingProcess(pid: row["ingest_pid"], host: row["ingest_host"])
                    if process.isGone {
                        verification.problems = ["incomplete: its ingest was interrupted (ingest the file again)"]
                    } else {
                        verification.inProgress = true
                    }
                } else {
                    let counts = SourceCounts(read: row["records_read"], stored: row["records_stored"],
                                              rejected: row["records_rejected"], duplicate: row["records_duplicate"])
                    verification.problems = Self.countProblems(counts, rejectRows: row["reject_rows"])
                    if let chainEnd: String = row["record_chain"] {
                        walks[verification.id] = ChainWalk(version: row["chain_version"] ?? 1, stored: counts.stored, chainEnd: chainEnd)
                    } else {
                        verification.unchained = true
                    }
                }
                verifications.append(verification)
            }
            var orphans = 0
            // Cells straight from the statement: a GRDB row's text would end at a NUL byte the record holds.
            let names = ChainNames()
            try Self.step(try db.makeStatement(sql: StoreStatements.namesToVerify), in: db) { cells in
                if case .integer(let id) = cells[0], case .text(let value) = cells[1] { names.values[id] = value }
            }
            let statement = try db.makeStatement(sql: StoreStatements.recordsToVerify)
            let columns = ChainColumns(statement.columnNames)
            try Self.step(statement, in: db) { cells in
                let row = ChainCells(columns: columns, cells: cells, names: names)
                let sourceID = ChainWalk.integer(row.chainValue("source_id")) ?? 0
                guard walks[sourceID] != nil else {
                    if !verifications.contains(where: { $0.id == sourceID }) { orphans += 1 }
                    return
                }
                walks[sourceID]!.check(row)
            }
            SourceVerification.finish(&verifications, walks: walks, orphans: orphans, place: "the store")
            return verifications
        }
    }

    /// The rows of `failure_facts` (the failures written at ingest) that disagree with what `failures_by_fields`
    /// computes from the records' typed fields, counted per source: a row missing, added or changed since ingest.
    /// Added to each source's problems. Reads only.
    public func checkFailureFacts(_ verifications: inout [SourceVerification]) throws {
        let counts = try queue.read { db in
            try Row.fetchAll(db, sql: StoreStatements.failureFactsDisagreeing).reduce(into: [Int64: Int]()) { counts, row in
                counts[row["source_id"] ?? 0] = row["rows"]
            }
        }
        for index in verifications.indices {
            guard let count = counts[verifications[index].id], !verifications[index].inProgress else { continue }
            verifications[index].problems.append("\(count) row\(count == 1 ? "" : "s") of failure_facts disagree\(count == 1 ? "s" : "") with its records")
            verifications[index].trimProblems()
        }
        let known = Set(verifications.map(\.id))
        let orphans = counts.filter { !known.contains($0.key) }.values.reduce(0, +)
        if orphans > 0, !verifications.isEmpty {
            verifications[0].problems.append("\(orphans) row\(orphans == 1 ? "" : "s") of failure_facts of no source")
        }
    }

    public static func countProblems(_ counts: SourceCounts, rejectRows: Int) -> [String] {
        var problems: [String] = []
        if counts.read != counts.stored + counts.rejected + counts.duplicate {
            problems.append("its counts do not add up: read \(counts.read), stored \(counts.stored), rejected \(counts.rejected), duplicate \(counts.duplicate)")
        }
        if rejectRows != counts.rejected {
            problems.append("\(rejectRows) reject rows where \(counts.rejected) were rejected")
        }
        return problems
    }

    /// A column as text whatever it holds now (someone may have stored another type), nil for NULL.
    static func text(_ value: TabularValue) -> String? {
        switch value {
        case .null: return nil
        case .text(let text): return text
        case .integer(let integer): return "\u{0}integer \(integer)"
        case .real(let real): return "\u{0}real \(real)"
        case .blob(let bytes): return "\u{0}blob " + String(decoding: bytes, as: UTF8.self)
        }
    }

    static func bytes(_ value: TabularValue) -> [UInt8]? {
        switch value {
        case .null: return nil
        case .blob(let bytes): return bytes
        default: return []
        }
    }
}
