@testable import TrailExplain
import TrailModel
import XCTest

/// Counting a failure seen through several records once, and telling the normal protocol from a failure.
final class SameFailureTests: XCTestCase {
    static func record(_ id: Int64, _ time: String, kind: String = "azure:storage:error", source: String, status: Int64? = 403,
                       _ values: [String: String] = [:]) -> Failure {
        var row: [String: TabularValue] = ["record_id": .integer(id), "time": .text(time), "kind": .text(kind), "source": .text(source),
                                           "line": .integer(id)]
        if let status { row["status"] = .integer(status) }
        for (name, value) in values { row[name] = .text(value) }
        return Failure(EvidenceRow(values: row))
    }

    /// An SDK exception and the storage log of the same request (same x-ms-request-id): one failure, completed with
    /// the identity only the log names, with both records as evidence.
    func testTheSameRequestIDIsOneFailure() {
        let exception = Self.record(1, "2026-03-04T11:00:01.000Z", source: "app/worker.log", ["request_id": "r1", "code": "AuthorizationPermissionMismatch"])
        let log = Self.record(2, "2026-03-04T11:00:01.118Z", kind: "azure:storage:blob-log", source: "storage/PT1H.json",
                              ["request_id": "r1", "principal_id": "00000000-0000-0000-0000-0000000000a3", "container": "reports"])
        let other = Self.record(3, "2026-03-04T11:00:04.000Z", kind: "azure:storage:blob-log", source: "storage/PT1H.json", ["request_id": "r2"])
        let merged = SameFailure.merged([exception, log, other])
        XCTAssertEqual(merged.map(\.recordID), [1, 3])
        XCTAssertEqual(merged[0].principalID, "00000000-0000-0000-0000-0000000000a3")
        XCTAssertEqual(merged[0].container, "reports")
        XCTAssertEqual(merged[0].alsoSeenIn, [log.evidence])
    }

    /// An SDK keeps its client request ID across retries: two records of one source with it stay two attempts; a
    /// record of another source an hour later is another request too.
    func testAClientRequestIDMatchesOnlyAcrossSourcesAndWithinAMinute() {
        let first = Self.record(1, "2026-03-04T11:00:00.000Z", source: "a.har", ["client_request_id": "c1"])
        let retry = Self.record(2, "2026-03-04T11:00:02.000Z", source: "a.har", ["client_request_id": "c1"])
        let later = Self.record(3, "2026-03-04T12:00:00.000Z", source: "b.log", ["client_request_id": "c1"])
        XCTAssertEqual(SameFailure.merged([first, retry, later]).count, 3)
        let logged = Self.record(4, "2026-03-04T11:00:00.500Z", source: "b.log", ["client_request_id": "c1"])
        XCTAssertEqual(SameFailure.merged([first, logged]).map(\.alsoSeenIn.count), [1])
        let otherStatus = Self.record(5, "2026-03-04T11:00:00.500Z", source: "b.log", status: 500, ["client_request_id": "c1"])
        XCTAssertEqual(SameFailure.merged([first, otherStatus]).count, 2)
    }

    /// A client's log line and the captured IMDS request at the same time on the node are one failure, kept as the
    /// capture; two captured requests 200 ms apart are two.
    func testATokenRequestLoggedAndCapturedIsOneFailure() {
        let node = "tvmps_0000000000000000000000000000000000000000000000000000000000000001_d"
        let logLine = Self.record(1, "2026-03-04T10:16:10.100Z", kind: "azure:identity:client-log-line", source: "app.log", status: 429,
                                  ["url": "http://169.254.169.254/metadata/identity/oauth2/token?resource=https://storage.azure.com/"])
        let capture = Self.record(2, "2026-03-04T10:16:10.300Z", kind: "azure:imds:token-request", source: "token-requests.jsonl", status: 429,
                                  ["node": node, "resource": "https://storage.azure.com/", "code": "invalid_request"])
        let next = Self.record(3, "2026-03-04T10:16:10.500Z", kind: "azure:imds:token-request", source: "token-requests.jsonl", status: 429,
                               ["node": node, "resource": "https://storage.azure.com/"])
        let merged = SameFailure.merged([logLine, capture, next])
        XCTAssertEqual(merged.map(\.recordID), [2, 3])
        XCTAssertEqual(merged[0].kind, "azure:imds:token-request")
        XCTAssertEqual(merged[0].time, logLine.time, "the earlier of the two times")
        XCTAssertEqual(merged[0].alsoSeenIn, [logLine.evidence])
    }

    /// A 401 the same request answers by succeeding soon after is a bearer challenge; a success much later is not
    /// its retry. A Storage 404 is no permission failure; an IMDS 404 (IMDS updating) is a failure.
    func testTheNormalProtocolIsNotAFailure() {
        let url = "https://stapp.blob.core.windows.net/config/settings.json"
        let challenge = Self.record(1, "2026-03-04T10:15:31.000Z", kind: "azure:storage:request", source: "r.json", status: 401,
                                    ["url": url, "client_request_id": "c1", "method": "GET"])
        let retry = Self.record(2, "2026-03-04T10:15:31.000Z", kind: "azure:storage:request", source: "r.json", status: 200,
                                ["url": url, "client_request_id": "c1", "method": "GET"])
        XCTAssertTrue(NormalProtocol.isNotAPermissionFailure(challenge, successes: SuccessfulOperations([retry])))
        let muchLater = Self.record(3, "2026-03-04T10:25:00.000Z", kind: "azure:storage:request", source: "r.json", status: 200,
                                    ["url": url, "method": "GET"])
        let noID = Self.record(4, "2026-03-04T10:15:31.000Z", kind: "azure:storage:request", source: "r.json", status: 401, ["url": url, "method": "GET"])
        XCTAssertFalse(NormalProtocol.isNotAPermissionFailure(noID, successes: SuccessfulOperations([muchLater])))
        let otherBlob = Self.record(5, "2026-03-04T10:15:32.000Z", kind: "azure:storage:request", source: "r.json", status: 200,
                                    ["url": url.replacingOccurrences(of: "settings", with: "other"), "method": "GET"])
        XCTAssertFalse(NormalProtocol.isNotAPermissionFailure(noID, successes: SuccessfulOperations([otherBlob])))

        let notFound = Self.record(6, "2026-03-04T10:15:33.000Z", kind: "azure:storage:request", source: "r.json", status: 404, ["code": "BlobNotFound"])
        XCTAssertTrue(NormalProtocol.isNotAPermissionFailure(notFound, successes: SuccessfulOperations([])))
        let imdsUpdating = Self.record(7, "2026-03-04T10:15:33.000Z", kind: "azure:imds:token-request", source: "t.jsonl", status: 404)
        XCTAssertFalse(NormalProtocol.isNotAPermissionFailure(imdsUpdating, successes: SuccessfulOperations([])))
    }
}
