import Foundation
import TrailModel
import XCTest

/// `explain` through the built binary on the fixture incidents (Fixtures/incidents/NAME, each with an
/// incident.json manifest): every incident is ingested as its manifest says, then explained as JSON and as
/// text, and both are compared with Golden/explain/NAME.{json,txt} (`MITRAIL_RECORD_GOLDEN=1` re-records
/// them). The manifest's expected diagnoses, statuses and contributing codes are asserted on their own, so a
/// re-recorded golden cannot quietly accept a wrong diagnosis.
final class ExplainEndToEndTests: XCTestCase {
    struct Manifest: Decodable {
        struct Step: Decodable {
            var paths: [String]
            var observedAt: String?
            /// More `ingest` options (`--group ID`).
            var options: [String]?
        }

        struct ExpectedEpisode: Decodable, Equatable, CustomStringConvertible {
            var diagnosis: String
            var status: String
            var contributing: [String]
            var description: String { "\(diagnosis) \(status) \(contributing)" }

            static func == (lhs: Self, rhs: Self) -> Bool {
                (lhs.diagnosis, lhs.status, lhs.contributing) == (rhs.diagnosis, rhs.status, rhs.contributing)
            }

            init(diagnosis: String, status: String, contributing: [String]) {
                (self.diagnosis, self.status, self.contributing) = (diagnosis, status, contributing)
            }

            /// Checked when the manifest gives them: how many failures, when it ended, the identity's IDs (and whether
            /// it was inferred).
            var failureCount: Int?
            var resolvedAt: String?
            var identity: [String: String]?
            var identityInferred: Bool?
        }

        struct Expect: Decodable {
            var episodes: [ExpectedEpisode]
            /// How many unexplained groups (failures of one kind, identity, scope and missing evidence).
            var unexplained: Int
            /// Words the first unexplained group's first missing evidence must contain.
            var unexplainedMissingEvidence: String?
        }

        var summary: String
        var ingest: [Step]
        var expect: Expect
    }

    static let incidents = TestPaths.fixtures.appendingPathComponent("incidents")

