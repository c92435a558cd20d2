import Foundation
import XCTest
import ZIPFoundation

/// The node-identity-lacks-storage-role incident as a fake `az` answers it (Fixtures/collect/...), the exact
/// command lines `mitrail collect` is expected to run for it, and helpers to read the bundle it writes.
enum CollectIncident {
    static let folder = TestPaths.fixtures.appendingPathComponent("collect/node-identity-lacks-storage-role")
    static let subscription = "00000000-0000-0000-0000-0000000000f1"
    static let workspace = "00000000-0000-0000-0000-0000000000f7"
    static let storageID = "/subscriptions/\(subscription)/resourceGroups/rg-fixture/providers/Microsoft.Storage/storageAccounts/stfixture"
    static let identityID = "/subscriptions/\(subscription)/resourceGroups/rg-fixture/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uami-nodes"
    static let dataPlane = ["--account-name", "batchfixture", "--account-endpoint", "https://batchfixture.westeurope.batch.azure.com"]
    static let output = ["-o", "json", "--only-show-errors"]

    /// The arguments of `mitrail collect` for the incident.
    static let collectArguments = ["collect", "--account", "batchfixture", "--resource-group", "rg-fixture", "--subscription", subscription,
                                   "--pool", "pool-fixture", "--job", "job-fixture", "--since", "7d", "--workspace", workspace]

    /// A fixture file's text, with the planted secrets put in.
    static func text(_ name: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            .replacingOccurrences(of: "PLANTED_SAS_SIGNATURE", with: PlantedSecretsTests.sasSignature)
            .replacingOccurrences(of: "PLANTED_JWT", with: PlantedSecretsTests.token)
    }

    /// The command lines, in the order they must run, with what the fake answers.
    static func expectedCommands() throws -> [(arguments: [String], rule: FakeAzureCLI.Rule)] {
        func answer(_ arguments: [String], file: String? = nil, stdout: String? = nil, stderr: String = "", status: Int32 = 0)
            throws -> (arguments: [String], rule: FakeAzureCLI.Rule) {
            let all = ["az"] + arguments + output
            // A Kusto query is matched by its first word (its table): the rest has characters globs treat specially.
            let pattern = all.dropFirst().map { $0.contains("|") ? String($0.prefix { $0 != " " }) + "*" : $0 }.joined(separator: " ")
            return (all, FakeAzureCLI.Rule(pattern: pattern, standardOutput: try file.map(text) ?? stdout ?? "",
                                           standardError: stderr, status: status))
        }
        let sub = ["--subscription", subscription]
        return [
            try answer(["version"], file: "version.json"),
            try answer(["account", "show"] + sub, file: "account-show.json"),
            try answer(["batch", "account", "show", "--name", "batchfixture", "--resource-group", "rg-fixture"] + sub, file: "batch-account-show.json"),
            try answer(["batch", "account", "login", "--name", "batchfixture", "--resource-group", "rg-fixture"] + sub, stdout: ""),
            try answer(["batch", "pool", "show", "--pool-id", "pool-fixture"] + dataPlane, file: "pool-show.json"),
            try answer(["batch", "node", "list", "--pool-id", "pool-fixture"] + dataPlane, file: "node-list.json"),
            try answer(["batch", "task", "list", "--job-id", "job-fixture"] + dataPlane, file: "task-list.json"),
            try answer(["identity", "show", "--ids", identityID], file: "identity-show.json"),
            try answer(["role", "assignment", "list", "--all", "--include-inherited"] + sub,
                       stderr: try text("role-assignments-forbidden.stderr"), status: 1),
            try answer(["role", "assignment", "list", "--scope", storageID, "--include-inherited"] + sub, file: "role-assignments-storage.json"),
            try answer(["role", "assignment", "list", "--scope", "/subscriptions/\(subscription)/resourceGroups/rg-fixture", "--include-inherited"] + sub,
                       file: "role-assignments-rg.json"),
            try answer(["role", "definition", "list", "--custom-role-only", "true", "--scope", "/subscriptions/\(subscription)"],
                       file: "role-definitions-custom.json"),
            try answer(["role", "definition", "list", "--name", "19e7f393-937e-4f77-808e-94535e297925", "--scope", "/subscriptions/\(subscription)"],
                       file: "role-definition-queue-reader.json"),
            try answer(["ad", "group", "member", "list", "--group", "00000000-0000-0000-0000-0000000000c8"], file: "group-members.json"),
            try answer(["ad", "group", "member", "list", "--group", "00000000-0000-0000-0000-0000000000c9"],
                       stderr: try text("group-forbidden.stderr"), status: 1),
            try answer(["monitor", "activity-log", "list", "--resource-group", "rg-fixture", "--offset", "7d", "--max-events", "10000"] + sub,
                       file: "activity-log-rg.json"),
            try answer(["monitor", "activity-log", "list", "--namespace", "Microsoft.Authorization", "--offset", "7d", "--max-events", "10000"] + sub,
                       stdout: "[]\n"),
            try answer(["monitor", "log-analytics", "query", "--workspace", workspace, "--analytics-query",
                        "StorageBlobLogs | where StatusCode >= 400 and AccountName in~ ('stfixture') | order by TimeGenerated asc | take 10000",
                        "--timespan", "P7D"], file: "storage-blob-logs.json"),
            try answer(["monitor", "log-analytics", "query", "--workspace", workspace, "--analytics-query",
                        "AADManagedIdentitySignInLogs | where ServicePrincipalId in~ ('00000000-0000-0000-0000-0000000000a1') or AppId in~ "
                        + "('00000000-0000-0000-0000-0000000000b1') | order by TimeGenerated asc | take 10000",
                        "--timespan", "P7D"], stdout: "[]\n"),
        ]
    }

    /// Every entry of a zip archive, by path.
    static func entries(of bundle: URL) throws -> [String: Data] {
        let archive = try Archive(url: bundle, accessMode: .read)
        var entries: [String: Data] = [:]
        for entry in archive {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            entries[entry.path] = data
        }
        return entries
    }
}
