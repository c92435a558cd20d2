import GRDB

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
}

extension EvidenceStore {
    /// At most this many problems are named per source; the rest are counted.
    static let problemsNamedPerSource = 20

    /// SQLite's own integrity check: `["ok"]` when the file is sound.
    public func integrityCheck() throws -> [String] {
        try queue.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
    }

    /// Checks every source's rows against what mitrail wrote: its counts (read = stored + rejected +
    /// duplicate, and the rows it holds) and its record chain, which names each record changed, added
    /// or deleted since. Reads only.
    public func verifySources() throws -> [SourceVerification] {
        try queue.read { db in
            let hasChainVersion = try db.columns(in: "sources").contains { $0.name == "chain_version" }
            return try Row.fetchAll(db, sql: StoreStatements.sourcesToVerify(chainVersion: hasChainVersion ? "chain_version" : "NULL")).map { row in
                var verification = SourceVerification(id: row["id"], path: row["path"], sha256: row["sha256"], parentID: row["parent_id"],
                                                      problems: [], unchained: false)
                let status: String = row["status"]
                guard status == "complete" else {
                    let process = IngestingProcess(pid: row["ingest_pid"], host: row["ingest_host"])
                    if process.isGone {
                        verification.problems = ["incomplete: its ingest was interrupted (ingest the file again)"]
                    } else {
                        verification.inProgress = true
                    }
                    return verification
                }
                let counts = SourceCounts(read: row["records_read"], stored: row["records_stored"],
                                          rejected: row["records_rejected"], duplicate: row["records_duplicate"])
                verification.problems = Self.countProblems(counts, rejectRows: row["reject_rows"])
                if let chainEnd: String = row["record_chain"] {
                    verification.problems += try Self.chainProblems(db, sourceID: verification.id, counts: counts, chainEnd: chainEnd,
                                                                    version: row["chain_version"] ?? 1)
                } else {
                    verification.unchained = true
                }
                return verification
            }
        }
    }

    static func countProblems(_ counts: SourceCounts, rejectRows: Int) -> [String] {
        var problems: [String] = []
        if counts.read != counts.stored + counts.rejected + counts.duplicate {
            problems.append("its counts do not add up: read \(counts.read), stored \(counts.stored), rejected \(counts.rejected), duplicate \(counts.duplicate)")
        }
        if rejectRows != counts.rejected {
            problems.append("\(rejectRows) reject rows where \(counts.rejected) were rejected")
        }
        return problems
    }

    /// Walks the source's records in id order, checking each stored link against the one before it.
    static func chainProblems(_ db: Database, sourceID: Int64, counts: SourceCounts, chainEnd: String, version: Int) throws -> [String] {
        let chained = try Int.fetchOne(db, sql: StoreStatements.chainedRecordCount, arguments: [sourceID]) ?? 0
        let deleted = counts.stored - chained
        var problems: [String] = []
        var changed = false
        var previous = RecordChain.start
        let cursor = try Row.fetchCursor(db, sql: StoreStatements.recordsInChainOrder, arguments: [sourceID])
        while let row = try cursor.next() {
            let id: Int64 = row["id"]
            guard let stored = Self.bytes(row["chain"]) else {
                problems.append("record #\(id) was added (it has no link in the chain)")
                continue
            }
            let line: DatabaseValue = row["line"]
            let expected = RecordChain.link(
                after: previous, kind: Self.text(row["kind"]) ?? "", line: Int64.fromDatabaseValue(line) ?? (line.isNull ? nil : -1),
                pointer: Self.text(row["pointer"]), time: Self.text(row["time"]), timeOrigin: Self.text(row["time_origin"]) ?? "",
                fields: Self.text(row["fields"]) ?? "", raw: Self.text(row["raw"]) ?? "", digest: Self.bytes(row["digest"]) ?? [],
                version: version)
            if expected != stored {
                changed = true
                problems.append(deleted > 0 ? "record #\(id) was changed, or a record before it deleted" : "record #\(id) was changed")
            }
            previous = stored
        }
        if deleted > 0 { problems.append("\(deleted) record\(deleted == 1 ? "" : "s") deleted") }
        if deleted < 0 { problems.append("\(-deleted) record\(deleted == -1 ? "" : "s") more than mitrail stored") }
        if deleted == 0 && !changed && RecordChain.hex(previous) != chainEnd {
            problems.append("the chain does not end where mitrail ended it (the source row was changed)")
        }
        if problems.count > problemsNamedPerSource {
            let more = problems.count - problemsNamedPerSource
            problems = Array(problems.prefix(problemsNamedPerSource)) + ["and \(more) more"]
        }
        return problems
    }

    /// A column as text whatever it holds now (someone may have stored another type), nil for NULL.
    static func text(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .null: return nil
        case .string(let text): return text
        case .int64(let integer): return "\u{0}integer \(integer)"
        case .double(let real): return "\u{0}real \(real)"
        case .blob(let data): return "\u{0}blob " + String(decoding: data, as: UTF8.self)
        }
    }

    static func bytes(_ value: DatabaseValue) -> [UInt8]? {
        switch value.storage {
        case .null: return nil
        case .blob(let data): return Array(data)
        default: return []
        }
    }
}
