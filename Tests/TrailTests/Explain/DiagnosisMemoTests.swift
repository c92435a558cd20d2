import Foundation
import TrailModel
import TrailReport
import TrailStore
import XCTest
@testable import TrailExplain

/// The memoised diagnosis is exact: explain says the same, byte for byte, with the memo as when every failure is
/// diagnosed on its own, on every fixture incident and on failure streams that cross role assignment, membership and
/// configuration changes.
final class DiagnosisMemoTests: XCTestCase {
    func testMemoGivesTheSameExplanationOnEveryFixtureIncident() throws {
        for (name, _) in try ExplainEndToEndTests.manifests() {
            let (workspace, db) = try IncidentWorkspace.ingest(name)
            defer { try? FileManager.default.removeItem(at: workspace) }
            try assertMemoIsExact(db: db, name: name)
        }
    }

    /// Storage failures every 41 s over the day of a role grant (10:00:01), its propagation window and a delete (15:00),
    /// plus one at each boundary the memo knows and a millisecond either side.
    func testMemoIsExactAcrossRoleAssignmentChanges() throws {
        try checkStream(incident: "episodes-over-time", template: "storage/StorageBlobLogs.json", observedAt: "2026-03-04T16:00:00Z")
    }

    /// The same across a group membership change (10:20) and its 24-hour window.
    func testMemoIsExactAcrossMembershipChanges() throws {
        try checkStream(incident: "group-membership-added", template: "storage/blob-logs.json", observedAt: "2026-03-04T12:00:00Z")
    }

    /// Node agent failures across a configuration change (the account patched at 09:50:31.6, its snapshot at 10:05).
    func testMemoIsExactAcrossConfigurationChanges() throws {
        try checkStream(incident: "configuration-fix-dated-by-activity-log",
                        template: "nodes/tvmps_0000000000000000000000000000000000000000000000000000000000000001_d/agent-debug.log",
                        observedAt: "2026-03-04T09:35:00Z")
    }

    /// Storage failures that name their blob only by URL (no resource ID, no object key), over many blobs of two
    /// containers, two accounts (one the role assignments know), a Data Lake endpoint, a URL without a scheme, and
    /// 503s on a path that names IMDS and on one that does not: the memo keys a URL by what the rules read of it, so
    /// failures of different containers or accounts never share a diagnosis, while blobs of one container do.
    func testMemoIsExactAcrossRequestURLs() throws {
        let urls: [(prefix: String, status: Int)] = [
            ("https://stfixture.blob.core.windows.net:443/input/", 403), ("https://stfixture.blob.core.windows.net/output/", 403),
            ("https://stother.blob.core.windows.net/input/", 403), ("https://stfixture.dfs.core.windows.net/input/", 403),
            ("stfixture.blob.core.windows.net/input/", 403),
            ("https://stfixture.blob.core.windows.net/input/169.254.169.254/", 503), ("https://stfixture.blob.core.windows.net/input/", 503),
        ]
        let (workspace, db) = try streamIncident("episodes-over-time", template: "storage/StorageBlobLogs.json", observedAt: "2026-03-04T16:00:00Z") {
            record, index in
            let url = urls[index % urls.count]
            record["resourceId"] = nil
            var properties = record["properties"] as? [String: Any] ?? [:]
            properties["objectKey"] = nil
            record["properties"] = properties
            record["uri"] = url.prefix + "blob-\(index).bin"
            record["statusCode"] = url.status
        }
        defer { try? FileManager.default.removeItem(at: workspace) }
        try assertMemoIsExact(db: db, name: "request URL stream")
        let store = try EvidenceStore(path: db.path, mode: .readOnly)
        let context = try ExplainContext(store: store)
        let memo = DiagnosisMemo(context: context)
        let failures = try Failure.all(in: store)
        for failure in failures { _ = memo.assessment(of: failure) { Explainer.assess($0, in: context) } }
        let streamed = failures.compactMap(\.url).filter { $0.contains("/blob-") }
        XCTAssertGreaterThan(streamed.count, 1_000)
        XCTAssertEqual(Set(streamed).count, streamed.count, "every streamed failure its own URL")
        // Seven kinds of URL over the stretches of the day: a class per kind and stretch, not one per blob.
        XCTAssertLessThan(memo.classes, streamed.count / 5, "classes of \(failures.count) failures")
    }

