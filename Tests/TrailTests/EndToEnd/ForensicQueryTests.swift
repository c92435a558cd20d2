import Foundation
import TrailStore
import XCTest

/// Every named query runs on the forensics incident (see its README) and returns what the evidence says.
final class ForensicQueryTests: XCTestCase {
    static let subscription = "/subscriptions/00000000-0000-0000-0000-0000000000f1"
    static let storage = subscription + "/resourceGroups/rg-forensics/providers/Microsoft.Storage/storageAccounts/stforensics"
    static let uamiTasks = subscription + "/resourceGroups/rg-forensics/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uami-tasks"
    static let uamiNodes = subscription + "/resourceGroups/rg-forensics/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uami-nodes"
    static let node1 = "tvmps_" + String(repeating: "0", count: 61) + "f01_d"
    static let node2 = "tvmps_" + String(repeating: "0", count: 61) + "f02_d"
    static let node3 = "tvmps_" + String(repeating: "0", count: 61) + "f03_d"

    /// The queries these tests cover (the group membership ones in `GroupMembershipEndToEndTests`, on the group
    /// incidents); a new query without a test fails `testEveryNamedQueryIsTested`.
    static let tested: Set<String> = [
        "agent_log_markers", "assignments_covering_scope", "control_plane_only_identities", "episode_evidence",
        "evidence_by_kind", "failures_by_code_per_hour", "failures_without_role_evidence", "identities_with_several_principals",
        "identity_activity", "identity_observations", "imds_request_rate", "node_identity_not_in_pool", "nodes_stuck_starting",
        "orphaned_role_assignments", "rejects_by_source", "role_assignment_changes", "role_assignment_evidence",
        "role_definitions_in_force", "source_time_spans", "storage_403_by_principal", "task_failures", "timeline_window",
        "token_requests_by_node_and_identity", "failure_records", "configuration_snapshots", "successful_token_requests",
        "required_permissions", "timeline_events", "source_list", "group_membership_evidence", "group_memberships",
        "assignments_via_groups", "successful_operations",
    ]

    static func id(_ suffix: String) -> String { "00000000-0000-0000-0000-" + String(repeating: "0", count: 12 - suffix.count) + suffix }

    func rows(_ name: String, _ parameters: [String: String] = [:]) throws -> [[String: String]] {
        try ForensicsIncident.rows(name, parameters)
    }

    func testEveryNamedQueryIsTested() {
        XCTAssertEqual(Set(NamedQuery.all.map(\.name)), Self.tested)
        XCTAssertGreaterThanOrEqual(NamedQuery.all.count, 20)
    }

    /// The views read records' own fields: one failure row per failing record, one token request row per exchange.
    func testViewsOnTheIncident() throws {
        let store = try EvidenceStore(path: try ForensicsIncident.database().path, mode: .readOnly)
        var failures: [String: String] = [:]
        try store.runReadOnly(sql: "SELECT kind, count(*) FROM failures GROUP BY kind", columns: { _ in }) { failures[$0[0].displayText] = $0[1].displayText }
        XCTAssertEqual(failures, ["azure:imds:token-request": "5", "azure:storage:blob-log": "5", "azure:batch:agent-log-line": "4",
                                  "azure:arm:error": "1", "azure:batch:node": "1", "azure:batch:task": "2"])
        var imds: [String] = []
        try store.runReadOnly(sql: """
            SELECT code, status, node, pool, principal_id, client_id, identity_resource_id, target, message, source, line
            FROM failures WHERE kind = 'azure:imds:token-request' ORDER BY time LIMIT 1
            """, columns: { _ in }) { imds = $0.map(\.displayText) }
        XCTAssertEqual(imds, ["invalid_request", "400", Self.node2, "pool-a", "", "", Self.uamiTasks, "https://storage.azure.com/",
                              "Identity not found", "logs/token-requests.jsonl", "3"])
        var tokens: [[String]] = []
        try store.runReadOnly(sql: """
            SELECT outcome, client_id, principal_id, requested_identity, metadata_header, token_fingerprint IS NOT NULL
            FROM token_requests ORDER BY time LIMIT 4
            """, columns: { _ in }) { tokens.append($0.map(\.displayText)) }
        XCTAssertEqual(tokens, [["ok", Self.id("b8"), Self.id("a8"), "mi_res_id=" + Self.uamiTasks, "1", "1"],
                                ["ok", Self.id("b1"), Self.id("a1"), "client_id=" + Self.id("b1"), "1", "1"],
                                ["error", "", "", "mi_res_id=" + Self.uamiTasks, "1", "0"],
                                ["error", Self.id("b1"), "", "client_id=" + Self.id("b1"), "0", "0"]])
    }

