import Foundation
import TrailIngest
import XCTest

/// `mitrail collect` keeps going when commands fail: the Batch account refused, a command past its
/// timeout, the log-analytics extension missing. Each failure is in the manifest with its remedy, what
/// depends on a failed answer is listed as not collected, and the rest is still asked.
final class CollectFailureTests: XCTestCase {
    func testFailuresAreRecordedAndTheRestGoesOn() throws {
        let workspace = TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let sub = CollectIncident.subscription
        let out = "-o json --only-show-errors"
        let extensionMissing = "ERROR: 'query' is misspelled or not recognized by the system.\n\nhttps://aka.ms/cli_ref\nRead more about the command in reference docs\n"
        let accountRefused = "ERROR: (AuthorizationFailed) The client 'fixture-collector@example.com' with object id '00000000-0000-0000-0000-0000000000d7' "
            + "does not have authorization to perform action 'Microsoft.Batch/batchAccounts/read' over scope '/subscriptions/\(sub)/resourceGroups/rg-fixture"
            + "/providers/Microsoft.Batch/batchAccounts/batchfixture' or the scope is invalid. If access was recently granted, please refresh your credentials.\n"
            + "Code: AuthorizationFailed\n"
        let fake = try FakeAzureCLI(rules: [
            .init(pattern: "version \(out)", standardOutput: try CollectIncident.text("version.json")),
            .init(pattern: "account show \(out)", standardOutput: try CollectIncident.text("account-show.json")),
            .init(pattern: "batch account show *", standardError: accountRefused, status: 1),
            .init(pattern: "role assignment list --all *", standardOutput: try CollectIncident.text("role-assignments-storage.json")),
            .init(pattern: "role assignment list --scope *", standardOutput: try CollectIncident.text("role-assignments-rg.json")),
            .init(pattern: "role definition list --custom-role-only *", standardOutput: "[]", delay: 3),
            .init(pattern: "role definition list --name 19e7f393-937e-4f77-808e-94535e297925 *", standardOutput: try CollectIncident.text("role-definition-queue-reader.json")),
            .init(pattern: "role definition list --name 00000000-0000-0000-0000-0000000000d2 *", standardOutput: try CollectIncident.text("role-definitions-custom.json")),
            .init(pattern: "ad group member list --group 00000000-0000-0000-0000-0000000000c8 \(out)", standardOutput: try CollectIncident.text("group-members.json")),
            .init(pattern: "ad group member list --group 00000000-0000-0000-0000-0000000000c9 \(out)", standardOutput: "[]\n"),
            .init(pattern: "monitor activity-log list *", standardOutput: "[]\n"),
            .init(pattern: "monitor log-analytics query *", standardError: extensionMissing, status: 2),
        ], in: workspace.appendingPathComponent("az"))
        let bundle = workspace.appendingPathComponent("bundle.zip")
        let run = try Mitrail.run(["collect", "--account", "batchfixture", "-g", "rg-fixture", "--workspace", CollectIncident.workspace,
                                   "--timeout", "1", "-o", bundle.path], environment: fake.environment)
        XCTAssertEqual(run.status, 1, run.stdout + run.stderr)
        let asked = try fake.invocations().map { $0.dropFirst().prefix(3).joined(separator: " ") }
        XCTAssertEqual(asked, [
            "version -o json", "account show -o", "batch account show", "role assignment list", "role assignment list",
            "role definition list", "role definition list", "role definition list", "ad group member", "ad group member",
            "monitor activity-log list", "monitor activity-log list", "monitor log-analytics query", "monitor log-analytics query",
        ], "without the account: no login, pools, nodes, tasks or identities, and no autostorage or Key Vault lists")
        XCTAssertFalse(try fake.invocations().contains { $0.contains("--pool-id") || $0.contains("login") })

        let manifest = try XCTUnwrap(CollectorManifest.decode(try XCTUnwrap(CollectIncident.entries(of: bundle)["manifest.json"])))
        let failed = manifest.commands.filter { !$0.succeeded }
        XCTAssertEqual(failed.map { $0.argv[1] + " " + $0.argv[2] }, ["batch account", "role definition", "monitor log-analytics", "monitor log-analytics"])
        XCTAssertEqual(failed[0].remedy, "you need Reader (or Azure Batch Account Reader) on the Batch account batchfixture (or its resource group rg-fixture)")
        XCTAssertTrue(failed[1].timedOut)
        XCTAssertNil(failed[1].exitStatus)
        XCTAssertEqual(failed[1].remedy, "it did not finish within 1 s: run mitrail collect again with a longer --timeout")
        XCTAssertEqual(failed[2].remedy, "the Azure CLI extension log-analytics is not installed: run `az extension add --name log-analytics`, then mitrail collect again")
        XCTAssertEqual(manifest.notCollected.map(\.what), ["pools, nodes and tasks of batchfixture"])
        XCTAssertTrue(run.stdout.contains("pools, nodes and tasks of batchfixture: the Batch account could not be read"), run.stdout)
        XCTAssertTrue(run.stdout.contains("4 commands failed; the bundle lacks:"), run.stdout)
        // Without the account there is no storage account or identity to filter the workspace queries by.
        let queries = manifest.commands.compactMap { command in command.argv.firstIndex(of: "--analytics-query").map { command.argv[$0 + 1] } }
        XCTAssertEqual(queries, ["StorageBlobLogs | where StatusCode >= 400 | order by TimeGenerated asc | take 10000",
                                 "AADManagedIdentitySignInLogs | order by TimeGenerated asc | take 10000"])
        // A second run refuses to overwrite the bundle.
        let again = try Mitrail.run(["collect", "--account", "batchfixture", "-g", "rg-fixture", "-o", bundle.path], environment: fake.environment)
        XCTAssertEqual(again.status, 2)
        XCTAssertTrue(again.stderr.contains("it exists already. Please choose another -o path."), again.stderr)
    }

