import Crypto
import Foundation
import TrailIngest
import TrailModel
import TrailStore
import XCTest

/// `mitrail collect` against a fake `az` on the PATH: the commands it runs, the bundle and its manifest,
/// what it says is missing, that no planted secret reaches the bundle, and that the bundle ingests and
/// explains to the incident's diagnosis.
final class CollectEndToEndTests: XCTestCase {
    struct Collected {
        let run: MitrailRun
        let bundle: URL
        let fake: FakeAzureCLI
        let workspace: URL
    }

    func collectIncident() throws -> Collected {
        let workspace = TestPaths.temporaryDirectory()
        let fake = try FakeAzureCLI(rules: try CollectIncident.expectedCommands().map(\.rule), in: workspace.appendingPathComponent("az"))
        let bundle = workspace.appendingPathComponent("bundle.zip")
        let run = try Mitrail.run(CollectIncident.collectArguments + ["-o", bundle.path], environment: fake.environment)
        return Collected(run: run, bundle: bundle, fake: fake, workspace: workspace)
    }

    func testRunsTheExpectedCommandsAndWritesTheManifest() throws {
        let collected = try collectIncident()
        defer { try? FileManager.default.removeItem(at: collected.workspace) }
        XCTAssertEqual(collected.run.status, 1, "two commands fail, so the bundle is incomplete: \(collected.run.stdout)\(collected.run.stderr)")
        let expected = try CollectIncident.expectedCommands().map(\.arguments)
        XCTAssertEqual(try collected.fake.invocations(), expected, "the fake az was asked exactly the expected command lines, in order")

        let entries = try CollectIncident.entries(of: collected.bundle)
        let manifest = try XCTUnwrap(CollectorManifest.decode(try XCTUnwrap(entries["manifest.json"])))
        XCTAssertEqual(manifest.commands.map(\.argv), expected)
        XCTAssertEqual(manifest.subscriptionId, CollectIncident.subscription)
        XCTAssertEqual(manifest.tenantId, "00000000-0000-0000-0000-0000000000e1")
        XCTAssertEqual(manifest.azureCLI?["azure-cli"], .string("2.67.0"))
        XCTAssertEqual(manifest.request.pools, ["pool-fixture"])
        XCTAssertEqual(manifest.request.since, "7d")
        for command in manifest.commands {
            let started = try XCTUnwrap(TimestampParser.parse(command.startedAt)), finished = try XCTUnwrap(TimestampParser.parse(command.finishedAt))
            XCTAssertTrue(command.startedAt.hasSuffix("Z") && command.finishedAt.hasSuffix("Z"), "UTC times: \(command.argv)")
            XCTAssertLessThanOrEqual(started, finished)
            if let file = command.file {
                let data = try XCTUnwrap(entries[file], "\(file) is in the bundle")
                XCTAssertEqual(command.bytes, Int64(data.count), file)
                XCTAssertEqual(command.sha256, SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined(), file)
                XCTAssertNoThrow(try JSONSerialization.jsonObject(with: data), "\(file) is still JSON after redaction")
            }
        }
        let files = Set(manifest.commands.compactMap(\.file))
        XCTAssertEqual(Set(entries.keys), files.union(["manifest.json"]), "the bundle holds the manifest and the files it lists")
        XCTAssertEqual(files, [
            "batch/account.json", "batch/pool-pool-fixture.json", "batch/nodes-pool-fixture.json", "batch/tasks-job-fixture.json",
            "identities/uami-nodes.json", "rbac/role-assignments-storage-stfixture.json", "rbac/role-assignments-rg-rg-fixture.json",
            "rbac/role-definitions-custom-\(CollectIncident.subscription).json", "rbac/role-definition-19e7f393-937e-4f77-808e-94535e297925.json",
            "groups/members-00000000-0000-0000-0000-0000000000c8.json", "activity/activity-log-rg-fixture.json", "logs/storage-blob-logs.json",
        ])
        // Commands whose answer is not evidence, or empty, leave no file; failures keep their error and remedy.
        XCTAssertEqual(manifest.commands.filter(\.emptyAnswer).map(\.argv[3]), ["list", "query"])
        let failures = manifest.commands.filter { !$0.succeeded }
        XCTAssertEqual(failures.map(\.exitStatus), [1, 1])
        XCTAssertTrue(failures[0].error?.contains("(AuthorizationFailed)") == true, failures[0].error ?? "")
        XCTAssertEqual(failures[0].remedy, "you need Reader on the subscription \(CollectIncident.subscription) (any role with Microsoft.Authorization/roleAssignments/read)")
        XCTAssertEqual(failures[1].error, "ERROR: Insufficient privileges to complete the operation.")
        XCTAssertTrue(failures[1].remedy?.contains("Directory Readers") == true, failures[1].remedy ?? "")
        XCTAssertEqual(manifest.notCollected, [])
        XCTAssertGreaterThan(manifest.commands.first { $0.file == "batch/pool-pool-fixture.json" }?.redactedLines ?? 0, 0)

        let summary = collected.run.stdout
        XCTAssertTrue(summary.contains("wrote \(collected.bundle.path): 12 files from 19 az commands (Azure CLI 2.67.0"), summary)
        XCTAssertTrue(summary.contains("2 commands failed; the bundle lacks:"), summary)
        XCTAssertTrue(summary.contains("every role assignment of the subscription"), summary)
        XCTAssertTrue(summary.contains("→ you need Reader on the subscription"), summary)
        XCTAssertTrue(summary.contains("→ you need Directory Readers in Microsoft Entra ID"), summary)
        XCTAssertTrue(summary.contains("next: mitrail ingest \(collected.bundle.path) && mitrail explain"), summary)
        XCTAssertEqual(collected.run.stderr, "", "no progress lines when standard error is not a terminal")
    }

