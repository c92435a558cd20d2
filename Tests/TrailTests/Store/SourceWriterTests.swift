import GRDB
import TrailModel
@testable import TrailStore
import XCTest

/// The source writer stores batches on a writer thread of its own: what it stores, and that a failure
/// there reaches the caller and leaves the source unfinished.
final class SourceWriterTests: XCTestCase {
    func makeStore() throws -> EvidenceStore {
        try EvidenceStore(path: TestPaths.temporaryDirectory(name).appendingPathComponent("store.db").path, mode: .readWrite)
    }

    func record(_ line: Int, text: String? = nil) -> StorableRecord {
        let time = Timestamp(millisecondsSince1970: 1_772_618_400_000 + Int64(line) * 1000)
        let evidence = EvidenceRecord(kind: RecordKind("test:line"), position: SourcePosition(line: line), time: time, timeOrigin: .record,
                                      fields: RecordFields(), raw: text ?? "line \(line)")
        var digest = [UInt8](repeating: 0, count: 16)
        digest[15] = UInt8(line % 256)
        digest[14] = UInt8(line / 256)
        return StorableRecord(record: evidence, digest: digest, timeText: time.iso8601)
    }

    func source() -> SourceDescriptor {
        SourceDescriptor(path: "test.log", sha256: String(repeating: "0", count: 64), size: 1, format: "test",
                         observedAt: nil, observedAtOrigin: .none)
    }

    func testBatchesAreStoredInOrderWithTheirCountsAndDuplicates() throws {
        let store = try makeStore()
        let writer = try SourceWriter(store: store, source: source(), toolVersion: "test", batchSize: 7)
        for line in 1...50 { try writer.add(record(line)) }
        try writer.add(record(3))  // the same digest again: a duplicate, not stored
        try writer.add(RejectedRecord(position: SourcePosition(line: 51), reason: "unreadable", excerpt: "x"))
        let counts = try writer.finish()
        XCTAssertEqual(counts, SourceCounts(read: 52, stored: 50, rejected: 1, duplicate: 1))
        let lines = try store.queue.read { try Int.fetchAll($0, sql: "SELECT line FROM records ORDER BY id") }
        XCTAssertEqual(lines, Array(1...50))
        let status = try store.queue.read { try String.fetchOne($0, sql: "SELECT status FROM sources") }
        XCTAssertEqual(status, "complete")
        XCTAssertEqual(try store.verifySources().first?.problems, [])
    }

    func testAFailureOnTheWriterThreadReachesTheCallerAndLeavesTheSourceUnfinished() throws {
        let store = try makeStore()
        try store.queue.write { db in
            try db.execute(sql: "CREATE TRIGGER refuse BEFORE INSERT ON records WHEN NEW.line = 12 BEGIN SELECT RAISE(ABORT, 'refused by test'); END")
        }
        let writer = try SourceWriter(store: store, source: source(), toolVersion: "test", batchSize: 5)
        var thrown: Error?
        do {
            for line in 1...40 { try writer.add(record(line)) }
            try writer.finish()
        } catch {
            thrown = error
        }
        XCTAssertTrue("\(thrown.map { "\($0)" } ?? "nothing thrown")".contains("refused by test"), "\(String(describing: thrown))")
        let status = try store.queue.read { try String.fetchOne($0, sql: "SELECT status FROM sources") }
        XCTAssertEqual(status, "ingesting")
        let stored = try store.queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM records") }
        XCTAssertEqual(stored, 10, "the two batches before the failing one are stored, nothing after it")
    }
}
