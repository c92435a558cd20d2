import Foundation
import GRDB

/// What `export` wrote, as checked by opening the copy.
public struct ExportSummary: Sendable {
    /// Where the copy is.
    public var path: String
    /// Its size in bytes.
    public var size: Int64
    public var schemaVersion: Int
    public var sources: Int
    public var records: Int
    public var rejects: Int
    /// Sources whose rows disagree with what mitrail wrote, in the copy as in the store (`mitrail verify` says so too).
    public var sourcesWithProblems: [SourceVerification]
    /// Sources a running ingest was still writing when the copy was taken: incomplete in the copy.
    public var sourcesInProgress: [SourceVerification]
    /// Sources whose records the copy cannot check (ingested before record chains existed).
    public var unchainedSources: Int
}

/// How many rows one source has in `records` and `rejects`.
struct SourceRowCounts: Equatable {
    var records: Int
    var rejects: Int
}

extension EvidenceStore {
    /// Writes a self-contained single-file copy of the store to `target` (`VACUUM INTO`: every change, none of
    /// the -wal file, free pages left out, rollback journal mode so that any SQLite opens it read-only), then
    /// opens the copy and checks it: SQLite's integrity check, the record and reject counts of each source
    /// against the store, and each source's record chain. The copy is written beside `target` and moved there
    /// only once it passed, readable by its owner only. An existing `target` is refused unless `replacing`.
    public func export(to target: String, replacing: Bool) throws -> ExportSummary {
        try Self.checkExportTarget(target, store: path, replacing: replacing)
        let targetURL = URL(fileURLWithPath: target)
        let temporary = targetURL.deletingLastPathComponent()
            .appendingPathComponent(".\(targetURL.lastPathComponent).mitrail-export-\(getpid())-\(UUID().uuidString.prefix(8))").path
        try Self.createOwnerOnlyFile(at: temporary)
        defer { unlink(temporary) }
        do {
            try queue.inDatabase { try $0.execute(sql: StoreStatements.vacuumInto, arguments: [temporary]) }
        } catch let error as DatabaseError {
            throw StoreError.exportFailed(path: target, reason: error.message ?? "\(error.resultCode)")
        }
        var summary = try Self.check(copy: temporary, against: self, target: target)
        summary.path = target
        try Self.move(temporary, to: target, replacing: replacing)
        return summary
    }

    /// Refuses an existing target (unless replacing it) and the store itself.
    static func checkExportTarget(_ target: String, store: String, replacing: Bool) throws {
        var targetStatus = stat(), storeStatus = stat()
        guard stat(target, &targetStatus) == 0 else { return }
        if stat(store, &storeStatus) == 0, targetStatus.st_dev == storeStatus.st_dev, targetStatus.st_ino == storeStatus.st_ino {
            throw StoreError.exportOntoStore(path: target)
        }
        if !replacing { throw StoreError.exportTargetExists(path: target) }
    }

    /// Opens the copy read-only and compares it with the store; throws when it is not a faithful, sound copy.
    static func check(copy: String, against store: EvidenceStore, target: String) throws -> ExportSummary {
        let exported = try EvidenceStore(path: copy, mode: .readOnly)
        let integrity = try exported.integrityCheck()
        guard integrity == ["ok"] else {
            throw StoreError.exportFailed(path: target, reason: "SQLite's integrity check of the copy: " + integrity.prefix(5).joined(separator: "; "))
        }
        let copied = try exported.rowCountsBySource(), original = try store.rowCountsBySource()
        let verifications = try exported.verifySources()
        for source in verifications where !source.inProgress {
            guard let inCopy = copied[source.id], inCopy == original[source.id] else {
                throw StoreError.exportFailed(path: target, reason: "source #\(source.id) (\(source.path)) has \(copied[source.id]?.records ?? 0) records "
                                              + "in the copy and \(original[source.id]?.records ?? 0) in the store")
            }
        }
        return ExportSummary(
            path: copy, size: Int64((try? FileManager.default.attributesOfItem(atPath: copy)[.size] as? Int) ?? 0),
            schemaVersion: try exported.schemaVersion(), sources: verifications.count,
            records: copied.values.reduce(0) { $0 + $1.records }, rejects: copied.values.reduce(0) { $0 + $1.rejects },
            sourcesWithProblems: verifications.filter { !$0.problems.isEmpty },
            sourcesInProgress: verifications.filter(\.inProgress),
            unchainedSources: verifications.filter(\.unchained).count)
    }

    /// Every source's rows in `records` and `rejects`, by source id.
    func rowCountsBySource() throws -> [Int64: SourceRowCounts] {
        try queue.read { db in
            var counts: [Int64: SourceRowCounts] = [:]
            for row in try Row.fetchAll(db, sql: StoreStatements.rowCountsBySource) {
                counts[row[0]] = SourceRowCounts(records: row[1], rejects: row[2])
            }
            return counts
        }
    }

    /// Puts the checked copy at `target`: replacing what is there, or failing if something appeared meanwhile.
    static func move(_ temporary: String, to target: String, replacing: Bool) throws {
        if replacing {
            guard rename(temporary, target) == 0 else {
                throw StoreError.exportFailed(path: target, reason: String(cString: strerror(errno)))
            }
        } else if link(temporary, target) != 0 {
            if errno == EEXIST { throw StoreError.exportTargetExists(path: target) }
            // A file system without hard links: rename, having checked the target is still free.
            guard !FileManager.default.fileExists(atPath: target), rename(temporary, target) == 0 else {
                throw StoreError.exportFailed(path: target, reason: String(cString: strerror(errno)))
            }
        }
    }
}
