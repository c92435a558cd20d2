import TrailModel

/// Every command `mitrail collect` can run, exactly as it runs it (docs/COLLECT.md lists them with why).
/// Each is checked against `CommandSafety` before it runs; none prints keys or tokens.
public enum AzureCommands {
    /// Appended to every command: JSON output, and warnings kept off standard error.
    static let outputArguments = ["-o", "json", "--only-show-errors"]
    /// Most Activity Log events one list returns (the Azure CLI stops at 50 by default).
    public static let maximumActivityLogEvents = 10_000
    /// Most rows one Log Analytics query returns.
    public static let maximumLogRows = 10_000
    /// The ARM API version of the pools list read when the Batch service refuses the data-plane list.
    static let poolsAPIVersion = "2024-07-01"

    static func az(_ arguments: [String]) -> [String] { ["az"] + arguments + outputArguments }

    public static func version() -> PlannedCommand {
        PlannedCommand(arguments: az(["version"]), file: nil, purpose: "the Azure CLI version", access: .none)
    }

    public static func accountShow(subscription: String?) -> PlannedCommand {
        PlannedCommand(arguments: az(["account", "show"] + (subscription.map { ["--subscription", $0] } ?? [])), file: nil,
                       purpose: "the subscription and tenant the commands run against", access: .none)
    }

    public static func batchAccountShow(account: String, resourceGroup: String, subscription: String) -> PlannedCommand {
        PlannedCommand(arguments: az(["batch", "account", "show", "--name", account, "--resource-group", resourceGroup, "--subscription", subscription]),
                       file: "batch/account.json", purpose: "the Batch account: its identities, autostorage and node identity reference, Key Vault",
                       access: .batchAccount(scope: "the Batch account \(account) (or its resource group \(resourceGroup))"), decidesWhatFollows: true)
    }

    public static func batchAccountLogin(account: String, resourceGroup: String, subscription: String) -> PlannedCommand {
        PlannedCommand(arguments: az(["batch", "account", "login", "--name", account, "--resource-group", resourceGroup, "--subscription", subscription]),
                       file: nil, purpose: "Entra ID login to the Batch service, for the pool, node and task commands",
                       access: .batchAccount(scope: "the Batch account \(account) (or its resource group \(resourceGroup))"))
    }

    /// The data-plane arguments naming the account: explicit, so that the manifest says which account was read.
    static func dataPlane(_ account: BatchAccountFacts) -> [String] {
        ["--account-name", account.name, "--account-endpoint", account.endpointURL]
    }

    public static func poolShow(pool: String, account: BatchAccountFacts) -> PlannedCommand {
        PlannedCommand(arguments: az(["batch", "pool", "show", "--pool-id", pool] + dataPlane(account)),
                       file: "batch/pool-\(BundlePath.component(pool)).json", purpose: "pool \(pool): its identities, start task, packages",
                       access: .batchDataPlane(account: account.name), decidesWhatFollows: true)
    }

    public static func poolList(account: BatchAccountFacts) -> PlannedCommand {
        PlannedCommand(arguments: az(["batch", "pool", "list"] + dataPlane(account)), file: "batch/pools.json",
                       purpose: "every pool of the account: identities, start tasks, packages", access: .batchDataPlane(account: account.name), decidesWhatFollows: true)
    }

    /// The pools through ARM, which needs only Reader on the account: when the Batch service refuses the data plane.
    public static func poolsThroughARM(account: BatchAccountFacts) -> PlannedCommand {
        PlannedCommand(arguments: az(["rest", "--method", "get", "--url", account.id + "/pools?api-version=" + poolsAPIVersion]),
                       file: "batch/pools-arm.json", purpose: "every pool of the account through ARM (the Batch service refused the data plane)",
                       access: .batchAccount(scope: "the Batch account \(account.name)"), decidesWhatFollows: true)
    }

    public static func nodeList(pool: String, account: BatchAccountFacts) -> PlannedCommand {
        PlannedCommand(arguments: az(["batch", "node", "list", "--pool-id", pool] + dataPlane(account)),
                       file: "batch/nodes-\(BundlePath.component(pool)).json", purpose: "compute nodes of pool \(pool): states and errors",
                       access: .batchDataPlane(account: account.name))
    }

    public static func taskList(job: String, account: BatchAccountFacts) -> PlannedCommand {
        PlannedCommand(arguments: az(["batch", "task", "list", "--job-id", job] + dataPlane(account)),
                       file: "batch/tasks-\(BundlePath.component(job)).json", purpose: "tasks of job \(job): failure codes, resource files",
                       access: .batchDataPlane(account: account.name), decidesWhatFollows: true)
    }

