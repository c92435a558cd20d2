import TrailModel
import TrailStore

/// The order of collection, each step deriving what to ask from what the earlier ones answered:
/// the account (its autostorage, node identity reference, identities, Key Vault), its pools, nodes and
/// tasks, the identities all of them reference, role assignments at the scopes that matter, the role
/// definitions and groups those assignments name, the Activity Log, and the workspace's logs.
extension Collector {
    /// How many identities, role definitions and groups one collection asks about at most.
    static let maximumIdentities = 20
    static let maximumRoleDefinitions = 20
    static let maximumGroups = 20
    /// How deep nested groups are followed.
    static let maximumGroupDepth = 3

    func collectEvidence(subscription: String, now: Timestamp) throws {
        let accountAnswer = try run(AzureCommands.batchAccountShow(account: options.request.account, resourceGroup: options.request.resourceGroup,
                                                                   subscription: subscription))
        let account = accountAnswer.succeeded ? BatchAccountFacts.read(accountAnswer.value, name: options.request.account) : nil
        var identityIDs = account?.userAssignedIdentityIDs ?? []
        var storageNames = account?.autoStorageAccountID.map { [AzureJSON.resourceName($0).lowercased()] } ?? []
        if let account {
            for answer in try collectBatchService(account, subscription: subscription) {
                identityIDs += AzureJSON.userAssignedIdentityIDs(in: answer.value)
                storageNames += AzureJSON.storageAccountNames(in: answer.value)
            }
        } else {
            notCollected.append(.init(what: "pools, nodes and tasks of \(options.request.account)",
                                      reason: "the Batch account could not be read, so its endpoint is unknown"))
        }
        let identities = try collectIdentities(Self.unique(identityIDs))
        var principals = Set(identities.compactMap { $0.principalID?.lowercased() })
        if let system = account?.systemAssignedPrincipalID { principals.insert(system.lowercased()) }
        let assignments = try collectRoleAssignments(account: account, subscription: subscription)
        let scopes = [account?.autoStorageAccountID, account?.keyVaultID, account?.id].compactMap { $0 }.map(ARMScope.init)
        let relevant = assignments.filter { scopes.isEmpty || $0.matters(at: scopes, principals: principals) }
        if assignments.isEmpty {
            notCollected.append(.init(what: "role definitions and group members", reason: "no role assignment list could be read"))
        } else {
            try collectRoleDefinitions(for: relevant, subscription: subscription)
            try collectGroups(Self.unique(relevant.filter(\.isGroup).map(\.principalID)))
        }
        _ = try run(AzureCommands.activityLog(resourceGroup: options.request.resourceGroup, subscription: subscription, since: options.since, now: now))
        _ = try run(AzureCommands.authorizationActivityLog(subscription: subscription, since: options.since, now: now))
        if let workspace = options.request.workspace {
            try collectWorkspaceLogs(workspace, storageNames: Self.unique(storageNames), principals: Self.unique(Array(principals).sorted()),
                                     clients: Self.unique(identities.compactMap(\.clientID)), now: now)
        }
    }

    /// Login, pools (data plane, else ARM), nodes of the named pools, tasks of the named jobs: the successful answers.
    func collectBatchService(_ account: BatchAccountFacts, subscription: String) throws -> [Answer] {
        // The data-plane commands name the account and endpoint themselves, so they run even if login fails.
        _ = try run(AzureCommands.batchAccountLogin(account: options.request.account, resourceGroup: options.request.resourceGroup, subscription: subscription))
        var answers: [Answer] = []
        if options.request.pools.isEmpty {
            answers.append(try run(AzureCommands.poolList(account: account)))
        } else {
            for pool in options.request.pools { answers.append(try run(AzureCommands.poolShow(pool: pool, account: account))) }
        }
        if !answers.contains(where: \.succeeded) {
            answers.append(try run(AzureCommands.poolsThroughARM(account: account)))
        }
        for pool in options.request.pools { answers.append(try run(AzureCommands.nodeList(pool: pool, account: account))) }
        if options.request.pools.isEmpty {
            notCollected.append(.init(what: "compute nodes", reason: "no pool was named: give --pool ID for each pool whose nodes matter"))
        }
        for job in options.request.jobs { answers.append(try run(AzureCommands.taskList(job: job, account: account))) }
        if options.request.jobs.isEmpty {
            notCollected.append(.init(what: "tasks", reason: "no job was named: give --job ID for each job whose tasks failed"))
        }
        return answers.filter(\.succeeded)
    }

    /// `az identity show` for each user-assigned identity referenced anywhere.
    func collectIdentities(_ resourceIDs: [String]) throws -> [IdentityFacts] {
        if resourceIDs.count > Self.maximumIdentities {
            notCollected.append(.init(what: "\(resourceIDs.count - Self.maximumIdentities) more user-assigned identities",
                                      reason: "mitrail collect asks about \(Self.maximumIdentities) identities at most"))
        }
        return try resourceIDs.prefix(Self.maximumIdentities).compactMap { resourceID in
            let file = "identities/\(BundlePath.component(AzureJSON.resourceName(resourceID))).json"
            let answer = try run(AzureCommands.identityShow(resourceID: resourceID, file: file))
            return answer.succeeded ? IdentityFacts.read(answer.value) : nil
        }
    }