    func testEvidenceByKindAndSourceTimeSpans() throws {
        let kinds = try rows("evidence_by_kind")
        XCTAssertEqual(kinds.first { $0["kind"] == "azure:imds:token-request" }?["records"], "10")
        XCTAssertEqual(kinds.first { $0["kind"] == "azure:rbac:role-assignment" }?["records"], "6")
        let sources = try rows("source_time_spans")
        XCTAssertEqual(sources.count, 13)
        let blobs = try XCTUnwrap(sources.first { $0["path"] == "logs/storage-blob-logs.json" })
        XCTAssertEqual(blobs["first_time"], "2026-03-04T10:06:00.000Z")
        XCTAssertEqual(blobs["last_time"], "2026-03-04T12:30:00.000Z")
        XCTAssertEqual(blobs["kinds"], "azure:storage:blob-log")
        XCTAssertEqual(sources.first { $0["path"] == "logs/token-requests.jsonl" }?["rejected"], "1")
    }

    /// The sources in ingest order, as `mitrail sources` (and the report's appendix) list them.
    func testSourceList() throws {
        let sources = try rows("source_list")
        XCTAssertEqual(sources.count, 13)
        let ids = sources.compactMap { $0["id"].flatMap { Int($0) } }
        XCTAssertEqual(ids, ids.sorted())
        XCTAssertEqual(ids.count, 13)
        let tokens = try XCTUnwrap(sources.first { $0["path"] == "logs/token-requests.jsonl" })
        XCTAssertEqual(tokens["format"], "mitrail-token-requests")
        XCTAssertEqual(tokens["records_rejected"], "1")
        XCTAssertEqual(tokens["observed_at_origin"], "option")
        XCTAssertEqual(tokens["status"], "complete")
        XCTAssertEqual(tokens["parent_id"], "")
        XCTAssertEqual(tokens["sha256"]?.count, 64)
    }

    func testRejectsBySource() throws {
        let rejects = try rows("rejects_by_source")
        XCTAssertEqual(rejects.count, 1)
        XCTAssertEqual(rejects.first?["source"], "logs/token-requests.jsonl")
        XCTAssertEqual(rejects.first?["first_line"], "11")
        XCTAssertEqual(rejects.first?["rejects"], "1")
    }

    func testFailuresByCodePerHour() throws {
        let hours = try rows("failures_by_code_per_hour")
        let imds = try XCTUnwrap(hours.first { $0["hour"] == "2026-03-04T10:00Z" && $0["kind"] == "azure:imds:token-request" })
        XCTAssertEqual(imds["code"], "invalid_request")
        XCTAssertEqual(imds["failures"], "5", "two 400s and three 429s")
        XCTAssertEqual(imds["nodes"], "2")
        let blobs = hours.filter { $0["kind"] == "azure:storage:blob-log" }.map { [$0["hour"]!, $0["failures"]!] }
        XCTAssertEqual(blobs, [["2026-03-04T10:00Z", "4"], ["2026-03-04T12:00Z", "1"]])
        XCTAssertTrue(hours.contains { $0["kind"] == "azure:batch:node" && $0["code"] == "starting" })
        let window = try rows("failures_by_code_per_hour", ["since": "2026-03-04T11:00:00Z", "until": "2026-03-04T12:00:00Z"])
        XCTAssertEqual(window.map { $0["code"] }, ["TvmJoinPoolInProgress"])
        XCTAssertEqual(window.first?["failures"], "2")
    }

    func testTokenRequestsByNodeAndIdentity() throws {
        let groups = try rows("token_requests_by_node_and_identity")
        XCTAssertEqual(groups.count, 6)
        let throttled = try XCTUnwrap(groups.first { $0["status"] == "429" })
        XCTAssertEqual(throttled["node"], Self.node1)
        XCTAssertEqual(throttled["requested_identity"], "client_id=" + Self.id("b1"))
        XCTAssertEqual(throttled["requests"], "3")
        let notFound = try XCTUnwrap(groups.first { $0["node"] == Self.node2 && $0["status"] == "400" && $0["requested_identity"]!.hasPrefix("mi_res_id=") })
        XCTAssertEqual(notFound["requested_identity"], "mi_res_id=" + Self.uamiTasks)
        XCTAssertEqual(notFound["error_codes"], "invalid_request")
    }

