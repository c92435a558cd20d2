import Foundation
import GRDB
import XCTest

/// Four ingest processes on different files and two reader processes (`sql`, `sources`) in loops on one
/// store that does not exist yet: nobody fails with "database is locked", every row arrives, and every
/// read sees a consistent store (a complete source's counts match its rows at that moment).
final class ConcurrencyTests: XCTestCase {
    static let writers = 4
    static let lines = 15_000
    /// Reader loops stop when the writers are done, or after this many reads each.
    static let maximumReads = 400

    /// What one reader saw: how many reads succeeded, and every problem.
    final class ReaderLog: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var reads = 0
        private(set) var problems: [String] = []
        func record(read: Bool, problem: String?) {
            lock.lock()
            defer { lock.unlock() }
            if read { reads += 1 }
            if let problem { problems.append(problem) }
        }
    }

    /// How each writer ended.
    final class WriterRuns: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var runs: [(String, MitrailRun?)] = []
        func add(_ path: String, _ run: MitrailRun?) {
            lock.lock()
            defer { lock.unlock() }
            runs.append((path, run))
        }
    }

    func testFourWritersAndTwoReadersOnOneStore() throws {
        let workspace = TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let db = workspace.appendingPathComponent("shared.db")
        var files: [URL] = []
        for writer in 1...Self.writers {
            let file = workspace.appendingPathComponent("tvmps_w\(writer)/agent-debug.log")
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try GeneratedEvidence.agentLog(at: file, lines: Self.lines, tag: "w\(writer)")
            files.append(file)
        }
        let writersDone = DispatchGroup()
        let writerRuns = WriterRuns()
        for file in files {
            writersDone.enter()
            Thread.detachNewThread {
                writerRuns.add(file.path, try? Mitrail.run(["ingest", file.path], db: db))
                writersDone.leave()
            }
        }
        let consistency = """
            SELECT s.path, s.records_stored, (SELECT count(*) FROM records r WHERE r.source_id = s.id)
            FROM sources s WHERE s.status = 'complete'
            """
        let readers = [
            (["sql", "--format", "csv", consistency], ReaderLog()),
            (["sources", "--format", "csv"], ReaderLog()),
            (["explain", "--format", "json"], ReaderLog()),
            (["query", "evidence_by_kind", "--format", "csv"], ReaderLog()),
        ]
        let readersDone = DispatchGroup()
        for (arguments, log) in readers {
            readersDone.enter()
            Thread.detachNewThread {
                defer { readersDone.leave() }
                var storeReady = false
                for _ in 0..<Self.maximumReads {
                    let writing = writersDone.wait(timeout: .now()) == .timedOut
                    guard let run = try? Mitrail.run(arguments, db: db) else { continue }
                    if run.status != 0 {
                        // Before the first writer has created the schema there is nothing to read yet.
                        if !storeReady && (run.stderr.contains("No evidence store") || run.stderr.contains("no such table")) { continue }
                        log.record(read: false, problem: "\(arguments[0]) exited \(run.status): \(run.stderr)")
                    } else {
                        storeReady = true
                        log.record(read: true, problem: Self.inconsistency(in: run.stdout, arguments: arguments))
                    }
                    if !writing { break }
                }
            }
        }
        writersDone.wait()
        readersDone.wait()

        XCTAssertEqual(writerRuns.runs.count, Self.writers)
        for (path, run) in writerRuns.runs {
            XCTAssertEqual(run?.status, 0, "\(path): \(run?.stderr ?? "did not run")")
            XCTAssertFalse(run?.stderr.contains("locked") ?? true, run?.stderr ?? "")
        }
        for (arguments, log) in readers {
            XCTAssertEqual(log.problems, [], "\(arguments[0])")
            XCTAssertGreaterThan(log.reads, 0, "\(arguments[0]) never read")
        }
        let totals = try DatabaseQueue(path: db.path).read { db in
            try Row.fetchOne(db, sql: "SELECT (SELECT count(*) FROM records), (SELECT count(*) FROM sources WHERE status = 'complete')")
        }
        XCTAssertEqual(totals.map { [$0[0], $0[1]] as [Int] }, [Self.writers * Self.lines, Self.writers])
        XCTAssertEqual(try GeneratedEvidence.inconsistentCompleteSources(db), [])
        XCTAssertEqual(try GeneratedEvidence.integrityCheck(db), ["ok"])
        print("concurrency: \(Self.writers) writers, 2 readers; reads: \(readers.map { "\($0.0[0]) \($0.1.reads)" }.joined(separator: ", "))")
    }

    /// The same file ingested by two processes at once (a collector run twice): neither fails, the one
    /// that comes second while the first is writing says so, and every record is stored once.
    func testTwoIngestsOfTheSameFileAtOnce() throws {
        let workspace = TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let db = workspace.appendingPathComponent("shared.db")
        let file = workspace.appendingPathComponent("tvmps_same/agent-debug.log")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try GeneratedEvidence.agentLog(at: file, lines: Self.lines)
        XCTAssertEqual(try Mitrail.run(["ingest", workspace.appendingPathComponent("nothing-yet").path], db: db).status, 2)
        let done = DispatchGroup()
        let runs = WriterRuns()
        for name in ["first", "second"] {
            done.enter()
            Thread.detachNewThread {
                runs.add(name, try? Mitrail.run(["ingest", file.path], db: db))
                done.leave()
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        done.wait()
        for (name, run) in runs.runs {
            XCTAssertEqual(run?.status, 0, "\(name): \(run?.stdout ?? "") \(run?.stderr ?? "did not run")")
        }
        XCTAssertEqual(try DatabaseQueue(path: db.path).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM records") }, Self.lines)
        XCTAssertEqual(try GeneratedEvidence.inconsistentCompleteSources(db), [])
        XCTAssertEqual(try DatabaseQueue(path: db.path).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM sources WHERE status != 'complete'") }, 0)
        print("same file twice: " + runs.runs.map { "\($0.0): \($0.1?.stdout.split(separator: "\n").first ?? "")" }.joined(separator: "; "))
    }

    /// A problem in one read's CSV output, or nil: a complete source whose counts disagree with its rows.
    static func inconsistency(in csv: String, arguments: [String]) -> String? {
        for line in csv.split(separator: "\r\n").dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if arguments[0] == "sql", fields.count == 3, fields[1] != fields[2] {
                return "complete source \(fields[0]) says \(fields[1]) records but holds \(fields[2])"
            }
            // sources: id,path,format,observed_at,observed_at_origin,read,stored,rejected,duplicate,status,...
            if arguments[0] == "sources", fields.count > 9, fields[9] == "complete",
               let read = Int(fields[5]), let stored = Int(fields[6]), let rejected = Int(fields[7]), let duplicate = Int(fields[8]),
               read != stored + rejected + duplicate {
                return "complete source \(fields[1]): read \(read) != \(stored) + \(rejected) + \(duplicate)"
            }
        }
        return nil
    }
}
