import Foundation
import XCTest

/// Transparent mode as docs/RECORDER.md documents it, for real, in two network namespaces the test makes
/// and joins with a veth link (Tests/recorder/transparent-mode.sh): the nat OUTPUT rule sends a client's TCP
/// to 169.254.169.254:80 to the recorder, the recorder's own user is excluded (no loop), and the rule must
/// leave with the recorder.
final class RecorderTransparentModeTests: XCTestCase {
    func testTheDocumentedRuleRecordsHardCodedIMDSCallsWithoutALoop() throws {
        guard getuid() == 0 else { throw XCTSkip("transparent mode needs root (network namespace, iptables)") }
        for tool in ["/usr/sbin/ip", "/usr/sbin/iptables", "/usr/bin/curl", "/usr/bin/setpriv", "/usr/bin/python3"]
        where !FileManager.default.isExecutableFile(atPath: tool) {
            throw XCTSkip("\(tool) is not installed (.ci/run installs iproute2, iptables, curl, util-linux)")
        }
        let probe = try AzureIdentityVenv.run("/usr/sbin/ip", ["netns", "add", "mitrail-tm-probe-\(getpid())"])
        guard probe.status == 0 else { throw XCTSkip("this machine does not allow network namespaces: \(probe.output)") }
        _ = try AzureIdentityVenv.run("/usr/sbin/ip", ["netns", "delete", "mitrail-tm-probe-\(getpid())"])

        let scratch = TestPaths.temporaryDirectory()
        let script = TestPaths.packageRoot.appendingPathComponent("Tests/recorder/transparent-mode.sh").path
        let run = try AzureIdentityVenv.run("/bin/bash", [script, TestPaths.binary.path, scratch.path])
        XCTAssertEqual(run.status, 0, run.output)
        var checks: [String: String] = [:]
        for line in run.output.split(separator: "\n") where line.hasPrefix("check ") {
            let parts = line.dropFirst(6).split(separator: ":", maxSplits: 1)
            if parts.count == 2 { checks[String(parts[0])] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        XCTAssertEqual(checks["root-status"], "200", "a hard-coded call reaches IMDS through the recorder: \(run.output)")
        XCTAssertEqual(checks["root-missing-header-status"], "400")
        XCTAssertEqual(checks["recorder-user-status"], "200", "the recorder's own user goes straight to IMDS")
        XCTAssertEqual(checks["recorder-exit"], "0")
        XCTAssertEqual(checks["records"], "2", "the two calls of other users are recorded, the recorder user's is not")
        XCTAssertEqual(checks["capture-mode"], "600")
        XCTAssertEqual(checks["rule-left-without-recorder"], "000", "with the rule and no recorder, IMDS is unreachable")
        XCTAssertEqual(checks["rule-removed-status"], "200")

        let records = try Capture.records(scratch.appendingPathComponent("transparent.jsonl"))
        XCTAssertEqual(records.map { $0["status"] as? Int }.compactMap { $0 }.sorted(), [200, 400])
        for record in records {
            XCTAssertTrue((record["url"] as? String)?.hasPrefix("http://169.254.169.254/metadata/identity/oauth2/token?") == true, "\(record)")
            XCTAssertEqual((record["requestHeaders"] as? [String: Any])?["Host"] as? String, "169.254.169.254")
        }
    }
}
