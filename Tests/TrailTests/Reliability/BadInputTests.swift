import Foundation
import GRDB
import TrailModel
import XCTest

/// The bad input catalogue, each through the built binary next to a good file: a clear message naming
/// the file (and line), rejects where records are involved, the good file still ingested, no crash.
/// Elsewhere in the catalogue: zip bombs, `../` entry names and truncated zips in ArchiveIngestTests, a
/// truncated .gz in IngestEndToEndTests, a file that changes while it is read in ChangingFileTests.
final class BadInputTests: XCTestCase {
    static let goodLog = """
        2026-03-04T10:00:00.000Z [INFO] agent: pool not fully joined yet, health=Status.TvmJoinPoolInProgress
        2026-03-04T10:00:30.000Z [INFO] agent: pool not fully joined yet, health=Status.TvmJoinPoolInProgress

        """
    /// The most memory one ingest of a 100 MB line may take (peak RSS).
    static let memoryBound = 200 << 20

    var workspace: URL!
    var db: URL!
    var good: URL!

    override func setUpWithError() throws {
        workspace = TestPaths.temporaryDirectory(name)
        db = workspace.appendingPathComponent("store.db")
        good = workspace.appendingPathComponent("good/agent-debug.log")
        try FileManager.default.createDirectory(at: good.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Self.goodLog.write(to: good, atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: workspace)
    }

    func write(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let url = workspace.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    func write(_ name: String, _ text: String) throws -> URL {
        try write(name, Array(text.utf8))
    }

    func query<T: DatabaseValueConvertible>(_ sql: String, as type: T.Type = Int.self) throws -> [T] {
        try DatabaseQueue(path: db.path).read { try T.fetchAll($0, sql: sql) }
    }

    /// Ingests the bad file with the good one; checks that the process ended by itself, named the bad
    /// file, and stored the good file's two records. Returns the run.
    @discardableResult
    func ingestBeside(_ bad: URL, options: [String] = [], expect status: Set<Int32>, file: StaticString = #filePath, line: UInt = #line) throws -> MitrailRun {
        let run = try Mitrail.run(["ingest"] + options + [bad.path, good.path], db: db)
        XCTAssertTrue(status.contains(run.status), "exit \(run.status)\n\(run.stdout)\n\(run.stderr)", file: file, line: line)
        XCTAssertFalse(run.stderr.contains("Fatal error") || run.stderr.contains("crashed"), run.stderr, file: file, line: line)
        XCTAssertTrue((run.stdout + run.stderr).contains(bad.path), "the message names the file:\n\(run.stdout)\n\(run.stderr)", file: file, line: line)
        let goodStored = try query("SELECT count(*) FROM records r JOIN sources s ON s.id = r.source_id WHERE s.path = '\(good.path)'")
        XCTAssertEqual(goodStored, [2], "the rest of the input is still ingested", file: file, line: line)
        return run
    }

    func testEmptyFileIsSkippedAndSaysSo() throws {
        let empty = try write("empty.json", [])
        let blank = try write("blank.log", "\n  \r\n\t\n")
        let run = try ingestBeside(empty, options: [blank.path], expect: [0])
        XCTAssertTrue(run.stdout.contains("skipped \(empty.path): the file is empty"), run.stdout)
        XCTAssertTrue(run.stdout.contains("skipped \(blank.path): the file holds only white space"), run.stdout)
    }

    func testBinaryGarbageIsNotRecognisedAndForcedParsersReject() throws {
        var random = SeededGenerator(seed: 8)
        let garbage = try write("garbage.bin", (0..<65_536).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        let run = try ingestBeside(garbage, expect: [2])
        XCTAssertTrue(run.stderr.contains("error: \(garbage.path): no format recognises this content"), run.stderr)
        for format in ["azure-role-assignments", "batch-agent-log", "azure-storage-blob-logs", "azure-storage-error"] {
            let forced = try Mitrail.run(["ingest", "--format", format, garbage.path], db: db)
            XCTAssertTrue([0, 1].contains(forced.status), "\(format): \(forced.stderr)")
        }
        XCTAssertEqual(try query("SELECT count(*) FROM sources WHERE status != 'complete'"), [0])
    }

    func testInvalidUTF8BecomesReplacementCharactersOrRejects() throws {
        let log = try write("invalid-utf8.log", Array("2026-03-04T10:00:00Z INFO nodeagent: bad byte ".utf8) + [0xC3, 0x28, 0xFF, 0x0A]
                            + Array("2026-03-04T10:00:01Z INFO nodeagent: fine\n".utf8))
        let json = try write("invalid-utf8.jsonl", Array(#"{"principalId": "00000000-0000-0000-0000-0000000000a1", "roleDefinitionName": "Reader", "scope": "/subscriptions/x"}"#.utf8)
                             + [0x0A] + Array(#"{"principalId": "bad "#.utf8) + [0xFF, 0xFE] + Array(#"", "roleDefinitionName": "Reader", "scope": "/s"}"#.utf8) + [0x0A])
        try ingestBeside(log, expect: [0])
        XCTAssertEqual(try query("SELECT count(*) FROM records WHERE raw LIKE '%bad byte ' || char(65533) || '(' || char(65533) || '%'"), [1])
        let run = try ingestBeside(json, options: ["--observed-at", "2026-03-04T12:00:00Z"], expect: [0, 1])
        let rows = try query("SELECT count(*) FROM records r JOIN sources s ON s.id = r.source_id WHERE s.path = '\(json.path)'")
        let rejects = try query("SELECT line FROM rejects r JOIN sources s ON s.id = r.source_id WHERE s.path = '\(json.path)'")
        XCTAssertEqual(rows[0] + rejects.count, 2, run.stdout + run.stderr)
        XCTAssertEqual(try query("SELECT count(*) FROM records WHERE raw != CAST(CAST(raw AS BLOB) AS TEXT)"), [0], "stored text is valid UTF-8")
    }

    func testByteOrderMarkAndCRLF() throws {
        let json = try write("bom-crlf.json", [0xEF, 0xBB, 0xBF] + Array("[\r\n{\"principalId\": \"00000000-0000-0000-0000-0000000000a1\",\r\n \"roleDefinitionName\": \"Reader\", \"scope\": \"/subscriptions/x\"}\r\n]\r\n".utf8))
        let log = try write("crlf.log", Self.goodLog.replacingOccurrences(of: "\n", with: "\r\n").replacingOccurrences(of: "10:00", with: "11:00"))
        try ingestBeside(json, options: [log.path], expect: [0])
        XCTAssertEqual(try query("SELECT count(*) FROM role_assignments"), [1])
        XCTAssertEqual(try query("SELECT count(*) FROM agent_log_lines WHERE message LIKE '%' || char(13) || '%'"), [0], "no carriage return is left in a line")
        XCTAssertEqual(try query("SELECT count(*) FROM records WHERE raw LIKE char(65279) || '%'"), [0], "the byte order mark is not part of a record")
    }

    /// A single line of 100 MB: rejected as too long (naming line 1), the next line kept, memory bounded.
    func testHundredMegabyteLineInBoundedMemory() throws {
        let url = workspace.appendingPathComponent("long-line.log")
        let handle = try FileHandle(forWritingTo: { _ = FileManager.default.createFile(atPath: url.path, contents: nil); return url }())
        handle.write(Data("2026-03-04T10:00:00Z INFO nodeagent: ".utf8))
        let chunk = Data(repeating: UInt8(ascii: "x"), count: 1 << 20)
        for _ in 0..<100 { handle.write(chunk) }
        handle.write(Data("\n2026-03-04T10:00:01Z INFO agent: after the long line health=Status.TvmJoinPoolInProgress\n".utf8))
        try handle.close()
        // Forced: the first 64 KiB, all of one line, say too little to recognise the format by.
        let measured = try MeasuredRun.run(["ingest", "--format", "batch-agent-log", url.path], db: db)
        XCTAssertEqual(measured.run.status, 1, measured.run.stderr)
        XCTAssertLessThan(measured.maximumResidentBytes, Self.memoryBound, "peak memory \(measured.maximumResidentBytes >> 20) MiB")
        XCTAssertTrue(measured.run.stderr.contains("\(url.path) as batch-agent-log: read 2, stored 1, rejected 1"), measured.run.stderr)
        XCTAssertEqual(try query("SELECT line FROM rejects"), [1])
        XCTAssertEqual(try query("SELECT reason FROM rejects", as: String.self).first?.contains("longer than 1 MiB"), true)

        // The same as one JSON value: larger than the 64 MiB a value may take, rejected, memory bounded.
        let json = workspace.appendingPathComponent("long-value.jsonl")
        let writer = try FileHandle(forWritingTo: { _ = FileManager.default.createFile(atPath: json.path, contents: nil); return json }())
        writer.write(Data(#"{"principalId": "00000000-0000-0000-0000-0000000000a1", "roleDefinitionName": "Reader", "scope": "/s", "description": ""#.utf8))
        for _ in 0..<100 { writer.write(chunk) }
        writer.write(Data("\"}\n{\"principalId\": \"00000000-0000-0000-0000-0000000000a2\", \"roleDefinitionName\": \"Reader\", \"scope\": \"/s\"}\n".utf8))
        try writer.close()
        let value = try MeasuredRun.run(["ingest", "--format", "azure-role-assignments", "--observed-at", "2026-03-04T12:00:00Z", json.path], db: db)
        XCTAssertEqual(value.run.status, 1, value.run.stderr)
        XCTAssertLessThan(value.maximumResidentBytes, Self.memoryBound, "peak memory \(value.maximumResidentBytes >> 20) MiB")
        XCTAssertTrue(value.run.stderr.contains("read 2, stored 1, rejected 1"), value.run.stderr)
        XCTAssertEqual(try query("SELECT count(*) FROM rejects WHERE line = 1 AND reason LIKE '%larger than 64 MiB%'"), [1])
        print("100 MB line: peak memory \(measured.maximumResidentBytes >> 20) MiB as a log line, \(value.maximumResidentBytes >> 20) MiB as a JSON value")
    }

    func testJSONNestedHundredThousandDeep() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let deepObject = String(repeating: #"{"a":"#, count: 100_000) + "1" + String(repeating: "}", count: 100_000)
        let good = #"{"principalId": "00000000-0000-0000-0000-0000000000a1", "roleDefinitionName": "Reader", "scope": "/subscriptions/x"}"#
        let lines = try write("deep.jsonl", [good, deepObject, good.replacingOccurrences(of: "a1", with: "a2")].joined(separator: "\n") + "\n")
        let array = try write("deep.json", deep)
        let run = try ingestBeside(lines, options: ["--observed-at", "2026-03-04T12:00:00Z"], expect: [1])
        XCTAssertTrue(run.stderr.contains("read 3, stored 2, rejected 1"), run.stderr)
        XCTAssertEqual(try query("SELECT line FROM rejects WHERE reason LIKE '%nested 100000 levels deep%'"), [2])
        let detected = try Mitrail.run(["ingest", array.path], db: db)
        XCTAssertEqual(detected.status, 2, "nothing recognises it: \(detected.stderr)")
        XCTAssertTrue(detected.stderr.contains(array.path), detected.stderr)
        let forced = try Mitrail.run(["ingest", "--format", "azure-role-assignments", array.path], db: db)
        XCTAssertEqual(forced.status, 1, forced.stderr)
        XCTAssertFalse(forced.stderr.contains("crashed"), forced.stderr)
    }

    func testDirectorySymbolicLinkLoopIsNotFollowed() throws {
        let evidence = workspace.appendingPathComponent("evidence")
        try FileManager.default.createDirectory(at: evidence.appendingPathComponent("nodes/tvmps_a1"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: good, to: evidence.appendingPathComponent("nodes/tvmps_a1/agent-debug.log"))
        try FileManager.default.createSymbolicLink(atPath: evidence.appendingPathComponent("nodes/tvmps_a1/loop").path, withDestinationPath: evidence.path)
        let run = try Mitrail.run(["ingest", evidence.path], db: db)
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("skipped \(evidence.path)/nodes/tvmps_a1/loop: a symbolic link back to a directory being read (a loop); not followed"), run.stdout)
        XCTAssertEqual(try query("SELECT count(*) FROM sources"), [1], "the file is read once")
    }

    func testTimestampsInTheFarPastAndFuture() throws {
        let log = try write("times.log", """
            0001-01-01T00:00:00Z INFO nodeagent: the first day
            1969-12-31T23:59:59.999Z INFO agent: before the epoch
            9999-12-31T23:59:59.999+14:00 INFO agent: the last day, east
            9999-12-31T23:59:59.999-14:00 INFO agent: past the last day, west
            2026-02-30T25:61:61Z INFO agent: no such time
            0000-00-00 00:00:00 INFO agent: no such date

            """)
        let assignments = try write("times.json", #"[{"principalId": "00000000-0000-0000-0000-0000000000a1", "roleDefinitionName": "Reader", "scope": "/s", "createdOn": "9999-12-31T23:59:59Z", "updatedOn": "0001-01-01T00:00:00Z"}]"#)
        try ingestBeside(log, options: [assignments.path, "--observed-at", "9999-12-31T23:59:59Z"], expect: [0])
        let times = try query("SELECT time FROM records r JOIN sources s ON s.id = r.source_id WHERE s.path = '\(log.path)' ORDER BY line", as: String?.self)
        // Past 9999-12-31 (after its offset), on 30 February or at 25:61 there is no time: such lines take their neighbour's.
        XCTAssertEqual(times, ["0001-01-01T00:00:00.000Z", "1969-12-31T23:59:59.999Z", "9999-12-31T09:59:59.999Z", "9999-12-31T09:59:59.999Z",
                               "9999-12-31T09:59:59.999Z", "9999-12-31T09:59:59.999Z"])
        let origins = try query("SELECT time_origin FROM records r JOIN sources s ON s.id = r.source_id WHERE s.path = '\(log.path)' ORDER BY line", as: String.self)
        XCTAssertEqual(origins, ["record", "record", "record", "neighbour", "neighbour", "neighbour"])
        XCTAssertEqual(try query("SELECT observed_at FROM role_assignments", as: String.self), ["9999-12-31T23:59:59.000Z"])
        let sources = try Mitrail.run(["sql", "--format", "csv", "SELECT time FROM timeline ORDER BY time"], db: db)
        XCTAssertEqual(sources.status, 0, sources.stderr)
    }
}
