import Foundation
import XCTest

/// A busy node: many clients at once through one recorder, every exchange recorded once, every line whole.
final class RecorderConcurrencyTests: XCTestCase {
    static let load = TestPaths.packageRoot.appendingPathComponent("Tests/recorder/imds_load.py").path

    /// Runs Tests/recorder/imds_load.py against `url`; one parsed result per request.
    static func runLoad(_ url: String, clients: Int, requests: Int) throws -> [[String: Any]] {
        let run = try AzureIdentityVenv.run("/usr/bin/python3", [load, url + FakeIMDS.tokenPath(), "--clients", String(clients), "--requests", String(requests)])
        XCTAssertEqual(run.status, 0, run.output)
        return try run.output.split(separator: "\n").map { try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    func testThirtyTwoClientsTimesFiftyRequestsAreEachRecordedOnce() throws {
        let scratch = TestPaths.temporaryDirectory()
        let imds = try FakeIMDS(scratch: scratch)
        let capture = scratch.appendingPathComponent("busy.jsonl")
        let recorder = try RecorderRun(["--listen", "127.0.0.1:0", "--upstream", imds.url, "--out", capture.path], scratch: scratch)
        let results = try Self.runLoad(recorder.url, clients: 32, requests: 50)
        let stopped = recorder.stop()
        XCTAssertEqual(stopped.status, 0, stopped.stderr)
        XCTAssertEqual(results.count, 1_600)
        XCTAssertEqual(results.filter { $0["status"] as? Int == 200 }.count, 1_600, "every client got its token")

        let records = try Capture.records(capture)
        XCTAssertEqual(records.count, 1_600)
        // Every token issued is in exactly one record, and every record holds one of them.
        let issued = results.compactMap { $0["fingerprint"] as? String }
        XCTAssertEqual(Set(issued).count, 1_600, "the fake IMDS issues a new token each time")
        XCTAssertEqual(Capture.fingerprints(records).sorted(), issued.sorted())
        XCTAssertTrue(stopped.stderr.contains("1600 token requests recorded"), stopped.stderr)
    }

    func testWithADatabaseRecordsAreVisibleWhileTheRecorderRunsAndTheSourceCompletesAtShutdown() throws {
        let scratch = TestPaths.temporaryDirectory()
        let imds = try FakeIMDS(scratch: scratch)
        let db = scratch.appendingPathComponent("live.db")
        let recorder = try RecorderRun(["--listen", "127.0.0.1:0", "--upstream", imds.url, "--db", db.path, "--node", "tvmps_live"], scratch: scratch)
        let results = try Self.runLoad(recorder.url, clients: 8, requests: 25)
        XCTAssertEqual(results.filter { $0["status"] as? Int == 200 }.count, 200)
        // Committed within a few flush intervals, the recorder still running.
        let count = "SELECT count(*) AS n FROM token_requests"
        let visible = try recorder.recorder.waitFor(seconds: 10) { _ -> Int? in
            let run = try? Mitrail.run(["sql", count, "--format", "csv"], db: db)
            let rows = run?.stdout.split(whereSeparator: \.isNewline) ?? []
            return rows.count == 2 ? Int(rows[1]).flatMap { $0 == 200 ? $0 : nil } : nil
        }
        XCTAssertEqual(visible, 200)
        XCTAssertTrue(recorder.recorder.process.isRunning)
        let sources = try Mitrail.run(["sources", "--format", "json"], db: db)
        XCTAssertTrue(sources.stdout.contains("\"ingesting\""), "the source is open while the recorder runs: \(sources.stdout)")

        XCTAssertEqual(recorder.stop().status, 0)
        let after = try Mitrail.run(["sources", "--format", "json"], db: db)
        let list = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [[String: Any]], after.stdout)
        XCTAssertEqual(list.count, 1)
        XCTAssertEqual(list.first?["status"] as? String, "complete")
        XCTAssertEqual(list.first?["format"] as? String, "mitrail-token-requests")
        XCTAssertTrue((list.first?["path"] as? String)?.hasPrefix("mitrail record on tvmps_live 127.0.0.1:") == true, "\(list)")
        XCTAssertEqual(list.first?["stored"] as? Int, 200)
        let verify = try Mitrail.run(["verify"], db: db)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }
}