    public static func identityShow(resourceID: String, file: String) -> PlannedCommand {
        let name = AzureJSON.resourceName(resourceID)
        return PlannedCommand(arguments: az(["identity", "show", "--ids", resourceID]), file: file,
                              purpose: "user-assigned identity \(name): its client and principal IDs",
                              access: .managedIdentity(scope: "the identity \(name) (or its resource group)"), decidesWhatFollows: true)
    }

    public static func roleAssignmentsInSubscription(subscription: String) -> PlannedCommand {
        PlannedCommand(arguments: az(["role", "assignment", "list", "--all", "--include-inherited", "--subscription", subscription]),
                       file: "rbac/role-assignments-subscription.json", purpose: "every role assignment of the subscription",
                       access: .roleAssignments(scope: "the subscription \(subscription)"), decidesWhatFollows: true)
    }

    /// Assignments at `scope` and above it (`--include-inherited`), in the scope's own subscription.
    public static func roleAssignments(at scope: String, label: String, file: String) -> PlannedCommand {
        let subscription = ARMScope(scope).subscriptionID.map { ["--subscription", $0] } ?? []
        return PlannedCommand(arguments: az(["role", "assignment", "list", "--scope", scope, "--include-inherited"] + subscription),
                              file: file, purpose: "role assignments at \(label) and above it", access: .roleAssignments(scope: label), decidesWhatFollows: true)
    }

    public static func customRoleDefinitions(subscription: String) -> PlannedCommand {
        PlannedCommand(arguments: az(["role", "definition", "list", "--custom-role-only", "true", "--scope", "/subscriptions/" + subscription]),
                       file: "rbac/role-definitions-custom-\(BundlePath.component(subscription)).json",
                       purpose: "the custom role definitions of subscription \(subscription)",
                       access: .roleDefinitions(scope: "the subscription \(subscription)"), decidesWhatFollows: true)
    }

    /// A built-in role that mitrail's catalog does not know, by the GUID of its definition.
    public static func roleDefinition(guid: String, subscription: String) -> PlannedCommand {
        PlannedCommand(arguments: az(["role", "definition", "list", "--name", guid, "--scope", "/subscriptions/" + subscription]),
                       file: "rbac/role-definition-\(BundlePath.component(guid)).json",
                       purpose: "role definition \(guid) (a role mitrail's built-in catalog does not know)",
                       access: .roleDefinitions(scope: "the subscription \(subscription)"))
    }

    /// The members of a group that holds a role at a scope that matters, or of a group nested in one (`parent`).
    public static func groupMembers(group: String, nestedIn parent: String?) -> PlannedCommand {
        PlannedCommand(arguments: az(["ad", "group", "member", "list", "--group", group]),
                       file: "groups/members-\(BundlePath.component(group)).json",
                       purpose: "members of group \(group), " + (parent.map { "a member of group \($0)" } ?? "which holds a role there"),
                       access: .groupMembers, decidesWhatFollows: true)
    }

    public static func activityLog(resourceGroup: String, subscription: String, since: CollectSince, now: Timestamp) -> PlannedCommand {
        PlannedCommand(arguments: az(["monitor", "activity-log", "list", "--resource-group", resourceGroup]
                                     + since.activityLogArguments(now: now)
                                     + ["--max-events", String(maximumActivityLogEvents), "--subscription", subscription]),
                       file: "activity/activity-log-\(BundlePath.component(resourceGroup)).json",
                       purpose: "Activity Log of resource group \(resourceGroup): Batch account and pool writes, role assignments in it",
                       access: .activityLog(scope: "the resource group \(resourceGroup)"))
    }

    public static func authorizationActivityLog(subscription: String, since: CollectSince, now: Timestamp) -> PlannedCommand {
        PlannedCommand(arguments: az(["monitor", "activity-log", "list", "--namespace", "Microsoft.Authorization"]
                                     + since.activityLogArguments(now: now)
                                     + ["--max-events", String(maximumActivityLogEvents), "--subscription", subscription]),
                       file: "activity/activity-log-authorization.json",
                       purpose: "Activity Log of the subscription's role assignment writes and deletes",
                       access: .activityLog(scope: "the subscription \(subscription)"))
    }

    public static func logAnalyticsQuery(workspace: String, query: String, timespan: String, file: String, purpose: String) -> PlannedCommand {
        PlannedCommand(arguments: az(["monitor", "log-analytics", "query", "--workspace", workspace, "--analytics-query", query, "--timespan", timespan]),
                       file: file, purpose: purpose, access: .logAnalytics(workspace: workspace))
    }
}

/// Names of files inside a bundle.
enum BundlePath {
    /// A name from Azure (a pool ID, a group's object ID) made safe for a path: letters, digits, `.`, `_`, `-`.
    static func component(_ name: String) -> String {
        let safe = String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-") ? $0 : "_" })
        let trimmed = safe.drop { $0 == "." }
        return trimmed.isEmpty ? "_" : String(trimmed.prefix(100))
    }
}