    /// Thousands of failures of one class are diagnosed once (the memo is used at all).
    func testMemoDiagnosesAClassOnce() throws {
        let (workspace, db) = try streamIncident("episodes-over-time", template: "storage/StorageBlobLogs.json", observedAt: "2026-03-04T16:00:00Z")
        defer { try? FileManager.default.removeItem(at: workspace) }
        let store = try EvidenceStore(path: db.path, mode: .readOnly)
        let context = try ExplainContext(store: store)
        let memo = DiagnosisMemo(context: context)
        let failures = try Failure.all(in: store)
        for failure in failures { _ = memo.assessment(of: failure) { Explainer.assess($0, in: context) } }
        XCTAssertGreaterThan(failures.count, 1_000)
        XCTAssertLessThan(memo.classes, failures.count / 10, "classes of \(failures.count) failures")
        XCTAssertEqual(memo.hits + memo.classes, failures.count)
    }

    // MARK: Support

    func checkStream(incident: String, template: String, observedAt: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let (workspace, db) = try streamIncident(incident, template: template, observedAt: observedAt)
        defer { try? FileManager.default.removeItem(at: workspace) }
        try assertMemoIsExact(db: db, name: incident + " stream", file: file, line: line)
    }

    func assertMemoIsExact(db: URL, name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let store = try EvidenceStore(path: db.path, mode: .readOnly)
        let memoised = try Explainer.explain(store: store, filter: ExplainFilter(), memoised: true)
        let reference = try Explainer.explain(store: store, filter: ExplainFilter(), memoised: false)
        XCTAssertEqual(ExplainOutput.json(memoised).rendered(), ExplainOutput.json(reference).rendered(), "\(name): JSON", file: file, line: line)
        XCTAssertEqual(ExplainOutput.text(memoised), ExplainOutput.text(reference), "\(name): text", file: file, line: line)
        XCTAssertEqual(ExplainOutput.markdown(memoised), ExplainOutput.markdown(reference), "\(name): markdown", file: file, line: line)
    }

    /// The incident ingested as its manifest says, then a stream of failures copied from the first failing record of
    /// `template` (a JSON-lines log or an agent log) at many times: a grid over the day, and every change of the
    /// evidence (role assignment and membership bounds and lists, configuration snapshots), 10 minutes and 24 hours
    /// after each (the propagation and token cache windows DESIGN.md names), each with a millisecond either side.
    func streamIncident(_ name: String, template: String, observedAt: String,
                        varying vary: (inout [String: Any], Int) -> Void = { _, _ in }) throws -> (URL, URL) {
        let (workspace, db) = try IncidentWorkspace.ingest(name)
        let store = try EvidenceStore(path: db.path, mode: .readOnly)
        let context = try ExplainContext(store: store)
        let changes = RoleCheckCache.changePoints(context.history, adding: context.memberships.changePoints)
            + context.configuration.accounts.compactMap(\.observedAt) + context.configuration.pools.compactMap(\.observedAt)
        let day = try XCTUnwrap(TimestampParser.parse("2026-03-04T07:00:00Z"))
        var times = stride(from: 0, to: 12 * 3_600_000, by: 41_000).map { day.adding(milliseconds: Int64($0)) }
        for change in changes where change >= day && change < day.adding(milliseconds: 12 * 3_600_000) {
            for window: Int64 in [0, 10 * 60_000, 24 * 3_600_000] {
                times += [-1, 0, 1].map { change.adding(milliseconds: window + $0) }
            }
        }
        times.sort()
        let text = try String(contentsOf: workspace.appendingPathComponent(template), encoding: .utf8)
        let lines = try template.hasSuffix(".log") ? agentLogStream(text, times: times) : storageLogStream(text, times: times, varying: vary)
        let stream = workspace.appendingPathComponent("stream-" + (template as NSString).lastPathComponent)
        try (lines.joined(separator: "\n") + "\n").write(to: stream, atomically: true, encoding: .utf8)
        let run = try Mitrail.run(["ingest", stream.lastPathComponent, "--observed-at", observedAt], db: db, currentDirectory: workspace)
        XCTAssertEqual(run.status, 0, run.stderr)
        return (workspace, db)
    }

    /// StorageBlobLogs lines like the first 403, each its own request (correlation ID) for the same blob, unless
    /// `vary` changes the record.
    func storageLogStream(_ text: String, times: [Timestamp], varying vary: (inout [String: Any], Int) -> Void) throws -> [String] {
        let first = try XCTUnwrap(text.split(separator: "\n").first { $0.contains("\"statusCode\": 403") })
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        return try times.enumerated().map { index, time in
            var record = object
            record["time"] = time.iso8601
            record["correlationId"] = String(format: "00000000-5e1f-0000-0000-%012d", index)
            vary(&record, index)
            return String(decoding: try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]), as: UTF8.self)
        }
    }

    /// Agent log lines like the first TvmJoinPoolInProgress line, at each time.
    func agentLogStream(_ text: String, times: [Timestamp]) throws -> [String] {
        let lines = text.split(separator: "\n").map(String.init)
        let header = lines.prefix { !$0.contains("TvmJoinPoolInProgress") }
        let failing = try XCTUnwrap(lines.first { $0.contains("TvmJoinPoolInProgress") })
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss,SSS"
        let rest = failing.dropFirst("2026-03-04 09:02:15,002".count)
        return header + times.map { time in
            formatter.string(from: Date(timeIntervalSince1970: Double(time.millisecondsSince1970) / 1000)) + rest
        }
    }
}