    func testNoPlantedSecretReachesTheBundle() throws {
        let collected = try collectIncident()
        defer { try? FileManager.default.removeItem(at: collected.workspace) }
        let archiveBytes = try Data(contentsOf: collected.bundle)
        let unzipped = try CollectIncident.entries(of: collected.bundle).values.reduce(Data(), +)
        let secrets = [PlantedSecretsTests.token, PlantedSecretsTests.tokenSignature, PlantedSecretsTests.tokenPayload + "." + PlantedSecretsTests.tokenSignature,
                       PlantedSecretsTests.sasSignature]
        for secret in secrets {
            XCTAssertNil(unzipped.range(of: Data(secret.utf8)), "a planted secret reached the bundle: \(secret.prefix(12))…")
            XCTAssertNil(archiveBytes.range(of: Data(secret.utf8)))
            XCTAssertFalse(collected.run.stdout.contains(secret) || collected.run.stderr.contains(secret))
        }
        let text = String(decoding: unzipped, as: UTF8.self)
        XCTAssertTrue(text.contains("sig=REDACTED"), "the SAS URL is kept, without its signature")
        XCTAssertTrue(text.contains("<redacted-jwt sha256:"), "the token is kept as its claims and a fingerprint")
        XCTAssertTrue(text.contains("'Authorization': 'REDACTED'") || text.contains("Bearer <redacted-jwt"), "the failing command's error is redacted too")
    }

