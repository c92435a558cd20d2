import Crypto
import Foundation
import XCTest

/// `mitrail record` between curl and a fake IMDS on loopback: the client gets the upstream's answer as it
/// came, the capture holds one redacted record per exchange, and explain reads the capture.
final class RecorderEndToEndTests: XCTestCase {
    static let secretBearer = "Bearer sk-recorder-test-0000000000000000000000a1"
    static let secretIdentityHeader = "identity-header-secret-00000000000000a1"

    func testCurlThroughTheRecorderGetsTheUpstreamAnswerAndEveryExchangeIsRecordedRedacted() throws {
        let scratch = TestPaths.temporaryDirectory()
        let imds = try FakeIMDS(scratch: scratch)
        let capture = scratch.appendingPathComponent("token-requests.jsonl")
        let recorder = try RecorderRun(["--listen", "127.0.0.1:0", "--upstream", imds.url, "--out", capture.path, "--timeout", "1",
                                        "--node", "tvmps_00000000000000000000000000000000000000000000000000000000000000a1", "--pool", "pool-recorder"],
                                       scratch: scratch)
        let metadata = "Metadata: true"
        let secrets = ["Authorization: " + Self.secretBearer, "X-IDENTITY-HEADER: " + Self.secretIdentityHeader]

        // Deterministic answers, asked once directly and once through the recorder: the same bytes but for Date.
        let cases: [(path: String, headers: [String], status: String)] = [
            (FakeIMDS.tokenPath(client: FakeIMDS.unknownClient), [metadata] + secrets, "400"),
            (FakeIMDS.tokenPath(client: FakeIMDS.knownClient), [], "400"),
            (FakeIMDS.tokenPath(client: FakeIMDS.knownClient) + "&echo=true", [metadata, "X-Custom: kept as sent", "User-Agent: recorder-test/1"], "200"),
        ]
        for (path, headers, status) in cases {
            let direct = try XCTUnwrap(Curl.get(imds.url + path, headers: headers))
            let recorded = try XCTUnwrap(Curl.get(recorder.url + path, headers: headers))
            XCTAssertEqual(recorded.statusLine, direct.statusLine, path)
            XCTAssertTrue(recorded.statusLine.contains(" \(status) "), recorded.statusLine)
            XCTAssertEqual(recorded.headersWithoutDate, direct.headersWithoutDate, path)
            XCTAssertEqual(recorded.body, direct.body, path)
        }
        // A body sent in chunks reaches the upstream whole, with its length.
        let posted = try XCTUnwrap(Curl.get(recorder.url + FakeIMDS.tokenPath() + "&echo=true", headers: [metadata, "Transfer-Encoding: chunked"],
                                            arguments: ["--data-binary", "resource=https://vault.azure.net"]))
        let echo = try XCTUnwrap(try JSONSerialization.jsonObject(with: posted.body) as? [String: Any])
        XCTAssertEqual(echo["method"] as? String, "POST")
        XCTAssertEqual(echo["body"] as? String, "resource=https://vault.azure.net")
        XCTAssertTrue((echo["headers"] as? [[String]])?.contains(["Content-Length", "32"]) == true, "\(echo)")
        // 429 once per resource: one resource through the recorder, another directly.
        let throttledDirect = try XCTUnwrap(Curl.get(imds.url + FakeIMDS.tokenPath(resource: "https://vault.azure.net", client: FakeIMDS.throttledClient), headers: [metadata]))
        let throttled = try XCTUnwrap(Curl.get(recorder.url + FakeIMDS.tokenPath(client: FakeIMDS.throttledClient), headers: [metadata]))
        XCTAssertEqual(throttled.statusLine, throttledDirect.statusLine)
        XCTAssertEqual(throttled.body, throttledDirect.body)
        // A token: what the client got is what the record's fingerprint names.
        let tokenAnswer = try XCTUnwrap(Curl.get(recorder.url + FakeIMDS.tokenPath(client: FakeIMDS.knownClient), headers: [metadata] + secrets))
        XCTAssertTrue(tokenAnswer.statusLine.contains(" 200 "), tokenAnswer.statusLine)
        let token = try XCTUnwrap((try JSONSerialization.jsonObject(with: tokenAnswer.body) as? [String: Any])?["access_token"] as? String)
        // No answer: 504 after the recorder's time-out.
        let silent = try XCTUnwrap(Curl.get(recorder.url + FakeIMDS.tokenPath(client: FakeIMDS.silentClient), headers: [metadata]))
        XCTAssertTrue(silent.statusLine.contains(" 504 "), silent.statusLine)
        // Not a token request: forwarded, not recorded.
        let other = try XCTUnwrap(Curl.get(recorder.url + "/metadata/instance?api-version=2021-02-01", headers: [metadata]))
        XCTAssertTrue(other.statusLine.contains(" 404 "), other.statusLine)

        let stopped = recorder.stop()
        XCTAssertEqual(stopped.status, 0, stopped.stderr)
        XCTAssertTrue(stopped.stderr.contains("7 token requests recorded (and 1 other request forwarded, not recorded)"), stopped.stderr)

        let records = try Capture.records(capture)
        XCTAssertEqual(records.count, 7, "one record per token request")
        XCTAssertEqual(records.map { ($0["status"] as? Int) ?? -1 }.sorted(), [0, 200, 200, 200, 400, 400, 429])
        let noAnswer = try XCTUnwrap(records.first { $0["status"] as? Int == 0 })
        XCTAssertEqual(noAnswer["error"] as? String, "timeout")
        XCTAssertNil(noAnswer["responseBody"])
        for record in records {
            XCTAssertEqual(record["node"] as? String, "tvmps_00000000000000000000000000000000000000000000000000000000000000a1")
            XCTAssertEqual(record["pool"] as? String, "pool-recorder")
            XCTAssertEqual(record["method"] as? String, (record["url"] as? String)?.hasSuffix("resource=https://storage.azure.com/&echo=true") == true ? "POST" : "GET")
            XCTAssertTrue((record["url"] as? String)?.hasPrefix(imds.url + "/metadata/identity/oauth2/token?") == true)
            XCTAssertNotNil(record["durationMs"] as? NSNumber)
        }
        let echoed = try XCTUnwrap(records.first { ($0["url"] as? String)?.contains("client_id=\(FakeIMDS.knownClient)&echo=true") == true })
        XCTAssertEqual((echoed["requestHeaders"] as? [String: Any])?["X-Custom"] as? String, "REDACTED", "unknown headers keep their name only")
        XCTAssertEqual((echoed["requestHeaders"] as? [String: Any])?["User-Agent"] as? String, "recorder-test/1")
        let withToken = try XCTUnwrap(records.first { ($0["responseBody"] as? String)?.contains("redacted-jwt") == true })
        XCTAssertEqual(Capture.fingerprints([withToken]), [Self.fingerprint(token)])
        XCTAssertEqual((withToken["requestHeaders"] as? [String: Any])?["Authorization"] as? String, "REDACTED")
        XCTAssertEqual((withToken["requestHeaders"] as? [String: Any])?["X-IDENTITY-HEADER"] as? String, "REDACTED")

        // Nothing secret, byte for byte: the token, its signed part, the secret header values.
        let bytes = try Data(contentsOf: capture)
        let payload = token.split(separator: ".")[1]
        for secret in [token, String(payload), Self.secretBearer, "sk-recorder-test", Self.secretIdentityHeader] {
            XCTAssertNil(bytes.range(of: Data(secret.utf8)), "the capture holds \(secret.prefix(24))…")
        }
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: capture.path)[.posixPermissions] as? Int)
        XCTAssertEqual(mode & 0o777, 0o600, "the capture is readable by its owner only")

        // The capture is evidence: ingest it and explain.
        let db = scratch.appendingPathComponent("store.db")
        let ingest = try Mitrail.run(["ingest", capture.path], db: db)
        XCTAssertEqual(ingest.status, 0, ingest.stderr)
        XCTAssertTrue(ingest.stdout.contains("as mitrail-token-requests: read 7, stored 7, rejected 0"), ingest.stdout)
        let codes = try Self.diagnoses(db: db)
        for code in ["imds-identity-not-found", "imds-metadata-header-missing", "imds-throttled", "imds-transient"] {
            XCTAssertTrue(codes.contains(code), "explain misses \(code): \(codes)")
        }
    }

    func testARefusedUpstreamIsAnswered502AndRecordedWithItsReason() throws {
        let scratch = TestPaths.temporaryDirectory()
        let closedPort = try Self.portWithNobodyListening()
        let capture = scratch.appendingPathComponent("refused.jsonl")
        let recorder = try RecorderRun(["--listen", "127.0.0.1:0", "--upstream", "http://127.0.0.1:\(closedPort)", "--out", capture.path], scratch: scratch)
        let answer = try XCTUnwrap(Curl.get(recorder.url + FakeIMDS.tokenPath(), headers: ["Metadata: true"]))
        XCTAssertTrue(answer.statusLine.contains(" 502 "), answer.statusLine)
        XCTAssertEqual(recorder.stop().status, 0)
        let records = try Capture.records(capture)
        XCTAssertEqual(records.count, 1)
        XCTAssertEqual(records.first?["status"] as? Int, 0)
        XCTAssertEqual(records.first?["error"] as? String, "connection refused")
        XCTAssertTrue((records.first?["errorDetail"] as? String)?.contains("refused") == true, "\(records)")
        let db = scratch.appendingPathComponent("store.db")
        XCTAssertEqual(try Mitrail.run(["ingest", capture.path], db: db).status, 0)
        XCTAssertEqual(try Self.diagnoses(db: db), ["imds-transient"])
    }

    /// The diagnosis codes of `explain --format json`, episodes first.
    static func diagnoses(db: URL) throws -> [String] {
        let explain = try Mitrail.run(["explain", "--format", "json"], db: db)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(explain.stdout.utf8)) as? [String: Any], explain.stderr)
        return ((object["episodes"] as? [[String: Any]]) ?? []).compactMap { $0["diagnosis"] as? String }
    }

    /// The fingerprint mitrail's redactor writes for a token: the first 12 hex digits of its SHA-256.
    static func fingerprint(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).prefix(6).map { String(format: "%02x", $0) }.joined()
    }

    /// A loopback port that was free a moment ago (bound, then closed).
    static func portWithNobodyListening() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw NSError(domain: "socket", code: Int(errno)) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
