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

    /// A record whose time and text follow from `second` (so that two calls with the same value make the same record).
    func record(_ second: Int, line: Int? = nil, text: String? = nil) -> StorableRecord {
        let time = Timestamp(millisecondsSince1970: 1_772_618_400_000 + Int64(second) * 1000)
        let evidence = EvidenceRecord(kind: RecordKind("test:line"), position: SourcePosition(line: line ?? second), time: time, timeOrigin: .record,
                                      fields: RecordFields(), raw: text ?? "line \(second)")
        return StorableRecord(record: evidence)
    }

    func source(_ path: String = "test.log") -> SourceDescriptor {
        SourceDescriptor(path: path, sha256: String(repeating: "0", count: 64), size: 1, format: "test",
                         observedAt: nil, observedAtOrigin: .none)
    }

    func testBatchesAreStoredInOrderWithTheirCountsAndDuplicates() throws {
        let store = try makeStore()
        let writer = try SourceWriter(store: store, source: source(), toolVersion: "test", batchSize: 7)
        for line in 1...50 { try writer.add(record(line)) }
        try writer.add(record(3, line: 51))  // the same record again in the same source: stored, like every record of a source
        try writer.add(RejectedRecord(position: SourcePosition(line: 52), reason: "unreadable", excerpt: "x"))
        let counts = try writer.finish()
        XCTAssertEqual(counts, SourceCounts(read: 52, stored: 51, rejected: 1, duplicate: 0))
        let lines = try store.queue.read { try Int.fetchAll($0, sql: "SELECT line FROM records ORDER BY id") }
        XCTAssertEqual(lines, Array(1...51))
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

    /// Three lines A, B, A of one file are three records; a second file that overlaps the first (A, B, A, A, C)
    /// stores only what the first lacks: the third A and C.
    func testDuplicatesAreCopiesFromAnotherSourceOnly() throws {
        let store = try makeStore()
        let first = try SourceWriter(store: store, source: source("first.log"), toolVersion: "test", batchSize: 2)
        for (line, second) in [1, 2, 1].enumerated() { try first.add(record(second, line: line + 1)) }
        XCTAssertEqual(try first.finish(), SourceCounts(read: 3, stored: 3, rejected: 0, duplicate: 0))
        let second = try SourceWriter(store: store, source: source("second.log"), toolVersion: "test", batchSize: 2)
        for (line, value) in [1, 2, 1, 1, 3].enumerated() { try second.add(record(value, line: line + 1)) }
        XCTAssertEqual(try second.finish(), SourceCounts(read: 5, stored: 2, rejected: 0, duplicate: 3))
        let stored = try store.queue.read { db in
            try Row.fetchAll(db, sql: "SELECT s.path, r.line, r.raw FROM records r JOIN sources s ON s.id = r.source_id ORDER BY r.id")
                .map { "\($0[0] as String):\($0[1] as Int) \($0[2] as String)" }
        }
        XCTAssertEqual(stored, ["first.log:1 line 1", "first.log:2 line 2", "first.log:3 line 1", "second.log:4 line 1", "second.log:5 line 3"])
        XCTAssertEqual(try store.verifySources().flatMap(\.problems), [])
    }

    /// Typed fields go to their columns (names interned once), the rest stays in the remainder JSON, and the
    /// chain covers both: editing a typed column or a name is found by verify.
    func testTypedFieldsAreColumnsAndTheChainCoversThem() throws {
        let store = try makeStore()
        let writer = try SourceWriter(store: store, source: source(), toolVersion: "test")
        for index in 1...3 {
            var fields = RecordFields()
            fields.set("status", .integer(403))
            fields.set("node", .string("tvmps_0000000000000000000000000000000000000000000000000000000000000001_d"))
            fields.set("noAnswer", .bool(false))
            fields.set("somethingElse", .string("kept as JSON \(index)"))
            try writer.add(StorableRecord(record: EvidenceRecord(
                kind: RecordKind("azure:storage:request"), position: SourcePosition(line: index),
                time: Timestamp(millisecondsSince1970: 1_772_618_400_000 + Int64(index)), timeOrigin: .record, fields: fields, raw: "request \(index)")))
        }
        try writer.finish()
        let row = try XCTUnwrap(try store.queue.read { db in
            try Row.fetchOne(db, sql: """
                SELECT f.status, f.no_answer, n.value AS node, r.fields, (SELECT count(*) FROM names) AS names
                FROM records r JOIN record_fields f ON f.record_id = r.id JOIN names n ON n.id = f.node_ref ORDER BY r.id LIMIT 1
                """)
        })
        XCTAssertEqual(row["status"] as Int, 403)
        XCTAssertEqual(row["no_answer"] as Int, 0)
        XCTAssertEqual(row["node"] as String, "tvmps_0000000000000000000000000000000000000000000000000000000000000001_d")
        XCTAssertEqual(row["fields"] as String, #"{"somethingElse":"kept as JSON 1"}"#)
        XCTAssertEqual(row["names"] as Int, 1)
        XCTAssertEqual(try store.verifySources().flatMap(\.problems), [])
        try store.queue.write { try $0.execute(sql: "UPDATE record_fields SET status = 200 WHERE record_id = 2") }
        XCTAssertEqual(try store.verifySources().flatMap(\.problems), ["record #2 was changed"])
        try store.queue.write { try $0.execute(sql: "UPDATE record_fields SET status = 403 WHERE record_id = 2; UPDATE names SET value = 'tvmps_other'") }
        XCTAssertEqual(try store.verifySources().flatMap(\.problems), ["record #1 was changed", "record #2 was changed", "record #3 was changed"])
    }
}