    func testTheBundleIngestsWithCollectorTimesAndExplainsTheIncident() throws {
        let collected = try collectIncident()
        defer { try? FileManager.default.removeItem(at: collected.workspace) }
        let manifest = try XCTUnwrap(CollectorManifest.decode(try XCTUnwrap(CollectIncident.entries(of: collected.bundle)["manifest.json"])))
        let db = collected.workspace.appendingPathComponent("store.db")
        let ingest = try Mitrail.run(["ingest", collected.bundle.path], db: db)
        XCTAssertEqual(ingest.status, 0, "\(ingest.stdout)\(ingest.stderr)")
        XCTAssertFalse(ingest.stderr.contains("no format recognises"), ingest.stderr)
        // The members of a group, printed by `az ad group member list --group ID` (which names no group in its output),
        // belong to the group the manifest's command line names.
        let lists = try Mitrail.run(["sql", "--format", "csv", "SELECT DISTINCT group_id, subject_origin FROM group_membership_evidence WHERE evidence = 'list'"], db: db)
        XCTAssertTrue(lists.stdout.contains("00000000-0000-0000-0000-0000000000c8,command-line"), lists.stdout + lists.stderr)
        XCTAssertTrue(ingest.stdout.contains("!manifest.json: the manifest of a mitrail collect bundle"), ingest.stdout)

        let sources = try Mitrail.run(["sources", "--format", "json"], db: db)
        XCTAssertEqual(sources.status, 0, sources.stderr)
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(sources.stdout.utf8)) as? [[String: Any]])
        let entries = rows.filter { ($0["path"] as? String)?.contains("!") == true && $0["format"] as? String != "zip-archive" }
        XCTAssertGreaterThanOrEqual(entries.count, 10)
        for row in entries {
            let path = try XCTUnwrap(row["path"] as? String)
            let file = String(path.split(separator: "!").last ?? "")
            let command = try XCTUnwrap(manifest.commands.first { $0.file == file }, path)
            XCTAssertEqual(row["observed_at_origin"] as? String, "collector", path)
            XCTAssertEqual(row["observed_at"] as? String, command.finishedAt, path)
            XCTAssertEqual(row["command"] as? String, SourceCommand.shellLine(command.argv), path)
        }

        let explain = try Mitrail.run(["explain", "--format", "json"], db: db)
        let result = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(explain.stdout.utf8)) as? [String: Any], explain.stderr)
        let episodes = try XCTUnwrap(result["episodes"] as? [[String: Any]])
        XCTAssertEqual(episodes.map { $0["diagnosis"] as? String }, ["node-identity-lacks-storage-role"], explain.stdout)
        XCTAssertEqual(episodes.first?["status"] as? String, "ongoing")
        XCTAssertEqual((episodes.first?["identity"] as? [String: Any])?["principalId"] as? String, "00000000-0000-0000-0000-0000000000a1")
        XCTAssertEqual((result["unexplained"] as? [Any])?.count, 0, explain.stdout)
    }

    /// On a terminal every command gets a line: running (with its elapsed time, for the slow ones), then how it ended.
    func testProgressOnATerminal() throws {
        let script = "/usr/bin/script"
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: script), "util-linux `script` gives the command a terminal; not installed")
        let workspace = TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: workspace) }
        var rules = try CollectIncident.expectedCommands().map(\.rule)
        rules[2].delay = 2  // az batch account show: long enough for the elapsed time to show
        let fake = try FakeAzureCLI(rules: rules, in: workspace.appendingPathComponent("az"))
        let command = SourceCommand.shellLine([TestPaths.binary.path] + CollectIncident.collectArguments + ["-o", workspace.appendingPathComponent("b.zip").path])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: script)
        process.arguments = ["-q", "-e", "-c", command, "/dev/null"]
        process.environment = ProcessInfo.processInfo.environment.merging(fake.environment) { _, fake in fake }
        let output = workspace.appendingPathComponent("terminal.txt")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let terminal = try String(contentsOf: output, encoding: .utf8)
        XCTAssertEqual(process.terminationStatus, 1, terminal)
        XCTAssertTrue(terminal.contains("  …   [3] the Batch account: its identities, autostorage and node identity reference, Key Vault (1 s)"), terminal)
        XCTAssertTrue(terminal.contains("  ok   [3] the Batch account"), terminal)
        XCTAssertTrue(terminal.contains("  FAIL [9] every role assignment of the subscription"), terminal)
        XCTAssertTrue(terminal.contains("  none [17] Activity Log of the subscription's role assignment writes and deletes"), terminal)
    }

    func testWithoutAzureCLIOnThePathSaysHowToInstallIt() throws {
        let empty = TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: empty) }
        let bundle = empty.appendingPathComponent("bundle.zip")
        let run = try Mitrail.run(CollectIncident.collectArguments + ["-o", bundle.path], environment: ["PATH": empty.path])
        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(run.stdout, "")
        XCTAssertEqual(run.stderr, "error: The Azure CLI (az) is not on the PATH (searched \(empty.path)). Install it "
                       + "(https://learn.microsoft.com/cli/azure/install-azure-cli), log in with `az login`, then run mitrail collect again.\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: bundle.path))
    }

    func testNotLoggedInSaysToRunAzLogin() throws {
        let workspace = TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let fake = try FakeAzureCLI(rules: [
            .init(pattern: "version -o json --only-show-errors", standardOutput: try CollectIncident.text("version.json")),
            .init(pattern: "*", standardError: "ERROR: Please run 'az login' to setup account.\n", status: 1),
        ], in: workspace.appendingPathComponent("az"))
        let bundle = workspace.appendingPathComponent("bundle.zip")
        let run = try Mitrail.run(CollectIncident.collectArguments + ["-o", bundle.path], environment: fake.environment)
        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(run.stderr, "error: The Azure CLI is not logged in (az account show said: ERROR: Please run 'az login' to setup account.). "
                       + "Run `az login` (and `az account set --subscription ID` for the subscription of the Batch account), then run mitrail collect again.\n")
        XCTAssertEqual(try fake.invocations().map { Array($0.prefix(3)) }, [["az", "version", "-o"], ["az", "account", "show"]],
                       "nothing is asked after az account show says nobody is logged in")
        XCTAssertFalse(FileManager.default.fileExists(atPath: bundle.path))
    }
}
