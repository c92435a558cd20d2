import Foundation
import GRDB
import TrailIngest
import XCTest

/// For every fixture of every registered format: records read = stored + rejected + duplicate, in the
/// summary line, in the source row, and in the rows the store holds; read is what the parser produced.
final class AccountingTests: XCTestCase {
    func testEveryFixtureAccountsForEveryRecord() throws {
        let workspace = TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let db = workspace.appendingPathComponent("store.db")
        var expectedRead: [String: Int] = [:]
        var files: [URL] = []
        for format in FormatRegistry.all {
            for input in FixtureRendering.inputs(in: TestPaths.fixtures.appendingPathComponent("formats/\(format.id)")) {
                let sink = try FixtureRendering.parse(try FixtureRendering.decodedBytes(input), format: format, path: input.path)
                expectedRead[input.path] = sink.records.count + sink.rejects.count
                files.append(input)
            }
        }
        XCTAssertGreaterThan(files.count, FormatRegistry.all.count)
        // Every fixture, then every fixture again with one more line end: new content, the same records (duplicates).
        let again = workspace.appendingPathComponent("again")
        try FileManager.default.createDirectory(at: again, withIntermediateDirectories: true)
        var copies: [URL] = []
        for (index, file) in files.enumerated() {
            let copy = again.appendingPathComponent("\(index)-" + file.lastPathComponent)
            try (try FixtureRendering.decodedBytes(file) + Data("\n".utf8)).write(to: copy)
            expectedRead[copy.path] = expectedRead[file.path]
            copies.append(copy)
        }
        var lines: [Substring] = []
        for batch in [files, copies] {
            let run = try Mitrail.run(["ingest", "--observed-at", FixtureRendering.observedAt.iso8601] + batch.map(\.path), db: db)
            XCTAssertTrue([0, 1].contains(run.status), run.stderr)
            lines += (run.stdout + run.stderr).split(separator: "\n").filter { $0.hasPrefix("ingested ") }
        }
        XCTAssertEqual(lines.count, files.count * 2, "one summary line per file")
        let sources = try DatabaseQueue(path: db.path).read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.path, s.records_read, s.records_stored, s.records_rejected, s.records_duplicate,
                       (SELECT count(*) FROM records r WHERE r.source_id = s.id) AS rows,
                       (SELECT count(*) FROM rejects j WHERE j.source_id = s.id) AS rejectRows
                FROM sources s
                """)
        }
        let byPath = Dictionary(sources.map { ($0["path"] as String, $0) }, uniquingKeysWith: { first, _ in first })
        var duplicates = 0
        let summary = /ingested (.+) as ([a-z0-9-]+): read (\d+), stored (\d+), rejected (\d+), duplicate (\d+)/
        for line in lines {
            guard let match = try summary.firstMatch(in: String(line)) else { XCTFail("unreadable summary: \(line)"); continue }
            let path = String(match.1)
            let (read, stored, rejected, duplicate) = (Int(match.3)!, Int(match.4)!, Int(match.5)!, Int(match.6)!)
            duplicates += duplicate
            XCTAssertEqual(read, stored + rejected + duplicate, "\(path): the summary does not add up")
            XCTAssertEqual(read, expectedRead[path], "\(path): read is not what the parser produced")
            guard let row = byPath[path] else { XCTFail("no source row for \(path)"); continue }
            XCTAssertEqual([row["records_read"], row["records_stored"], row["records_rejected"], row["records_duplicate"]] as [Int],
                           [read, stored, rejected, duplicate], "\(path): the source row differs from the summary")
            XCTAssertEqual(row["rows"] as Int, stored, "\(path): stored rows")
            XCTAssertEqual(row["rejectRows"] as Int, rejected, "\(path): reject rows")
        }
        XCTAssertGreaterThan(duplicates, 0, "the copies' records are duplicates")
    }
}
