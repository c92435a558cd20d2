import Foundation
import XCTest

/// Entra group membership through the built binary, on the group fixture incidents: `access` with the path through
/// nested groups, `identities` with each identity's groups, `changes` with membership changes, the named queries,
/// and `ingest --group` by display name. Golden outputs in Golden/groups/ and Golden/queries/.
final class GroupMembershipEndToEndTests: XCTestCase {
    static let group = "/subscriptions/00000000-0000-0000-0000-0000000000f1/resourceGroups/rg-fixture"
    static let container = group + "/providers/Microsoft.Storage/storageAccounts/stfixture/blobServices/default/containers/input"
    static let blobRead = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"
    static let uami = "00000000-0000-0000-0000-0000000000a1"
    var workspaces: [URL] = []

    override func tearDownWithError() throws {
        for workspace in workspaces { try? FileManager.default.removeItem(at: workspace) }
    }

    /// Copies an incident and ingests it as its manifest says; returns the workspace and the store.
    func ingest(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> (URL, URL) {
        struct Manifest: Decodable {
            struct Step: Decodable { var paths: [String]; var observedAt: String?; var options: [String]? }
            var ingest: [Step]
        }
        let source = TestPaths.fixtures.appendingPathComponent("incidents/\(name)")
        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: source.appendingPathComponent("incident.json")))
        let workspace = TestPaths.temporaryDirectory("groups-\(name)")
        workspaces.append(workspace)
        for item in try FileManager.default.contentsOfDirectory(atPath: source.path) where item != "incident.json" && item != "README.md" {
            try FileManager.default.copyItem(at: source.appendingPathComponent(item), to: workspace.appendingPathComponent(item))
        }
        let db = workspace.appendingPathComponent("store.db")
        for step in manifest.ingest {
            let run = try Mitrail.run(["ingest"] + step.paths + (step.observedAt.map { ["--observed-at", $0] } ?? []) + (step.options ?? []),
                                      db: db, currentDirectory: workspace)
            XCTAssertEqual(run.status, 0, "\(name): \(run.stdout) \(run.stderr)", file: file, line: line)
        }
        return (workspace, db)
    }

    func assertGolden(_ golden: String, _ arguments: [String], in store: (URL, URL), status: Int32 = 0,
                      file: StaticString = #filePath, line: UInt = #line) throws {
        let run = try Mitrail.run(arguments, db: store.1, currentDirectory: store.0)
        XCTAssertEqual(run.status, status, run.stderr, file: file, line: line)
        try GoldenFile.assert(run.stdout, matches: golden, file: file, line: line)
    }

    func testAccessShowsThePathThroughNestedGroups() throws {
        let store = try ingest("group-membership-nested")
        let arguments = ["access", "--identity", "uami-nodes", "--data-action", Self.blobRead, "--scope", Self.container, "--at", "2026-03-04T09:10:00Z"]
        try assertGolden("groups/access-nested.txt", arguments, in: store)
        try assertGolden("groups/access-nested.json", arguments + ["--format", "json"], in: store)
        let run = try Mitrail.run(arguments + ["--format", "json"], db: store.1)
        let verdict = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let via = (verdict["assignments"] as? [[String: Any]])?.compactMap { $0["viaGroup"] as? [String: Any] }.first
        XCTAssertEqual(via?["membership"] as? String, "member")
        XCTAssertEqual((via?["path"] as? [[String: Any]])?.map { $0["groupId"] as? String },
                       ["00000000-0000-0000-0000-0000000000d2", "00000000-0000-0000-0000-0000000000d1"])
    }

    func testAccessWithoutMembershipEvidenceIsUnknownAndNamesTheCheck() throws {
        let store = try ingest("group-membership-unknown")
        try assertGolden("groups/access-unknown.txt", ["access", "--principal", Self.uami, "--data-action", Self.blobRead,
                                                       "--scope", Self.container, "--at", "2026-03-04T09:10:00Z"], in: store, status: 1)
    }

    func testIdentitiesListTheirGroups() throws {
        try assertGolden("groups/identities-nested.txt", ["identities"], in: try ingest("group-membership-nested"))
        try assertGolden("groups/identities-added.json", ["identities", "--format", "json"], in: try ingest("group-membership-added"))
    }

    func testChangesShowMembershipChangesAndThePath() throws {
        let store = try ingest("group-membership-added")
        try assertGolden("groups/changes-principal-a1.txt", ["changes", "--principal", Self.uami], in: store)
        try assertGolden("groups/changes.json", ["changes", "--format", "json"], in: store)
    }

    func testNamedQueries() throws {
        let store = try ingest("group-membership-added")
        try assertGolden("queries/group_memberships.txt", ["query", "group_memberships"], in: store)
        try assertGolden("queries/assignments_via_groups.txt", ["query", "assignments_via_groups", "--format", "csv"], in: store)
        try assertGolden("queries/group_membership_evidence.txt", ["query", "group_membership_evidence", "--format", "csv"], in: store)
        let one = try Mitrail.run(["query", "group_memberships", "--param", "principal=00000000-0000-0000-0000-0000000000A2", "--format", "ndjson"],
                                  db: store.1)
        XCTAssertEqual(one.status, 0, one.stderr)
        let rows = one.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        XCTAssertEqual(rows.map { $0["principal_id"] as? String }, ["00000000-0000-0000-0000-0000000000a2"])
        XCTAssertEqual(rows.first?["group_name"] as? String, "grp-storage-readers")
    }

    /// `--group NAME` names the group of a bare list by its display name, which the role assignments tie to an ID;
    /// a list with no group at all is kept as an unnamed group's, and said so.
    func testIngestNamesTheGroupByDisplayNameOrSaysItIsUnnamed() throws {
        let store = try ingest("group-membership-unknown")
        let list = store.0.appendingPathComponent("members.json")
        try Data(##"[{"@odata.type": "#microsoft.graph.servicePrincipal", "id": "00000000-0000-0000-0000-0000000000a1", "displayName": "uami-nodes"}]"##.utf8)
            .write(to: list)
        let unnamed = try Mitrail.run(["ingest", list.path, "--observed-at", "2026-03-04T08:00:00Z"], db: store.1)
        XCTAssertEqual(unnamed.status, 0, unnamed.stderr)
        let identities = try Mitrail.run(["identities"], db: store.1)
        XCTAssertTrue(identities.stdout.contains("an unnamed group (the list \(list.path) does not name it)"), identities.stdout)
        let access = ["access", "--principal", Self.uami, "--data-action", Self.blobRead, "--scope", Self.container, "--at", "2026-03-04T09:10:00Z"]
        XCTAssertEqual(try Mitrail.run(access, db: store.1).status, 1, "an unnamed group's list grants nothing")

        try Data("\n".utf8).append(to: list)
        let named = try Mitrail.run(["ingest", list.path, "--observed-at", "2026-03-04T08:00:00Z", "--group", "GRP-Storage-Readers"], db: store.1)
        XCTAssertEqual(named.status, 0, named.stderr)
        let granted = try Mitrail.run(access, db: store.1)
        XCTAssertEqual(granted.status, 0, granted.stdout)
        XCTAssertTrue(granted.stdout.contains("→ member of group grp-storage-readers (00000000-0000-0000-0000-0000000000d1): direct member"), granted.stdout)
    }
}

private extension Data {
    func append(to url: URL) throws {
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: self)
    }
}
