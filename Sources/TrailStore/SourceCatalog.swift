import GRDB
import TrailModel

/// One ingested source as `mitrail sources` lists it.
public struct SourceSummary: Sendable, Equatable {
    public var id: Int64
    public var path: String
    public var format: String
    public var sha256: String
    public var size: Int64
    public var observedAt: String?
    public var observedAtOrigin: String
    public var ingestedAt: String
    public var toolVersion: String
    public var status: String
    public var counts: SourceCounts
    public var parentID: Int64?
    /// The command that produced the file, from a collector manifest (see `SourceCommand`).
    public var command: [String]?
}

extension EvidenceStore {
    /// The complete, top-level source already holding content with this SHA-256, if any.
    public func completeSource(sha256: String) throws -> (id: Int64, path: String, format: String)? {
        try queue.read { db in
            try Row.fetchOne(db, sql: StoreStatements.completeSourceBySHA256, arguments: [sha256]).map {
                (id: $0[0], path: $0[1], format: $0[2])
            }
        }
    }
}

extension EvidenceStore {
    /// Removes a source with its archive entries, their records, typed fields, failures and rejects (an abandoned ingest).
    /// Records carry no foreign key: each source's rows are found between its first and last record id.
    static func deleteSource(_ id: Int64, _ db: Database) throws {
        for row in try Row.fetchAll(db, sql: StoreStatements.sourceWithEntries, arguments: [id]) {
            let sourceID: Int64 = row[0]
            guard let first: Int64 = row[1], let last: Int64 = row[2] else { continue }
            for statement in StoreStatements.deleteSourceRows {
                try db.execute(sql: statement, arguments: [first, last, sourceID])
            }
        }
        try db.execute(sql: StoreStatements.deleteSource, arguments: [id])
    }
}