    func testIMDSRequestRateShowsTheThrottledMinute() throws {
        let minutes = try rows("imds_request_rate", ["node": Self.node1])
        XCTAssertEqual(minutes.map { $0["minute"] }, ["2026-03-04T10:00:00Z", "2026-03-04T10:20:00Z"])
        let busy = minutes[1]
        XCTAssertEqual([busy["requests"], busy["ok"], busy["throttled"], busy["errors"], busy["busiest_second"]], ["5", "2", "3", "0", "4"])
        XCTAssertEqual(try rows("imds_request_rate").count, 5)
    }

    func testIdentityActivityFollowsTheClientIDToItsPrincipalAndRoles() throws {
        let activity = try rows("identity_activity", ["identity": Self.id("B1"), "since": "2026-03-04T10:00:00Z", "until": "2026-03-04T12:00:00Z"])
        let kinds = activity.map { [$0["activity"]!, $0["kind"]!] }
        XCTAssertTrue(kinds.contains(["role delete", "azure:rbac:role-assignment"]), "the principal's data role deleted at 10:05")
        XCTAssertEqual(activity.filter { $0["kind"] == "azure:storage:blob-log" }.count, 4, "403s name the principal only")
        XCTAssertEqual(activity.filter { $0["status"] == "429" }.count, 3)
        XCTAssertTrue(activity.contains { $0["kind"] == "azure:batch:task" && $0["code"] == "ResourceContainerAccessDenied" },
                      "task-1's resource files use uami-nodes")
        XCTAssertFalse(activity.contains { ($0["time"] ?? "") >= "2026-03-04T12:00:00.000Z" })
        XCTAssertFalse(activity.contains { $0["detail"]?.contains("Identity not found") ?? false }, "that request named uami-tasks")
        let all = try rows("identity_activity", ["identity": Self.uamiNodes])
        XCTAssertTrue(all.contains { $0["activity"] == "role snapshot" && $0["detail"] == "Contributor" })
        XCTAssertTrue(all.contains { $0["kind"] == "azure:batch:pool" && $0["detail"] == "pool batchforensics/pool-a" })
    }

    func testRoleAssignmentChangesAndWhoMadeThem() throws {
        let changes = try rows("role_assignment_changes", ["since": "2026-03-04", "until": "2026-03-05"])
        XCTAssertEqual(changes.map { $0["change"] }, ["delete", "write", "created (snapshot)"])
        XCTAssertEqual(changes[0]["made_by"], "admin@example.com")
        XCTAssertEqual(changes[0]["role_name"], "Storage Blob Data Reader")
        XCTAssertEqual(changes[0]["principal_id"], Self.id("a1"))
        XCTAssertEqual(changes[1]["status"], "Succeeded")
        XCTAssertEqual(changes[2]["time"], "2026-03-04T10:40:05.000Z")
        XCTAssertEqual(changes[2]["made_by"], Self.id("d1"))
        XCTAssertEqual(try rows("role_assignment_changes").count, 8)
    }

    func testControlPlaneOnlyIdentitiesOnAutostorage() throws {
        let holders = try rows("control_plane_only_identities")
        XCTAssertEqual(holders.map { [$0["holder_kind"]!, $0["holder"]!, $0["principal_id"]!] },
                       [["pool", "batchforensics/pool-a", Self.id("a1")], ["account", "batchforensics", Self.id("a5")]])
        XCTAssertEqual(holders[0]["roles"], "Contributor,Reader")
        XCTAssertEqual(holders[0]["storage_account_id"], Self.storage)
        XCTAssertEqual(holders[1]["roles"], "Storage Account Contributor")
    }

    func testNodesStuckStarting() throws {
        let nodes = try rows("nodes_stuck_starting")
        XCTAssertEqual(nodes.count, 1)
        let node = try XCTUnwrap(nodes.first)
        XCTAssertEqual(node["node"], Self.node3)
        XCTAssertEqual(node["pool"], "pool-b")
        XCTAssertEqual(node["first_seen_starting"], "2026-03-04T10:29:00.000Z", "the node JSON's state transition")
        XCTAssertEqual(node["last_seen_starting"], "2026-03-04T12:00:00.000Z", "still starting when the node list was taken")
        XCTAssertEqual(node["minutes"], "91.0")
        XCTAssertEqual(node["agent_log_lines"], "4")
    }

