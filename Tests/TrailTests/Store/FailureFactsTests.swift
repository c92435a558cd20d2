import GRDB
import TrailModel
@testable import TrailStore
import XCTest

/// `failure_facts` (migration 0012): the failures the writer stores with each batch, the rows the `failures`
/// view reads. They must be exactly what `failures_by_fields` computes from the records, whatever the batches and
/// however two sources' batches interleave; `verify` finds a row changed, removed or added afterwards.
final class FailureFactsTests: XCTestCase {
    func makeStore() throws -> EvidenceStore {
        try EvidenceStore(path: TestPaths.temporaryDirectory(name).appendingPathComponent("store.db").path, mode: .readWrite)
    }

    func source(_ path: String) -> SourceDescriptor {
        SourceDescriptor(path: path, sha256: String(repeating: "0", count: 64), size: 1, format: "test",
                         observedAt: nil, observedAtOrigin: .none)
    }

    /// A storage request: refused (403, a failure) on every third index, else served.
    func request(_ index: Int, source: Int) -> StorableRecord {
        var fields = RecordFields()
        fields.set("status", .integer(index % 3 == 0 ? 403 : 200))
        fields.set("principalId", .string("00000000-0000-0000-0000-0000000000A\(source)"))
        fields.set("url", .string("https://stfixture.blob.core.windows.net/c\(source)/blob-\(index)"))
        fields.set("node", .string("tvmps_000000000000000000000000000000000000000000000000000000000000000\(source)_d"))
        return StorableRecord(record: EvidenceRecord(
            kind: RecordKind("azure:storage:request"), position: SourcePosition(line: index),
            time: Timestamp(millisecondsSince1970: 1_772_618_400_000 + Int64(index) * 1000), timeOrigin: .record,
            fields: fields, raw: "request \(index) of source \(source)"))
    }

    /// failure_facts rows that failures_by_fields does not compute, plus the converse.
    func disagreeing(_ store: EvidenceStore) throws -> Int {
        try store.queue.read { db in
            try Int.fetchOne(db, sql: """
                SELECT (SELECT count(*) FROM (SELECT * FROM failure_facts EXCEPT SELECT * FROM failure_facts_by_fields))
                     + (SELECT count(*) FROM (SELECT * FROM failure_facts_by_fields EXCEPT SELECT * FROM failure_facts))
                """) ?? -1
        }
    }

    func problems(_ store: EvidenceStore) throws -> [String] {
        var verified = try store.verifySources()
        try store.checkFailureFacts(&verified)
        return verified.flatMap(\.problems)
    }

    func testEveryBatchOfTwoInterleavedSourcesStoresItsFailures() throws {
        let store = try makeStore()
        let first = try SourceWriter(store: store, source: source("first.log"), toolVersion: "test", batchSize: 4)
        let second = try SourceWriter(store: store, source: source("second.log"), toolVersion: "test", batchSize: 5)
        for index in 1...60 {
            try first.add(request(index, source: 1))
            try second.add(request(index, source: 2))
            // Each writer hands its batches to a thread of its own: waiting now and then interleaves their ids.
            if index % 9 == 0 { try first.flush(); try second.flush() }
        }
        try first.finish()
        try second.finish()
        let counts = try store.queue.read { db in
            try Row.fetchAll(db, sql: "SELECT source_id, count(*) AS rows FROM failure_facts GROUP BY source_id ORDER BY source_id")
                .map { [$0["source_id"] as Int64, $0["rows"] as Int64] }
        }
        XCTAssertEqual(counts, [[1, 20], [2, 20]])
        XCTAssertEqual(try disagreeing(store), 0)
        let principals = try store.queue.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT principal_id FROM failures ORDER BY 1")
        }
        XCTAssertEqual(principals, ["00000000-0000-0000-0000-0000000000a1", "00000000-0000-0000-0000-0000000000a2"])
        XCTAssertEqual(try problems(store), [])
    }

    func testVerifyFindsAFailureRowChangedRemovedOrAdded() throws {
        let store = try makeStore()
        let writer = try SourceWriter(store: store, source: source("requests.log"), toolVersion: "test", batchSize: 7)
        for index in 1...30 { try writer.add(request(index, source: 1)) }
        try writer.finish()
        XCTAssertEqual(try problems(store), [])
        try store.queue.write { try $0.execute(sql: "UPDATE failure_facts SET code = 'HTTP 200' WHERE record_id = 3") }
        XCTAssertEqual(try problems(store), ["2 rows of failure_facts disagree with its records"])
        try store.queue.write { try $0.execute(sql: "DELETE FROM failure_facts WHERE record_id = 3") }
        XCTAssertEqual(try problems(store), ["1 row of failure_facts disagrees with its records"])
        try store.queue.write { try $0.execute(sql: "INSERT INTO failure_facts SELECT * FROM failure_facts_by_fields WHERE record_id = 3") }
        XCTAssertEqual(try problems(store), [])
        try store.queue.write { db in
            try db.execute(sql: "INSERT INTO failure_facts (record_id, source_id, kind_id, code) SELECT 2, source_id, kind_id, code FROM failure_facts WHERE record_id = 3")
        }
        XCTAssertEqual(try problems(store), ["1 row of failure_facts disagrees with its records"])
        try store.queue.write { try $0.execute(sql: "UPDATE failure_facts SET source_id = 99 WHERE record_id = 2") }
        XCTAssertEqual(try problems(store), ["1 row of failure_facts of no source"])
    }

    /// An abandoned ingest's source goes with its failures (as with its records and typed fields).
    func testRemovingASourceRemovesItsFailures() throws {
        let store = try makeStore()
        for path in ["kept.log", "removed.log"] {
            let writer = try SourceWriter(store: store, source: source(path), toolVersion: "test", batchSize: 4)
            for index in 1...12 { try writer.add(request(index, source: path == "kept.log" ? 1 : 2)) }
            try writer.finish()
        }
        let removed = try XCTUnwrap(try store.queue.read { try Int64.fetchOne($0, sql: "SELECT id FROM sources WHERE path = 'removed.log'") })
        try store.queue.write { try EvidenceStore.deleteSource(removed, $0) }
        let sources = try store.queue.read { try Int64.fetchAll($0, sql: "SELECT DISTINCT source_id FROM failure_facts") }
        XCTAssertEqual(sources, [removed - 1])
        XCTAssertEqual(try problems(store), [])
    }
}