/// An episode keeps a bounded sample of its failures, whatever their count, and the right counts and bounds.
final class EpisodeSampleTests: XCTestCase {
    static func failure(_ id: Int64, at milliseconds: Int64, node: String? = nil, task: String? = nil) -> Failure {
        var values: [String: TabularValue] = ["record_id": .integer(id), "time": .text(Timestamp(millisecondsSince1970: milliseconds).iso8601),
                                              "kind": .text("azure:batch:task"), "source": .text("tasks.json"), "line": .integer(id)]
        if let node { values["node"] = .text(node) }
        if let task { values["task"] = .text(task) }
        return Failure(EvidenceRow(values: values))
    }

    static let start: Int64 = 1_772_611_200_000
    let diagnosis = Diagnosis(code: .nodeIdentityLacksStorageRole, identity: IdentityReference(principalID: "00000000-0000-0000-0000-0000000000a1"),
                              finding: "", reason: "")

    func testTenThousandFailuresKeepABoundedSample() {
        var episode = Episode(diagnosis: diagnosis)
        for index in 0..<10_000 {
            episode.add(Self.failure(Int64(index), at: Self.start + Int64(index) * 1_000, node: "node-\(index % 7)", task: "task-\(index % 3)"))
        }
        XCTAssertEqual(episode.failureCount, 10_000)
        XCTAssertEqual(episode.sampledFailures.count, Episode.sampleSize)
        XCTAssertEqual(episode.sampledFailures.map(\.recordID), Array(0..<Int64(Episode.sampleSize)))
        XCTAssertEqual(episode.finalFailure?.recordID, 9_999)
        XCTAssertEqual(episode.firstFailure?.millisecondsSince1970, Self.start)
        XCTAssertEqual(episode.lastFailure?.millisecondsSince1970, Self.start + 9_999_000)
        XCTAssertEqual(episode.nodes, (0..<7).map { "node-\($0)" })
        XCTAssertEqual(episode.tasks, ["task-0", "task-1", "task-2"])
        // The evidence: the first five failures and the last.
        XCTAssertEqual(episode.evidence.map(\.line), [0, 1, 2, 3, 4, 9_999])

        var group = UnexplainedGroup(diagnosis: diagnosis, failure: Self.failure(0, at: Self.start + 5_000))
        for index in 1..<10_000 { group.add(Self.failure(Int64(index), at: Self.start + Int64(index % 100) * 1_000)) }
        XCTAssertEqual(group.failureCount, 10_000)
        XCTAssertEqual(group.sampledFailures.map(\.recordID), [0, 1, 2, 3, 4])
        XCTAssertEqual(group.firstFailure?.millisecondsSince1970, Self.start)
        XCTAssertEqual(group.lastFailure?.millisecondsSince1970, Self.start + 99_000)
    }

    /// Absorbing an episode gives the sample, last failure and bounds that sorting both episodes' failures would.
    func testAbsorbingIsSortingAllTheFailures() {
        let ours = (0..<700).map { Self.failure(Int64($0), at: Self.start + Int64($0 / 2) * 1_000) }
        let theirs = (0..<600).map { Self.failure(Int64(1_000 + $0), at: Self.start + 100_000 + Int64($0 / 3) * 1_000) }
        var episode = Episode(diagnosis: diagnosis, failures: ours)
        episode.absorb(Episode(diagnosis: diagnosis, failures: theirs))
        let all = (ours + theirs).sorted { ($0.time ?? .distantPast) < ($1.time ?? .distantPast) }
        XCTAssertEqual(episode.failureCount, all.count)
        XCTAssertEqual(episode.sampledFailures.map(\.recordID), all.prefix(Episode.sampleSize).map(\.recordID))
        XCTAssertEqual(episode.finalFailure?.recordID, all.last?.recordID)
        XCTAssertEqual(episode.firstFailure, all.first?.time)
        XCTAssertEqual(episode.lastFailure, all.last?.time)
    }
}
