import Foundation
import GRDB
import TrailModel
import XCTest

/// `kill -9` an ingest of a large file at random moments: the store stays sound, no partial source is
/// recorded as complete, and ingesting again ends with exactly the rows a clean run stores.
final class CrashSafetyTests: XCTestCase {
    static let rounds = 5
    static let killsPerRound = 2
    static let lines = 40_000

    var workspace: URL!

    override func setUpWithError() throws {
        workspace = TestPaths.temporaryDirectory(name)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: workspace)
    }

    func ingest(_ file: URL, into db: URL) throws -> Process {
        let process = Process()
        process.executableURL = TestPaths.binary
        process.arguments = ["ingest", "-q", file.path, "--db", db.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    func testKilledIngestsLeaveASoundStoreAndReingestStoresWhatACleanRunStores() throws {
        let log = workspace.appendingPathComponent("tvmps_crash/agent-debug.log")
        try FileManager.default.createDirectory(at: log.deletingLastPathComponent(), withIntermediateDirectories: true)
        try GeneratedEvidence.agentLog(at: log, lines: Self.lines)
        let clean = workspace.appendingPathComponent("clean.db")
        let started = Date()
        let reference = try ingest(log, into: clean)
        reference.waitUntilExit()
        let duration = Date().timeIntervalSince(started)
        XCTAssertEqual(reference.terminationStatus, 0)

        var random = SeededGenerator(seed: 11)
        var partialRows: [Int] = []
        for round in 1...Self.rounds {
            let db = workspace.appendingPathComponent("crash-\(round).db")
            for _ in 0..<Self.killsPerRound {
                let process = try ingest(log, into: db)
                Thread.sleep(forTimeInterval: duration * Double.random(in: 0.05...0.9, using: &random))
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                XCTAssertEqual(try GeneratedEvidence.integrityCheck(db), ["ok"], "round \(round)")
                XCTAssertEqual(try GeneratedEvidence.inconsistentCompleteSources(db), [], "round \(round): a partial source looks complete")
                partialRows.append(try rows(in: db, status: "ingesting"))
            }
            let finishing = try Mitrail.run(["ingest", log.path], db: db)
            XCTAssertEqual(finishing.status, 0, finishing.stderr)
            try assertSameEvidence(db, clean, round: round)
        }
        print("crash safety: \(Self.rounds * Self.killsPerRound) kills; rows left by each killed ingest: \(partialRows)")
    }

    func rows(in db: URL, status: String) throws -> Int {
        try DatabaseQueue(path: db.path).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM records r JOIN sources s ON s.id = r.source_id WHERE s.status = ?", arguments: [status]) ?? 0
        }
    }

    /// The store holds exactly the clean run's sources (counts, chain) and records (every content column).
    func assertSameEvidence(_ db: URL, _ clean: URL, round: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        try DatabaseQueue(path: db.path).read { connection in
            try connection.execute(sql: "ATTACH DATABASE ? AS clean", arguments: [clean.path])
            let sources = """
                SELECT path, sha256, size, format, status, records_read, records_stored, records_rejected, records_duplicate, record_chain
                FROM %@.sources
                """
            let records = "SELECT k.kind, r.line, r.pointer, r.time_ms, r.time_origin_code, r.fields, r.raw, r.digest, r.chain FROM %@.records r JOIN %@.record_kinds k ON k.id = r.kind_id"
            for (what, sql) in [("sources", sources), ("records", records)] {
                let mine = sql.replacingOccurrences(of: "%@", with: "main"), theirs = sql.replacingOccurrences(of: "%@", with: "clean")
                let extra = try Int.fetchOne(connection, sql: "SELECT count(*) FROM (\(mine) EXCEPT \(theirs))") ?? -1
                let missing = try Int.fetchOne(connection, sql: "SELECT count(*) FROM (\(theirs) EXCEPT \(mine))") ?? -1
                XCTAssertEqual(extra, 0, "round \(round): \(what) the clean run does not have", file: file, line: line)
                XCTAssertEqual(missing, 0, "round \(round): \(what) of the clean run missing", file: file, line: line)
            }
            let counts = try Row.fetchOne(connection, sql: "SELECT (SELECT count(*) FROM main.records), (SELECT count(*) FROM clean.records), (SELECT count(*) FROM main.sources)")
            XCTAssertEqual(counts.map { [$0[0], $0[1], $0[2]] as [Int] }, [Self.lines, Self.lines, 1], "round \(round)", file: file, line: line)
        }
    }
}
