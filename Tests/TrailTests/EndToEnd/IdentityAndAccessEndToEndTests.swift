import Foundation
import XCTest

/// `identities`, `changes` and `access` through the built binary on the rbac-over-time incident
/// (a user-assigned identity re-created between two snapshots), with golden outputs.
final class IdentityAndAccessEndToEndTests: XCTestCase {
    static let account = "/subscriptions/00000000-0000-0000-0000-0000000000f1/resourceGroups/rg-fixture/providers/Microsoft.Storage/storageAccounts/stfixture"
    static let blobRead = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"
    var workspace: URL!
    var db: URL!

    override func setUpWithError() throws {
        workspace = TestPaths.temporaryDirectory(name)
        db = workspace.appendingPathComponent("store.db")
        let incident = TestPaths.fixtures.appendingPathComponent("incidents/rbac-over-time")
        for item in try FileManager.default.contentsOfDirectory(atPath: incident.path) {
            try FileManager.default.copyItem(at: incident.appendingPathComponent(item), to: workspace.appendingPathComponent(item))
        }
        for (paths, time) in [(["morning"], "2026-03-04T09:00:00Z"), (["afternoon"], "2026-03-04T14:00:00Z"), (["activity-log.json"], nil)] {
            let run = try Mitrail.run(["ingest"] + paths + (time.map { ["--observed-at", $0] } ?? []), db: db, currentDirectory: workspace)
            XCTAssertEqual(run.status, 0, run.stderr)
        }
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: workspace)
    }

    /// Runs a command and compares its output with `Golden/rbac/NAME`.
    func assertGolden(_ name: String, _ arguments: [String], status: Int32 = 0, file: StaticString = #filePath, line: UInt = #line) throws {
        let run = try Mitrail.run(arguments, db: db, currentDirectory: workspace)
        XCTAssertEqual(run.status, status, run.stderr, file: file, line: line)
        let golden = TestPaths.golden.appendingPathComponent("rbac/\(name)")
        if TestPaths.recordingGolden {
            try FileManager.default.createDirectory(at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
            try run.stdout.write(to: golden, atomically: true, encoding: .utf8)
            return
        }
        XCTAssertEqual(run.stdout, try String(contentsOf: golden, encoding: .utf8), "\(name) changed", file: file, line: line)
    }

    func testIdentitiesShowBothGenerationsOfTheRecreatedIdentity() throws {
        try assertGolden("identities.txt", ["identities"])
        try assertGolden("identities.json", ["identities", "--format", "json"])
    }

    func testChangesShowTheHistoryWithItsUncertainty() throws {
        try assertGolden("changes.txt", ["changes"])
        try assertGolden("changes-principal-a2.json", ["changes", "--principal", "00000000-0000-0000-0000-0000000000A2", "--format", "json"])
        try assertGolden("changes-since-noon.txt", ["changes", "--since", "2026-03-04T10:00:00Z", "--scope", Self.account])
    }

    func testAccessVerdictsOverTheDay() throws {
        // In force until its delete at 11:00.
        try assertGolden("access-a1-1030.txt", ["access", "--principal", "00000000-0000-0000-0000-0000000000a1", "--data-action", Self.blobRead,
                                                "--scope", Self.account + "/blobServices/default/containers/appdata", "--at", "2026-03-04T10:30:00Z"])
        // Deleted, and the 14:00 list covers the time: a definite no, naming the old principal's Contributor as control-plane only.
        try assertGolden("access-a1-1130.txt", ["access", "--principal", "00000000-0000-0000-0000-0000000000a1", "--data-action", Self.blobRead,
                                                "--scope", Self.account, "--at", "2026-03-04T11:30:00Z"], status: 1)
        // The re-created identity's new principal before its own assignment existed.
        try assertGolden("access-a2-1130.json", ["access", "--principal", "00000000-0000-0000-0000-0000000000a2", "--data-action", Self.blobRead,
                                                 "--scope", Self.account, "--at", "2026-03-04T11:30:00Z", "--format", "json"], status: 1)
        // By name, after the last snapshot: granted by the 12:00 assignment, not ended in the evidence.
        try assertGolden("access-uami-1500.txt", ["access", "--identity", "uami-pool", "--data-action", Self.blobRead,
                                                  "--scope", Self.account, "--at", "2026-03-04T15:00:00Z"])
        // Before any snapshot: unknown, naming the evidence that would settle it.
        try assertGolden("access-a1-0800.txt", ["access", "--principal", "00000000-0000-0000-0000-0000000000a1", "--data-action", Self.blobRead,
                                                "--scope", Self.account, "--at", "2026-03-04T08:30:00Z"], status: 1)
    }

    func testAccessUsageErrors() throws {
        let both = try Mitrail.run(["access", "--principal", "x", "--identity", "y", "--action", "a", "--scope", "/"], db: db)
        XCTAssertEqual(both.status, 2)
        XCTAssertTrue(both.stderr.contains("Please give either --principal or --identity"), both.stderr)
        let unknown = try Mitrail.run(["access", "--identity", "nope", "--action", "a", "--scope", "/"], db: db)
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("No identity named 'nope'"), unknown.stderr)
    }
}