    func testOrphanedRoleAssignments() throws {
        let orphans = try rows("orphaned_role_assignments")
        XCTAssertEqual(orphans.map { $0["assignment_name"] }, [Self.id("c4")])
        XCTAssertEqual(orphans.first?["principal_id"], Self.id("a7"))
        XCTAssertEqual(orphans.first?["role_name"], "Storage Blob Data Contributor")
    }

    func testIdentitiesWithSeveralPrincipals() throws {
        let generations = try rows("identities_with_several_principals")
        XCTAssertEqual(generations.map { $0["principal_id"] }, [Self.id("a8"), Self.id("a2")])
        XCTAssertEqual(Set(generations.map { $0["identity_resource_id"]!.lowercased() }), [Self.uamiTasks.lowercased()])
        XCTAssertEqual(generations[0]["client_ids"], Self.id("b8"))
        XCTAssertEqual(generations[0]["last_seen"], "2026-03-04T09:00:00.000Z", "the old principal's last token")
    }

    func testFailuresWithoutRoleEvidence() throws {
        let uncovered = try rows("failures_without_role_evidence")
        XCTAssertEqual(uncovered.map { $0["kind"] }, ["azure:arm:error", "azure:storage:blob-log"])
        XCTAssertEqual(uncovered[0]["subscription_id"], Self.id("f2"), "no role assignment list of that subscription")
        XCTAssertEqual(uncovered[1]["time"], "2026-03-04T12:30:00.000Z", "after the last role assignment list")
        XCTAssertEqual(try rows("failures_without_role_evidence", ["until": "2026-03-04T12:00:00Z"]).count, 1)
    }

    func testEpisodeEvidence() throws {
        let evidence = try rows("episode_evidence", ["code": "AuthorizationPermissionMismatch", "identity": Self.id("a1"),
                                                     "until": "2026-03-04T12:00:00Z"])
        XCTAssertEqual(evidence.map { $0["evidence"] },
                       ["role delete", "failure", "failure", "failure", "failure", "role snapshot", "role snapshot"])
        XCTAssertEqual(evidence[0]["detail"], "Storage Blob Data Reader by admin@example.com")
        XCTAssertEqual(evidence[1]["kind"], "azure:storage:blob-log")
        XCTAssertEqual(try rows("episode_evidence", ["kind": "azure:batch:task"]).map { $0["code"] },
                       ["ResourceContainerAccessDenied", "ResourceContainerListMiscError"])
    }

    func testNodeIdentityNotInPool() throws {
        let references = try rows("node_identity_not_in_pool")
        XCTAssertEqual(references.map { [$0["pool"]!, $0["reference_kind"]!] },
                       [["pool-a", "task task-2 resource file identity"], ["pool-b", "autostorage node identity reference"]])
        XCTAssertEqual(references[0]["identity_resource_id"], Self.uamiTasks)
        XCTAssertEqual(references[1]["identity_resource_id"], Self.uamiNodes)
        XCTAssertEqual(references[1]["pool_identities"], Self.uamiTasks)
        XCTAssertEqual(references[1]["reference_source"], "after/batch-account.json")
    }

    func testStorage403ByPrincipal() throws {
        let refusals = try rows("storage_403_by_principal")
        XCTAssertEqual(refusals.map { [$0["principal_id"]!, $0["storage_account"]!, $0["container"]!, $0["failures"]!] },
                       [[Self.id("a1"), "stforensics", "input", "4"], [Self.id("a1"), "stforensics", "output", "1"]])
        XCTAssertEqual(refusals[0]["code"], "AuthorizationPermissionMismatch")
        XCTAssertEqual(refusals[0]["client_id"], Self.id("b1"))
    }

    func testTaskFailures() throws {
        let tasks = try rows("task_failures", ["since": "2026-03-04T10:00:00Z"])
        XCTAssertEqual(tasks.map { $0["task"] }, ["task-1", "task-2"])
        XCTAssertEqual(tasks[0]["node"], Self.node2)
        XCTAssertEqual(tasks[0]["container"], "input")
        XCTAssertEqual(tasks[1]["identity_resource_id"], Self.uamiTasks)
        XCTAssertEqual(tasks[1]["category"], "usererror")
    }

    func testAssignmentsCoveringScope() throws {
        let container = Self.storage.uppercased() + "/blobServices/default/containers/input"
        let covering = try rows("assignments_covering_scope", ["scope": container])
        XCTAssertEqual(covering.first?["role_name"], "Owner", "the subscription scope first")
        XCTAssertEqual(covering.count, 8)
        XCTAssertTrue(covering.contains { $0["evidence"] == "delete" && $0["principal_id"] == Self.id("a1") })
        let reader = try XCTUnwrap(covering.first { $0["evidence"] == "snapshot" && $0["role_name"] == "Storage Blob Data Reader" })
        XCTAssertTrue(reader["data_actions"]?.contains("blobs/read") ?? false)
        let resourceGroup = try rows("assignments_covering_scope", ["scope": Self.subscription + "/resourceGroups/rg-forensics/"])
        XCTAssertEqual(resourceGroup.map { $0["role_name"] }, ["Owner", "Reader"])
    }

