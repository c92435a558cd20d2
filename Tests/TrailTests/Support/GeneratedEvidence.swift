import Foundation
import GRDB

/// Large evidence files made at test time, and questions about stores that tests share.
enum GeneratedEvidence {
    /// Writes an agent log of `lines` distinct dated lines (about 120 bytes each).
    static func agentLog(at url: URL, lines: Int, tag: String = "a1") throws {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var chunk = ""
        for index in 0..<lines {
            let second = index / 1000, millisecond = index % 1000
            chunk += "2026-03-04T\(String(format: "%02d:%02d:%02d.%03d", 10 + second / 3600, second / 60 % 60, second % 60, millisecond))Z"
            chunk += " [INFO] agent \(tag): heartbeat \(index), pool not fully joined yet, health=Status.TvmJoinPoolInProgress\n"
            if chunk.utf8.count > 1 << 20 {
                handle.write(Data(chunk.utf8))
                chunk = ""
            }
        }
        handle.write(Data(chunk.utf8))
    }

    /// `PRAGMA integrity_check`'s answer: ["ok"] when the file is sound.
    static func integrityCheck(_ db: URL) throws -> [String] {
        try DatabaseQueue(path: db.path).read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
    }

    /// Complete sources whose counts disagree with what the store holds for them (should be none):
    /// read ≠ stored + rejected + duplicate, or stored and rejected ≠ the rows of the source.
    static func inconsistentCompleteSources(_ db: URL) throws -> [String] {
        try DatabaseQueue(path: db.path).read { db in
            try String.fetchAll(db, sql: """
                SELECT s.path || ': read ' || s.records_read || ', stored ' || s.records_stored || ' (rows ' ||
                       (SELECT count(*) FROM records r WHERE r.source_id = s.id) || '), rejected ' || s.records_rejected
                       || ' (rows ' || (SELECT count(*) FROM rejects j WHERE j.source_id = s.id) || '), duplicate ' || s.records_duplicate
                FROM sources s
                WHERE s.status = 'complete' AND (
                    s.records_read != s.records_stored + s.records_rejected + s.records_duplicate
                    OR s.records_stored != (SELECT count(*) FROM records r WHERE r.source_id = s.id)
                    OR s.records_rejected != (SELECT count(*) FROM rejects j WHERE j.source_id = s.id))
                """)
        }
    }
}
