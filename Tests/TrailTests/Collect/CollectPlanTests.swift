import Foundation
@testable import TrailCollect
import TrailModel
import TrailStore
import XCTest

/// The pieces of the collector that decide what runs: the commands and their safety, `--since`, the Kusto
/// queries, what earlier answers yield, and how a failure is explained.
final class CollectPlanTests: XCTestCase {
    static let account = BatchAccountFacts(
        id: "/subscriptions/00000000-0000-0000-0000-0000000000f1/resourceGroups/rg-fixture/providers/Microsoft.Batch/batchAccounts/batchfixture",
        name: "batchfixture", endpoint: "batchfixture.westeurope.batch.azure.com", autoStorageAccountID: nil, nodeIdentityReference: nil,
        userAssignedIdentityIDs: [], systemAssignedPrincipalID: nil, keyVaultID: nil)

    /// Every command the collector can plan, built once each.
    static var everyCommand: [PlannedCommand] {
        let now = Timestamp(millisecondsSince1970: 1_772_618_400_000)
        let subscription = "00000000-0000-0000-0000-0000000000f1"
        return [
            AzureCommands.version(), AzureCommands.accountShow(subscription: nil), AzureCommands.accountShow(subscription: subscription),
            AzureCommands.batchAccountShow(account: "batchfixture", resourceGroup: "rg-fixture", subscription: subscription),
            AzureCommands.batchAccountLogin(account: "batchfixture", resourceGroup: "rg-fixture", subscription: subscription),
            AzureCommands.poolShow(pool: "p1", account: account), AzureCommands.poolList(account: account),
            AzureCommands.poolsThroughARM(account: account), AzureCommands.nodeList(pool: "p1", account: account),
            AzureCommands.taskList(job: "j1", account: account),
            AzureCommands.identityShow(resourceID: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/u", file: "i.json"),
            AzureCommands.roleAssignmentsInSubscription(subscription: subscription),
            AzureCommands.roleAssignments(at: "/subscriptions/\(subscription)/resourceGroups/rg-fixture", label: "rg", file: "r.json"),
            AzureCommands.customRoleDefinitions(subscription: subscription),
            AzureCommands.roleDefinition(guid: "19e7f393-937e-4f77-808e-94535e297925", subscription: subscription),
            AzureCommands.groupMembers(group: "00000000-0000-0000-0000-0000000000c8", nestedIn: nil),
            AzureCommands.activityLog(resourceGroup: "rg-fixture", subscription: subscription, since: .duration(days: 7, hours: 0, minutes: 0), now: now),
            AzureCommands.authorizationActivityLog(subscription: subscription, since: .time(now.adding(milliseconds: -3_600_000)), now: now),
            AzureCommands.logAnalyticsQuery(workspace: "w", query: LogAnalyticsQueries.storageBlobFailures(accounts: ["st"]), timespan: "P7D",
                                            file: "l.json", purpose: "logs"),
        ]
    }

    func testNoPlannedCommandAsksForASecret() {
        for command in Self.everyCommand {
            XCTAssertNil(CommandSafety.refusal(command.arguments), command.arguments.joined(separator: " "))
            XCTAssertEqual(Array(command.arguments.suffix(3)), ["-o", "json", "--only-show-errors"])
            XCTAssertEqual(command.arguments.first, "az")
        }
    }

    func testCommandsThatPrintKeysOrTokensAreRefused() throws {
        let refused = [
            ["az", "storage", "account", "keys", "list", "--account-name", "st"], ["az", "batch", "account", "keys", "list", "-n", "b", "-g", "rg"],
            ["az", "batch", "account", "login", "-n", "b", "-g", "rg", "--show"], ["az", "batch", "account", "login", "-n", "b", "-g", "rg", "--shared-key-auth"],
            ["az", "storage", "account", "show-connection-string", "-n", "st"], ["az", "account", "get-access-token"],
            ["az", "rest", "--method", "post", "--url", "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st/listKeys?api-version=2023-01-01"],
            ["az", "storage", "container", "generate-sas", "-n", "c"], ["az", "batch", "pool", "list", "--account-key", "k"],
            ["az", "keyvault", "secret", "show", "--vault-name", "v", "-n", "s"], ["az", "role", "assignment", "list", "--debug"],
        ]
        for arguments in refused {
            XCTAssertNotNil(CommandSafety.refusal(arguments), arguments.joined(separator: " "))
        }
        // The runner checks before it runs anything: `true` would succeed.
        let azure = AzureCLI(executable: "/bin/true", environment: [:])
        XCTAssertThrowsError(try azure.run(refused[0], timeout: 5, scratch: TestPaths.temporaryDirectory(), name: "x")) { error in
            guard case .refusedCommand = error as? CollectError else { return XCTFail("\(error)") }
        }
    }

    func testTheAzureCLIRunsWithoutDynamicExtensionInstallOrAccountKey() throws {
        let folder = TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let az = folder.appendingPathComponent("az")
        try "#!/bin/sh\nexit 0\n".write(to: az, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: az.path)
        let found = try XCTUnwrap(AzureCLI.locate(environment: ["PATH": "/nonexistent:" + folder.path, "AZURE_BATCH_ACCESS_KEY": "k", "HOME": "/h"]))
        XCTAssertEqual(found.executable, az.path)
        XCTAssertEqual(found.environment["AZURE_EXTENSION_USE_DYNAMIC_INSTALL"], "no")
        XCTAssertEqual(found.environment["AZURE_BATCH_AUTH_MODE"], "aad")
        XCTAssertNil(found.environment["AZURE_BATCH_ACCESS_KEY"])
        XCTAssertEqual(found.environment["HOME"], "/h")
        XCTAssertNil(AzureCLI.locate(environment: ["PATH": "/nonexistent"]))
    }

    func testSinceTakesDurationsAndTimes() {
        XCTAssertEqual(CollectSince.parse("7d"), .duration(days: 7, hours: 0, minutes: 0))
        XCTAssertEqual(CollectSince.parse("1d12h"), .duration(days: 1, hours: 12, minutes: 0))
        XCTAssertEqual(CollectSince.parse("36h")?.description, "36h")
        XCTAssertEqual(CollectSince.parse("90m")?.logAnalyticsTimespan(now: Timestamp(millisecondsSince1970: 0)), "PT90M")
        XCTAssertEqual(CollectSince.parse("1d12h")?.logAnalyticsTimespan(now: Timestamp(millisecondsSince1970: 0)), "P1DT12H")
        XCTAssertEqual(CollectSince.parse("7d")?.activityLogArguments(now: Timestamp(millisecondsSince1970: 0)), ["--offset", "7d"])
        for bad in ["", "7", "d", "7x", "91d", "0d", "h7", "12h1d", "7d7d", "-3d"] {
            XCTAssertNil(CollectSince.parse(bad), bad)
        }
        let now = Timestamp(millisecondsSince1970: 1_772_618_400_000)
        let since = CollectSince.parse("2026-03-04T08:00:00Z")
        XCTAssertEqual(since?.activityLogArguments(now: now), ["--start-time", "2026-03-04T08:00:00.000Z", "--end-time", now.iso8601],
                       "with a start time alone the Azure CLI would end the window six hours later")
        XCTAssertEqual(since?.logAnalyticsTimespan(now: now), "2026-03-04T08:00:00.000Z/\(now.iso8601)")
    }

    func testKustoQueriesQuoteTheirValues() {
        XCTAssertEqual(LogAnalyticsQueries.literal("it's a \\ test"), #"'it\'s a \\ test'"#)
        XCTAssertEqual(LogAnalyticsQueries.storageBlobFailures(accounts: []),
                       "StorageBlobLogs | where StatusCode >= 400 | order by TimeGenerated asc | take 10000")
        XCTAssertEqual(LogAnalyticsQueries.managedIdentitySignIns(principals: ["p'1"], clients: []),
                       #"AADManagedIdentitySignInLogs | where ServicePrincipalId in~ ('p\'1') | order by TimeGenerated asc | take 10000"#)
    }

    func testIdentitiesAreFoundInEveryShape() {
        let uami = "/subscriptions/S/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/"
        let value: [String: Any] = [
            "identity": ["type": "UserAssigned", "userAssignedIdentities": [uami + "a": ["principalId": "p"]]],
            "properties": ["autoStorage": ["nodeIdentityReference": ["resourceId": uami.lowercased() + "A"]]],
            "pool": ["identity": ["userAssignedIdentities": [["resourceId": uami + "b"]]]],
            "startTask": ["resourceFiles": [["identityReference": ["resourceId": uami + "c"], "httpUrl": "https://st2.blob.core.windows.net/x?sig=REDACTED"]]],
            "noise": [uami, "/subscriptions/S/providers/Microsoft.Storage/storageAccounts/st", uami + "d/extra"],
        ]
        XCTAssertEqual(AzureJSON.userAssignedIdentityIDs(in: value), [uami + "a", uami + "b", uami + "c"])
        XCTAssertEqual(AzureJSON.storageAccountNames(in: value), ["st2"])
    }

    func testAccountFactsFromTheCLIAndARMShapes() throws {
        let flat = try JSONSerialization.jsonObject(with: Data(contentsOf: CollectIncident.folder.appendingPathComponent("batch-account-show.json")))
        let facts = try XCTUnwrap(BatchAccountFacts.read(flat, name: "batchfixture"))
        XCTAssertEqual(facts.endpointURL, "https://batchfixture.westeurope.batch.azure.com")
        XCTAssertEqual(facts.autoStorageAccountID.map(AzureJSON.resourceName), "stfixture")
        XCTAssertEqual(facts.userAssignedIdentityIDs.map(AzureJSON.resourceName), ["uami-nodes"])
        let arm: [String: Any] = ["id": Self.account.id, "name": "batchfixture", "identity": ["type": "SystemAssigned", "principalId": "p1"],
                                  "properties": ["accountEndpoint": "b.region.batch.azure.com", "keyVaultReference": ["id": "/subscriptions/S/kv", "url": "u"]]]
        let armFacts = try XCTUnwrap(BatchAccountFacts.read(arm, name: "x"))
        XCTAssertEqual(armFacts.systemAssignedPrincipalID, "p1")
        XCTAssertEqual(armFacts.keyVaultID, "/subscriptions/S/kv")
        XCTAssertNil(BatchAccountFacts.read(["id": "x"], name: "x"), "no endpoint, no data-plane commands")
    }

    func testAssignmentsThatMatterAreAtOrAboveTheScopesOrHeldByTheIdentities() {
        let storage = ARMScope("/subscriptions/S/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st")
        func assignment(_ scope: String, _ principal: String = "x") -> AssignmentFacts {
            AssignmentFacts(scope: scope, principalID: principal, principalType: "User", roleDefinitionGUID: "g", roleDefinitionSubscription: nil)
        }
        XCTAssertTrue(assignment("/subscriptions/S").matters(at: [storage], principals: []))
        XCTAssertTrue(assignment("/subscriptions/s/resourcegroups/RG/providers/microsoft.storage/storageaccounts/ST").matters(at: [storage], principals: []))
        XCTAssertFalse(assignment("/subscriptions/S/resourceGroups/other").matters(at: [storage], principals: []))
        XCTAssertTrue(assignment("/subscriptions/S/resourceGroups/other", "P1").matters(at: [storage], principals: ["p1"]))
    }

    func testAnswersAreReadBackOnlyUpToTheLimit() throws {
        let folder = TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let small = folder.appendingPathComponent("small.json"), large = folder.appendingPathComponent("large.json")
        try Data(#"[{"id": "x"}]"#.utf8).write(to: small)
        XCTAssertEqual(AzureJSON.objects(AzureJSON.read(small)).first?["id"] as? String, "x")
        _ = FileManager.default.createFile(atPath: large.path, contents: nil)
        let handle = try FileHandle(forWritingTo: large)
        try handle.truncate(atOffset: UInt64(AzureJSON.maximumReadSize + 1))
        try handle.close()
        XCTAssertNil(AzureJSON.read(large), "never parsed whole: it would take several times its size in memory")
        XCTAssertFalse(AzureJSON.isEmptyAnswer(large))
        XCTAssertTrue(AzureJSON.isEmptyAnswer(folder.appendingPathComponent("missing.json")))
        for empty in ["", " \n", "[]", "[ ]\n", #"{"value": []}"#] {
            try Data(empty.utf8).write(to: small)
            XCTAssertTrue(AzureJSON.isEmptyAnswer(small), empty)
        }
        try Data(#"{"value": [], "nextLink": "x"}"#.utf8).write(to: small)
        XCTAssertFalse(AzureJSON.isEmptyAnswer(small))
    }

    func testTheBuiltInCatalogIsTheStoresOwn() throws {
        let store = try EvidenceStore(path: TestPaths.temporaryDirectory().appendingPathComponent("s.db").path, mode: .readWrite)
        var guids: Set<String> = []
        try store.runReadOnly(sql: "SELECT role_definition_guid FROM builtin_roles", columns: { _ in }, row: { guids.insert($0[0].displayText) })
        XCTAssertFalse(guids.isEmpty)
        XCTAssertEqual(BuiltinRoleCatalog.guids, guids)
    }
}
