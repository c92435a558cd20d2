import Foundation
import XCTest
@testable import TrailRecorder

/// Starting, stopping and rotating: a taken port, a signal during an exchange, `--max-size`.
final class RecorderLifecycleTests: XCTestCase {
    func testATakenPortIsAClearErrorWithExitStatusTwo() throws {
        let scratch = TestPaths.temporaryDirectory()
        let first = try RecorderRun(["--listen", "127.0.0.1:0", "--out", scratch.appendingPathComponent("a.jsonl").path], scratch: scratch)
        let address = first.url.replacingOccurrences(of: "http://", with: "")
        // Several times: a recorder that never started once crashed on its way out, about one time in three.
        for _ in 0..<10 {
            let second = try Mitrail.run(["record", "--listen", address, "--out", scratch.appendingPathComponent("b.jsonl").path])
            XCTAssertEqual(second.status, 2, second.stderr)
            XCTAssertTrue(second.stderr.contains("\(address) is already in use"), second.stderr)
        }
        XCTAssertEqual(first.stop(SIGINT).status, 0)
    }

    func testASignalDuringAnExchangeWaitsForItAndWritesItsRecord() throws {
        let scratch = TestPaths.temporaryDirectory()
        let imds = try FakeIMDS(scratch: scratch)
        let capture = scratch.appendingPathComponent("shutdown.jsonl")
        let recorder = try RecorderRun(["--listen", "127.0.0.1:0", "--upstream", imds.url, "--out", capture.path, "--timeout", "2"], scratch: scratch)
        XCTAssertNotNil(try Curl.get(recorder.url + FakeIMDS.tokenPath(client: FakeIMDS.knownClient), headers: ["Metadata: true"]))
        // A request IMDS never answers, under way when SIGTERM comes.
        let pending = try BackgroundProcess("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Metadata: true",
                                                              recorder.url + FakeIMDS.tokenPath(client: FakeIMDS.silentClient)], scratch: scratch)
        usleep(300_000)
        let stopped = recorder.stop(SIGTERM)
        XCTAssertEqual(stopped.status, 0, stopped.stderr)
        XCTAssertEqual(pending.stop(SIGTERM, seconds: 10), 0)
        XCTAssertEqual(pending.stdout, "504", "the client under way got its answer before the recorder left")
        let records = try Capture.records(capture)
        XCTAssertEqual(records.map { $0["status"] as? Int }.sorted { ($0 ?? 0) < ($1 ?? 0) }, [0, 200])
        XCTAssertEqual(records.first { $0["status"] as? Int == 0 }?["error"] as? String, "timeout")
    }

    func testMaxSizeRotatesTheCaptureAndKeepsTheNewestFiles() throws {
        let scratch = TestPaths.temporaryDirectory()
        let imds = try FakeIMDS(scratch: scratch)
        let capture = scratch.appendingPathComponent("rotating.jsonl")
        let recorder = try RecorderRun(["--listen", "127.0.0.1:0", "--upstream", imds.url, "--out", capture.path, "--max-size", "2K", "--keep", "3"],
                                       scratch: scratch)
        for _ in 0..<12 { XCTAssertNotNil(try Curl.get(recorder.url + FakeIMDS.tokenPath(client: FakeIMDS.unknownClient), headers: ["Metadata: true"])) }
        XCTAssertEqual(recorder.stop().status, 0)
        let kept = try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.hasPrefix("rotating") }.sorted()
        XCTAssertEqual(kept, ["rotating.1.jsonl", "rotating.2.jsonl", "rotating.3.jsonl", "rotating.jsonl"])
        var lines = 0
        for name in kept {
            let url = scratch.appendingPathComponent(name)
            let records = try Capture.records(url)
            lines += records.count
            let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int)
            XCTAssertTrue(size <= 2_048 || records.count == 1, "\(name) is \(size) bytes")
            let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int)
            XCTAssertEqual(mode & 0o777, 0o600, name)
        }
        XCTAssertTrue(lines > 3 && lines < 12, "the oldest records went with the oldest file (\(lines) kept)")
    }

    func testRotatedNamesAndSizesAndAddresses() throws {
        XCTAssertEqual(CaptureFile.rotatedPath("/var/log/token-requests.jsonl", 2), "/var/log/token-requests.2.jsonl")
        XCTAssertEqual(CaptureFile.rotatedPath("/var/log/capture", 1), "/var/log/capture.1")
        XCTAssertEqual(CaptureFile.rotatedPath("/var/log/.capture", 1), "/var/log/.capture.1")
        XCTAssertEqual(try UpstreamURL(parsing: "http://169.254.169.254").authority, "169.254.169.254")
        XCTAssertEqual(try UpstreamURL(parsing: "http://127.0.0.1:8080/").description, "http://127.0.0.1:8080")
        XCTAssertEqual(try UpstreamURL(parsing: "http://[::1]").address, ListenAddress(host: "::1", port: 80))
        XCTAssertThrowsError(try UpstreamURL(parsing: "https://169.254.169.254"))
        XCTAssertThrowsError(try UpstreamURL(parsing: "http://169.254.169.254/metadata"))
        XCTAssertEqual(try ListenAddress(parsing: "[::1]:0"), ListenAddress(host: "::1", port: 0))
        XCTAssertThrowsError(try ListenAddress(parsing: "127.0.0.1"))
        XCTAssertEqual(ProxyHandler.originForm("http://169.254.169.254/metadata/identity/oauth2/token?x=1"), "/metadata/identity/oauth2/token?x=1")
        XCTAssertTrue(ProxyHandler.isTokenRequest("/metadata/identity/oauth2/token?api-version=2018-02-01"))
        XCTAssertTrue(ProxyHandler.isTokenRequest("/MSI/token?resource=x"))
        XCTAssertFalse(ProxyHandler.isTokenRequest("/metadata/instance?api-version=2021-02-01"))
    }
}