    /// The subscription's assignments, then those at and above the autostorage account, the Key Vault and the
    /// resource group (readable with less than the subscription needs): every assignment read.
    func collectRoleAssignments(account: BatchAccountFacts?, subscription: String) throws -> [AssignmentFacts] {
        var answers = [try run(AzureCommands.roleAssignmentsInSubscription(subscription: subscription))]
        if let storage = account?.autoStorageAccountID {
            let name = AzureJSON.resourceName(storage)
            answers.append(try run(AzureCommands.roleAssignments(
                at: storage, label: "the autostorage account \(name)", file: "rbac/role-assignments-storage-\(BundlePath.component(name)).json")))
        }
        if let vault = account?.keyVaultID {
            let name = AzureJSON.resourceName(vault)
            answers.append(try run(AzureCommands.roleAssignments(
                at: vault, label: "the Key Vault \(name)", file: "rbac/role-assignments-keyvault-\(BundlePath.component(name)).json")))
        }
        let group = "/subscriptions/\(subscription)/resourceGroups/\(options.request.resourceGroup)"
        answers.append(try run(AzureCommands.roleAssignments(
            at: group, label: "the resource group \(options.request.resourceGroup)",
            file: "rbac/role-assignments-rg-\(BundlePath.component(options.request.resourceGroup)).json")))
        return answers.filter(\.succeeded).flatMap { AssignmentFacts.read($0.value) }
    }

    /// The custom roles of the subscription, then each other role the assignments name that the catalog lacks.
    func collectRoleDefinitions(for assignments: [AssignmentFacts], subscription: String) throws {
        let custom = try run(AzureCommands.customRoleDefinitions(subscription: subscription))
        let known = BuiltinRoleCatalog.guids.union(AzureJSON.objects(custom.value).compactMap { ($0["name"] as? String)?.lowercased() })
        var unknown: [(guid: String, subscription: String)] = []
        for assignment in assignments {
            guard let guid = assignment.roleDefinitionGUID, !known.contains(guid), !unknown.contains(where: { $0.guid == guid }) else { continue }
            unknown.append((guid, assignment.roleDefinitionSubscription ?? subscription))
        }
        if unknown.count > Self.maximumRoleDefinitions {
            notCollected.append(.init(what: "\(unknown.count - Self.maximumRoleDefinitions) more role definitions",
                                      reason: "mitrail collect asks about \(Self.maximumRoleDefinitions) role definitions at most"))
        }
        for role in unknown.prefix(Self.maximumRoleDefinitions) {
            _ = try run(AzureCommands.roleDefinition(guid: role.guid, subscription: role.subscription))
        }
    }

    /// The members of each group that holds a role at a scope that matters, and of the groups nested in them.
    func collectGroups(_ groups: [String]) throws {
        var queue: [(id: String, depth: Int, parent: String?)] = groups.map { ($0, 1, nil) }
        var asked: Set<String> = []
        while let next = queue.first {
            queue.removeFirst()
            guard asked.insert(next.id.lowercased()).inserted else { continue }
            guard asked.count <= Self.maximumGroups else {
                notCollected.append(.init(what: "members of group \(next.id) and further groups",
                                          reason: "mitrail collect asks about \(Self.maximumGroups) groups at most"))
                return
            }
            let answer = try run(AzureCommands.groupMembers(group: next.id, nestedIn: next.parent))
            guard answer.succeeded else { continue }
            let nested = GroupMemberFacts.nestedGroupIDs(answer.value)
            if next.depth < Self.maximumGroupDepth {
                queue += nested.map { ($0, next.depth + 1, next.id) }
            } else if !nested.isEmpty {
                notCollected.append(.init(what: "members of the groups nested in \(next.id)",
                                          reason: "mitrail collect follows nested groups \(Self.maximumGroupDepth) deep"))
            }
        }
    }

    /// StorageBlobLogs failures of the storage accounts involved, and the identities' managed identity sign-ins.
    func collectWorkspaceLogs(_ workspace: String, storageNames: [String], principals: [String], clients: [String], now: Timestamp) throws {
        let timespan = options.since.logAnalyticsTimespan(now: now)
        _ = try run(AzureCommands.logAnalyticsQuery(
            workspace: workspace, query: LogAnalyticsQueries.storageBlobFailures(accounts: storageNames), timespan: timespan,
            file: "logs/storage-blob-logs.json", purpose: "StorageBlobLogs: failed requests to \(storageNames.isEmpty ? "every storage account" : storageNames.joined(separator: ", "))"))
        _ = try run(AzureCommands.logAnalyticsQuery(
            workspace: workspace, query: LogAnalyticsQueries.managedIdentitySignIns(principals: principals, clients: clients), timespan: timespan,
            file: "logs/managed-identity-sign-ins.json", purpose: "AADManagedIdentitySignInLogs: the identities' token requests"))
    }

    /// The values in order, each once (compared case-insensitively).
    static func unique(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0.lowercased()).inserted }
    }
}
