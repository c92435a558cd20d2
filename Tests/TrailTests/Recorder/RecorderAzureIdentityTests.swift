import Foundation
import XCTest

/// A real SDK behind the recorder: Python's azure-identity `ManagedIdentityCredential` (from PyPI, in
/// `.build/test-venv`), run with `mitrail record --exec`, which points it at the recorder through
/// AZURE_POD_IDENTITY_AUTHORITY_HOST.
final class RecorderAzureIdentityTests: XCTestCase {
    static let getToken = TestPaths.packageRoot.appendingPathComponent("Tests/recorder/get_token.py").path

    func testManagedIdentityCredentialThroughExecGetsTheTokenAndItsRetriesAreRecorded() throws {
        let python = try AzureIdentityVenv.pythonWithAzureIdentity()
        let scratch = TestPaths.temporaryDirectory()
        let imds = try FakeIMDS(scratch: scratch, throttle: 1)
        let capture = scratch.appendingPathComponent("sdk.jsonl")
        func exec(_ client: String) throws -> [String: Any] {
            let run = try Mitrail.run(["record", "--upstream", imds.url, "--out", capture.path, "--node", "tvmps_sdk", "--exec", "--",
                                       python, Self.getToken, "https://storage.azure.com/.default", client])
            XCTAssertEqual(run.status, 0, run.stderr)
            return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], run.stdout + run.stderr)
        }

        // A token: the SDK got the upstream's token, the record names its fingerprint, and nothing more.
        let granted = try exec(FakeIMDS.knownClient)
        let token = try XCTUnwrap(granted["token"] as? String, "\(granted)")
        var records = try Capture.records(capture)
        XCTAssertEqual(records.count, 1, "the SDK sent one request (no probe: the variable is set)")
        XCTAssertEqual(Capture.fingerprints(records), [RecorderEndToEndTests.fingerprint(token)])
        XCTAssertNil(try Data(contentsOf: capture).range(of: Data(token.utf8)))
        let url = try XCTUnwrap(records[0]["url"] as? String)
        XCTAssertTrue(url.contains("client_id=\(FakeIMDS.knownClient)") && url.contains("resource=https://storage.azure.com"), url)
        XCTAssertEqual((records[0]["requestHeaders"] as? [String: Any])?["Metadata"] as? String, "true")

        // Throttled once: the SDK retries by itself; both requests are recorded, and explain says how soon it asked again.
        let afterRetry = try exec(FakeIMDS.throttledClient)
        XCTAssertNotNil(afterRetry["token"], "\(afterRetry)")
        records = try Capture.records(capture)
        let throttled = records.filter { ($0["url"] as? String)?.contains(FakeIMDS.throttledClient) == true }
        XCTAssertEqual(throttled.map { $0["status"] as? Int }, [429, 200])
        // Identity not found: a 400, which the SDK does not retry.
        let refused = try exec(FakeIMDS.unknownClient)
        XCTAssertEqual(refused["error"] as? String, "CredentialUnavailableError", "\(refused)")
        XCTAssertTrue((refused["message"] as? String)?.contains("Identity not found") == true, "\(refused)")
        records = try Capture.records(capture)
        XCTAssertEqual(records.count, 4, "one record per request the SDK sent: \(records)")

        let db = scratch.appendingPathComponent("store.db")
        XCTAssertEqual(try Mitrail.run(["ingest", capture.path], db: db).status, 0)
        let codes = try RecorderEndToEndTests.diagnoses(db: db)
        XCTAssertEqual(Set(codes), ["imds-throttled", "imds-identity-not-found"])
        // The gap the SDK left after the 429, from the records themselves, decides what explain must say.
        let times = try throttled.map { try XCTUnwrap(($0["time"] as? String).flatMap(Self.milliseconds)) }
        let gap = times[1] - times[0]
        let explain = try Mitrail.run(["explain"], db: db).stdout
        let verdict = gap < 1_000 ? "did not back off: it asked again \(gap) ms later" : "waited \(gap / 1000) s before asking again"
        XCTAssertTrue(explain.contains(verdict), "expected '\(verdict)' in:\n\(explain)")
    }

    func testExecPassesTheEndpointAndTheExitStatusThrough() throws {
        let scratch = TestPaths.temporaryDirectory()
        let capture = scratch.appendingPathComponent("exec.jsonl")
        let script = "case \"$AZURE_POD_IDENTITY_AUTHORITY_HOST\" in http://127.0.0.1:[1-9]*) exit 7;; *) exit 3;; esac"
        let run = try Mitrail.run(["record", "--out", capture.path, "--exec", "--", "/bin/sh", "-c", script])
        XCTAssertEqual(run.status, 7, run.stderr)
        let missing = try Mitrail.run(["record", "--out", capture.path, "--exec", "--", "/nonexistent/command"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("cannot run /nonexistent/command"), missing.stderr)
        let usage = try Mitrail.run(["record", "--out", capture.path, "--exec"])
        XCTAssertEqual(usage.status, 2)
        XCTAssertTrue(usage.stderr.contains("Please give the command to run after --exec --"), usage.stderr)
    }

    static func milliseconds(_ text: String) -> Int64? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
    }
}