    func testTimelineWindow() throws {
        let records = try rows("timeline_window", ["since": "2026-03-04T10:05", "until": "2026-03-04T10:07:30Z"])
        XCTAssertEqual(records.map { $0["kind"] }, ["azure:activitylog:event", "azure:storage:blob-log", "azure:storage:blob-log"])
        XCTAssertEqual(records[1]["failure_code"], "AuthorizationPermissionMismatch")
        XCTAssertEqual(records[0]["failure_code"], "")
        let imds = try rows("timeline_window", ["since": "2026-03-04", "until": "2026-03-05", "kind": "azure:imds:token-request"])
        XCTAssertEqual(imds.count, 10)
    }

    func testQueriesThatCodeReads() throws {
        XCTAssertEqual(try rows("agent_log_markers").map { [$0["marker"]!, $0["node"]!, $0["lines"]!] },
                       [["TvmJoinPoolInProgress", Self.node3, "4"]])
        let observations = try rows("identity_observations")
        XCTAssertTrue(observations.contains { $0["attached_kind"] == "node-identity-reference" && $0["resource_id"] == Self.uamiNodes })
        XCTAssertTrue(observations.contains { $0["attached_kind"] == "token" && $0["principal_id"] == Self.id("a8") })
        let evidence = try rows("role_assignment_evidence")
        XCTAssertEqual(evidence.map { $0["evidence"] }, ["delete", "write"] + Array(repeating: "snapshot", count: 6))
        XCTAssertEqual(evidence[0]["caller"], "admin@example.com")
        let definitions = try rows("role_definitions_in_force")
        XCTAssertEqual(definitions.count, 13)
    }

    /// The queries explain and timeline read: failures with their explain fields, configuration, successes, permissions.
    func testQueriesThatExplainReads() throws {
        let failures = try rows("failure_records")
        let store = try EvidenceStore(path: try ForensicsIncident.database().path, mode: .readOnly)
        var viewCount = ""
        try store.runReadOnly(sql: "SELECT count(*) FROM failures", columns: { _ in }) { viewCount = $0[0].displayText }
        XCTAssertEqual(String(failures.count), viewCount, "explain reads exactly the failures view")
        XCTAssertTrue(failures.contains { $0["kind"] == "azure:batch:task" && $0["code"] == "ResourceContainerAccessDenied" && $0["autostorage_container"] != "" })
        let configuration = try rows("configuration_snapshots")
        XCTAssertEqual(configuration.filter { $0["kind"] == "azure:batch:account" }.map { $0["node_identity_reference"] }, [Self.uamiNodes])
        XCTAssertEqual(Set(configuration.filter { $0["kind"] == "azure:batch:pool" }.compactMap { $0["pool"] }), ["pool-a", "pool-b"])
        XCTAssertFalse(try rows("successful_token_requests").isEmpty)
        // The 200 in the storage logs and the Activity Log's succeeded writes; no failure, no IMDS token request.
        let successes = try rows("successful_operations")
        XCTAssertEqual(successes.filter { $0["kind"] == "azure:storage:blob-log" }.map { $0["status"] }, ["200"])
        XCTAssertTrue(successes.contains { $0["kind"] == "azure:activitylog:event" })
        XCTAssertFalse(successes.contains { $0["kind"] == "azure:imds:token-request" || Int($0["status"] ?? "") ?? 0 >= 300 })
        let permissions = try rows("required_permissions")
        XCTAssertEqual(permissions.first { $0["operation"] == "resource-files-from-container" }?["least_privilege_role"], "Storage Blob Data Reader")
        let poolEvents = try rows("timeline_events", ["pool": "pool-b"])
        XCTAssertFalse(poolEvents.isEmpty)
        XCTAssertTrue(poolEvents.allSatisfy { ($0["summary"] ?? "").contains("pool-b") })
        let idEvents = try rows("timeline_events", ["ids": "[\"" + Self.id("a2") + "\"]", "since": "2026-03-04T10:00:00Z"])
        XCTAssertFalse(idEvents.isEmpty)
    }
}