    /// The incidents with a manifest, by name.
    static func manifests() throws -> [(String, Manifest)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: incidents.path).sorted()
        return try names.compactMap { name in
            let url = incidents.appendingPathComponent(name).appendingPathComponent("incident.json")
            guard FileManager.default.fileExists(atPath: url.path) else { return nil }
            return (name, try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: url)))
        }
    }

    static let seedScenarios = [
        "seed-app-packages-1", "seed-app-packages-2", "seed-app-packages-3", "seed-app-packages-4",
        "seed-resource-files-1", "seed-resource-files-2", "seed-resource-files-3", "seed-resource-files-4",
    ]
    static let batchIncidents = [
        "autostorage-account-identity-lacks-role", "node-identity-reference-missing", "node-identity-not-in-pool",
        "node-identity-lacks-storage-role", "role-assigned-to-other-principal", "episodes-over-time", "keyvault-access-missing",
    ]
    static let rbacIncidents = [
        "storage-data-role-missing", "control-plane-role-only", "rbac-propagation-delay", "arm-authorization-failed",
        "unexplained-missing-role-evidence",
    ]
    static let groupIncidents = [
        "group-membership-unknown", "group-membership-lacks-identity", "group-membership-includes-identity", "group-membership-nested",
        "group-membership-added",
    ]
    static let tokenIncidents = [
        "imds-identity-ambiguous", "imds-identity-not-found", "imds-metadata-header-missing", "imds-invalid-resource",
        "imds-throttled", "imds-transient", "token-audience-mismatch", "token-expired",
    ]

    /// The variations real evidence brings (issue 12): how an episode ends, who it was, one failure counted once,
    /// the normal protocol, failed operations in the Activity Log, policy denials.
    static let variationIncidents = [
        "imds-throttled-stray-successes", "imds-throttling-ends", "imds-client-id-resolved-by-pool", "token-audience-bearer-identity",
        "token-expired-refresh", "keyvault-grant-fixes", "bearer-challenge-retry", "same-request-two-records", "arm-policy-denied",
        "activity-log-authorization-failed", "configuration-fix-dated-by-activity-log",
    ]

    func testRealWorldVariations() throws {
        for name in Self.variationIncidents { try checkIncident(name) }
    }

    func testSeedScenarios() throws {
        for name in Self.seedScenarios { try checkIncident(name) }
    }

    func testBatchIncidents() throws {
        for name in Self.batchIncidents { try checkIncident(name) }
    }

    func testStorageAndRBACIncidents() throws {
        for name in Self.rbacIncidents { try checkIncident(name) }
    }

    func testEntraGroupIncidents() throws {
        for name in Self.groupIncidents { try checkIncident(name) }
    }

    func testIMDSAndTokenIncidents() throws {
        for name in Self.tokenIncidents { try checkIncident(name) }
    }

    /// Every incident with a manifest is checked by one of the tests above.
    func testEveryIncidentIsChecked() throws {
        let checked = Set(Self.seedScenarios + Self.batchIncidents + Self.rbacIncidents + Self.tokenIncidents + Self.groupIncidents
                          + Self.variationIncidents)
        XCTAssertEqual(Set(try Self.manifests().map(\.0)), checked)
    }

    /// Every catalog code has an incident that expects it: as a primary diagnosis, as a contributing finding, or
    /// (`unexplained`) as an unexplained failure.
    func testEveryDiagnosisCodeHasAnIncident() throws {
        let manifests = try Self.manifests()
        var expected: Set<String> = []
        for (_, manifest) in manifests {
            for episode in manifest.expect.episodes { expected.insert(episode.diagnosis); expected.formUnion(episode.contributing) }
            if manifest.expect.unexplained > 0 { expected.insert(DiagnosisCode.unexplained.rawValue) }
        }
        for code in DiagnosisCode.allCases {
            XCTAssertTrue(expected.contains(code.rawValue), "no fixture incident expects \(code.rawValue)")
        }
    }

    /// The seed's scenario 1 (correct configuration, sufficient role) is no failure at all.
    func testSeedScenarioOneHasNoEpisode() throws {
        for name in ["seed-app-packages-1", "seed-resource-files-1"] {
            let (workspace, db) = try ingest(name)
            defer { try? FileManager.default.removeItem(at: workspace) }
            let run = try Mitrail.run(["explain"], db: db, currentDirectory: workspace)
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertEqual(run.stdout, "No failures in the evidence.\n", name)
        }
    }

    /// --pool keeps the failures placed in the pool, also agent log lines that name it only in their first line.
    func testPoolFilterKeepsFailuresPlacedInThePool() throws {
        let (workspace, db) = try ingest("node-identity-reference-missing")
        defer { try? FileManager.default.removeItem(at: workspace) }
        func count(_ arguments: [String]) throws -> Int {
            let run = try Mitrail.run(["explain", "--format", "json"] + arguments, db: db, currentDirectory: workspace)
            let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
            return (object?["episodes"] as? [[String: Any]] ?? []).reduce(0) { $0 + ($1["failureCount"] as? Int ?? 0) }
        }
        XCTAssertEqual(try count(["--pool", "pool-fixture"]), try count([]))
        XCTAssertEqual(try count(["--pool", "another-pool"]), 0)
    }

    // MARK: Support

    /// Copies the incident to a fresh directory and ingests it step by step, with relative paths.
    func ingest(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> (URL, URL) {
        try IncidentWorkspace.ingest(name)
    }

    func checkIncident(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let manifest = try XCTUnwrap(try Self.manifests().first { $0.0 == name }?.1, "no manifest for \(name)", file: file, line: line)
        let (workspace, db) = try ingest(name, file: file, line: line)
        defer { try? FileManager.default.removeItem(at: workspace) }
        let expectedStatus: Int32 = manifest.expect.unexplained > 0 ? 1 : 0

        let json = try Mitrail.run(["explain", "--format", "json"], db: db, currentDirectory: workspace)
        XCTAssertEqual(json.status, expectedStatus, "\(name): explain --format json exit status; \(json.stderr)", file: file, line: line)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], name, file: file, line: line)
        let episodes = object["episodes"] as? [[String: Any]] ?? []
        let actual = episodes.map { episode in
            Manifest.ExpectedEpisode(diagnosis: episode["diagnosis"] as? String ?? "?", status: episode["status"] as? String ?? "?",
                                     contributing: episode["contributing"] as? [String] ?? [])
        }
        XCTAssertEqual(actual, manifest.expect.episodes, "\(name): episodes", file: file, line: line)
        for (expected, episode) in zip(manifest.expect.episodes, episodes) {
            if let count = expected.failureCount {
                XCTAssertEqual(episode["failureCount"] as? Int, count, "\(name): \(expected.diagnosis) failure count", file: file, line: line)
            }
            if let time = expected.resolvedAt {
                XCTAssertEqual(episode["resolvedAt"] as? String, time, "\(name): \(expected.diagnosis) resolved at", file: file, line: line)
            }
            let identity = episode["identity"] as? [String: Any] ?? [:]
            for (key, value) in expected.identity ?? [:] {
                XCTAssertEqual((identity[key] as? String)?.lowercased(), value.lowercased(), "\(name): \(expected.diagnosis) identity \(key)", file: file, line: line)
            }
            if let inferred = expected.identityInferred {
                XCTAssertEqual(identity["inferredFrom"] is String, inferred, "\(name): \(expected.diagnosis) identity inferred", file: file, line: line)
            }
        }
        let unexplained = object["unexplained"] as? [[String: Any]] ?? []
        XCTAssertEqual(unexplained.count, manifest.expect.unexplained, "\(name): unexplained groups", file: file, line: line)
        if let words = manifest.expect.unexplainedMissingEvidence {
            let missing = unexplained.first?["missingEvidence"] as? [String] ?? []
            XCTAssertTrue(missing.first?.contains(words) == true, "\(name): missing evidence \(missing) should name \(words)", file: file, line: line)
        }
        for episode in episodes {
            // Every episode points at its evidence and, unless the evidence cannot say, proposes a fix.
            XCTAssertFalse((episode["evidence"] as? [Any] ?? []).isEmpty, "\(name): an episode without evidence", file: file, line: line)
            XCTAssertNotNil(episode["fix"] as? String, "\(name): \(episode["diagnosis"] ?? "?") without a fix", file: file, line: line)
            if episode["status"] as? String == "resolved" {
                XCTAssertNotNil(episode["resolvedBy"] as? String, "\(name): resolved without saying by what", file: file, line: line)
            }
        }
        try assertGolden("\(name).json", json.stdout, file: file, line: line)

        let text = try Mitrail.run(["explain"], db: db, currentDirectory: workspace)
        XCTAssertEqual(text.status, expectedStatus, "\(name): explain exit status; \(text.stderr)", file: file, line: line)
        try assertGolden("\(name).txt", text.stdout, file: file, line: line)
    }

    func assertGolden(_ name: String, _ output: String, file: StaticString, line: UInt) throws {
        let golden = TestPaths.golden.appendingPathComponent("explain/\(name)")
        if TestPaths.recordingGolden {
            try FileManager.default.createDirectory(at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
            try output.write(to: golden, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        XCTAssertEqual(output, expected, "\(name) changed (MITRAIL_RECORD_GOLDEN=1 re-records it; read the diff first)", file: file, line: line)
    }
}