    /// The Batch service refuses the data plane: the pools come through ARM instead, which needs only Reader.
    func testPoolsComeThroughARMWhenTheBatchServiceRefuses() throws {
        let workspace = TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let refused = "ERROR: (AuthorizationFailure) This request is not authorized to perform this operation.\n"
            + "RequestId:00000000-0000-0000-0000-000000000001\nTime:2026-03-04T10:06:57.0416104Z\n"
        let armPools = "{\"value\": [" + (try CollectIncident.text("../../formats/azure-batch-pool/arm-get-pool.json")) + "]}"
        let fake = try FakeAzureCLI(rules: [
            .init(pattern: "version *", standardOutput: try CollectIncident.text("version.json")),
            .init(pattern: "account show *", standardOutput: try CollectIncident.text("account-show.json")),
            .init(pattern: "batch account show *", standardOutput: try CollectIncident.text("batch-account-show.json")),
            .init(pattern: "batch account login *"),
            .init(pattern: "batch pool list *", standardError: refused, status: 1),
            .init(pattern: "batch task list --job-id job-fixture *", standardError: refused, status: 1),
            .init(pattern: "rest --method get --url /subscriptions/*/batchAccounts/batchfixture/pools?api-version=2024-07-01 *", standardOutput: armPools),
            .init(pattern: "identity show *", standardOutput: try CollectIncident.text("identity-show.json")),
            .init(pattern: "role assignment list *", standardOutput: "[]\n"),
            .init(pattern: "monitor activity-log list *", standardOutput: "[]\n"),
        ], in: workspace.appendingPathComponent("az"))
        let bundle = workspace.appendingPathComponent("bundle.zip")
        let run = try Mitrail.run(["collect", "--account", "batchfixture", "-g", "rg-fixture", "--job", "job-fixture", "-o", bundle.path],
                                  environment: fake.environment)
        XCTAssertEqual(run.status, 1, run.stdout + run.stderr)
        XCTAssertFalse(try fake.invocations().contains { $0.contains("log-analytics") }, "no workspace, no query")
        let manifest = try XCTUnwrap(CollectorManifest.decode(try XCTUnwrap(CollectIncident.entries(of: bundle)["manifest.json"])))
        let failed = manifest.commands.filter { !$0.succeeded }
        XCTAssertEqual(failed.map { $0.argv[2] }, ["pool", "task"])
        XCTAssertTrue(failed.allSatisfy { $0.remedy?.hasPrefix("you need Azure Batch Account Reader (or Azure Batch Account Contributor) on the Batch account batchfixture") == true })
        XCTAssertTrue(manifest.commands.contains { $0.file == "batch/pools-arm.json" && $0.succeeded })
        let identities = manifest.commands.filter { $0.argv.starts(with: ["az", "identity", "show"]) }.map { $0.argv[4] }
        XCTAssertEqual(identities.map { $0.split(separator: "/").last.map(String.init) }, ["uami-nodes", "uami-fixture", "uami-fixture-2"],
                       "the account's identities, then those of the ARM pools")
        XCTAssertEqual(manifest.notCollected.map(\.what), ["compute nodes", "role definitions and group members"])
        XCTAssertTrue(manifest.commands.filter(\.emptyAnswer).count >= 4, "empty role assignment lists and Activity Logs write no file")
        let ingest = try Mitrail.run(["ingest", bundle.path], db: workspace.appendingPathComponent("store.db"))
        XCTAssertEqual(ingest.status, 0, ingest.stderr)
        XCTAssertTrue(ingest.stdout.contains("!batch/pools-arm.json as azure-batch-pool: read 1, stored 1"), ingest.stdout)
    }

    func testUsageErrorsSayWhatToGive() throws {
        for (arguments, message) in [
            (["--since", "3 weeks"], "Please give --since as a duration"), (["--workspace", "my-workspace"], "Please give --workspace as the workspace ID"),
            (["--timeout", "0"], "Please give --timeout as a number of seconds above 0."),
        ] {
            let run = try Mitrail.run(["collect", "--account", "a", "-g", "rg"] + arguments, environment: ["PATH": "/nonexistent"])
            XCTAssertEqual(run.status, 2, arguments.joined(separator: " "))
            XCTAssertTrue(run.stderr.contains(message), run.stderr)
        }
    }
}
