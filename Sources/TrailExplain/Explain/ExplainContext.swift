import Foundation
import TrailModel
import TrailStore

/// Everything the rules consult: the configuration, identities and permissions over time.
public struct ExplainContext: Sendable {
    public let history: RoleAssignmentHistory
    /// Entra group membership over time: assignments to groups count for their members.
    public let memberships: GroupMembershipHistory
    public let catalog: RoleCatalog
    public let identities: [ResolvedIdentity]
    public let configuration: BatchConfiguration
    let requiredPermissions: [String: RequiredPermission]
    let successfulTokenRequests: [Failure]
    /// The same by node, each in time order (when the query's order is time order, which a binary search needs).
    let successfulTokenRequestsByNode: [String: [Failure]]
    let successfulTokenRequestsAreInTimeOrder: Bool
    /// Other requests and operations that succeeded (Storage, ARM, Key Vault, Activity Log), in time order.
    let successfulOperations: SuccessfulOperations
    /// Storage account name (lower case) → ARM resource ID, from every place the evidence names one.
    let storageAccounts: [String: String]
    /// Who made each Activity Log role assignment write (by the write's record): who created an assignment.
    let writeCallers: [EvidenceReference: String]
    let identitiesByResource: [String: ResolvedIdentity]
    /// ARM IDs parsed once: thousands of failures name the same few scopes and identities.
    let scopes = ScopeParser()
    let roleCheckCache: RoleCheckCache
    /// The evaluator over every assignment, built once (it indexes them): a question's first evaluation uses it.
    let evaluator: AccessEvaluator
    /// Identity by lower-case principal ID, client ID or normalized resource ID: the first identity naming it.
    let identityIndex: [String: Int]
    /// Times of token requests per node (failed or not), for telling whether a client backed off.
    var tokenRequestTimes: [String: [Timestamp]] = [:]

    /// How long a new role assignment may take to apply (DESIGN.md: about 10 minutes).
    public static let propagationWindow: Int64 = 10 * 60 * 1000
    /// How long a managed identity's cached token may outlive a change (up to about 24 hours).
    public static let tokenCacheWindow: Int64 = 24 * 60 * 60 * 1000

    public init(store: any EvidenceReader) throws {
        let roleRows = try store.rows(ofQuery: "role_assignment_evidence")
        history = RoleAssignmentHistory(rows: roleRows)
        var callers: [EvidenceReference: String] = [:]
        for row in roleRows where row.string("evidence") == "write" {
            if let caller = row.string("caller") { callers[row.evidence] = caller }
        }
        writeCallers = callers
        memberships = try GroupMembershipHistory(store: store, assignments: history)
        roleCheckCache = RoleCheckCache(history: history, memberships: memberships)
        catalog = try RoleCatalog(store: store)
        evaluator = AccessEvaluator(history: history, catalog: catalog, memberships: memberships)
        identities = try IdentityResolver.resolve(store: store)
        var byResource: [String: ResolvedIdentity] = [:]
        for identity in identities {
            guard let resourceID = identity.resourceID else { continue }
            let key = ARMScope(resourceID).normalized
            if byResource[key] == nil { byResource[key] = identity }
        }
        identitiesByResource = byResource
        configuration = try BatchConfiguration(store: store)
        var index: [String: Int] = [:]
        for (position, identity) in identities.enumerated() {
            let ids = identity.generations.flatMap { [$0.principalID, $0.clientID] } + [identity.resourceID.map { ARMScope($0).normalized }]
            for id in ids.compactMap({ $0 }) where index[id] == nil { index[id] = position }
        }
        identityIndex = index
        var permissions: [String: RequiredPermission] = [:]
        for row in try store.rows(ofQuery: "required_permissions") {
            guard let operation = row.string("operation"), let action = row.string("action") else { continue }
            permissions[operation] = RequiredPermission(
                operation: operation, action: RequiredAction(action, isDataAction: row.integer("is_data_action") == 1),
                leastPrivilegeRole: row.string("least_privilege_role") ?? "")
        }
        requiredPermissions = permissions
        successfulTokenRequests = try store.failures(ofQuery: "successful_token_requests")
        successfulTokenRequestsByNode = Dictionary(grouping: successfulTokenRequests.filter { $0.node != nil }, by: { $0.node! })
        successfulTokenRequestsAreInTimeOrder = zip(successfulTokenRequests, successfulTokenRequests.dropFirst())
            .allSatisfy { ($0.time ?? .distantPast) <= ($1.time ?? .distantPast) }
        successfulOperations = try SuccessfulOperations(store: store)
        var accounts: [String: String] = [:]
        let known = configuration.accounts.compactMap(\.autoStorageAccountID) + history.assignments.compactMap { $0.scope?.original }
        for id in known {
            guard let account = ARMScope(id).resourceScope(namespace: "Microsoft.Storage", type: "storageAccounts"),
                  let name = account.lastSegment else { continue }
            accounts[name] = accounts[name] ?? account.original
        }
        storageAccounts = accounts
    }

    func permission(_ operation: String) -> RequiredPermission {
        requiredPermissions[operation] ?? RequiredPermission(
            operation: operation, action: RequiredAction("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", isDataAction: true),
            leastPrivilegeRole: "Storage Blob Data Reader")
    }

    /// The first token request on `node` after `time`.
    func nextTokenRequest(after time: Timestamp, node: String?) -> Timestamp? {
        guard let times = tokenRequestTimes[node ?? ""] else { return nil }
        let index = Self.firstIndex(in: times.count, after: time) { times[$0] }
        return index < times.count ? times[index] : nil
    }

    /// The first position among `count` ascending times (`time(i)`) whose time is after `time`: a binary search.
    static func firstIndex(in count: Int, after time: Timestamp, _ timeAt: (Int) -> Timestamp) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if timeAt(middle) > time { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// The first successful token request after `time` that `matches`, on `node` when one is given.
    func firstSuccessfulTokenRequest(after time: Timestamp, node: String?, where matches: (Failure) -> Bool) -> Failure? {
        guard successfulTokenRequestsAreInTimeOrder else {
            return successfulTokenRequests.first { ($0.time ?? .distantPast) > time && (node == nil || $0.node == node) && matches($0) }
        }
        let requests = node.map { successfulTokenRequestsByNode[$0] ?? [] } ?? successfulTokenRequests
        let start = Self.firstIndex(in: requests.count, after: time) { requests[$0].time ?? .distantPast }
        return requests[start...].first(where: matches)
    }

    mutating func noteTokenRequests(_ failures: [Failure]) {
        var times: [String: [Timestamp]] = [:]
        func note(_ request: Failure) {
            if let time = request.time { times[request.node ?? "", default: []].append(time) }
        }
        // Each list is sorted below: the two arrays are walked in place, not joined into a third.
        for request in failures where request.isIMDS { note(request) }
        successfulTokenRequests.forEach(note)
        tokenRequestTimes = times.mapValues { $0.sorted() }
    }

    // MARK: Identities

    /// The principal (and client) of a user-assigned identity at `time`: from the resolved identities,
    /// else from the IDs an account or pool lists next to it.
    func reference(forIdentity resourceID: String, at time: Timestamp?) -> IdentityReference {
        if let identity = identity(withResourceID: resourceID),
           let generation = time.flatMap(identity.generation(at:)) ?? identity.generations.last {
            return IdentityReference(resourceID: resourceID, clientID: generation.clientID, principalID: generation.principalID)
        }
        let listed = (configuration.pools.flatMap(\.identities) + configuration.accounts.flatMap(\.userAssignedIdentities))
            .last { scopes.scope($0.resourceID) == scopes.scope(resourceID) }
        return IdentityReference(resourceID: resourceID, clientID: listed?.clientID, principalID: listed?.principalID)
    }

    /// The resolved identity with this resource ID (compared the ARM way), from an index built once.
    func identity(withResourceID resourceID: String) -> ResolvedIdentity? {
        identitiesByResource[scopes.normalized(resourceID)]
    }

    /// The identity a failure acted as, from its own fields, completed through the resolved identities.
    func reference(for failure: Failure) -> IdentityReference {
        var reference = IdentityReference(resourceID: failure.identityResourceID, clientID: failure.clientID, principalID: failure.principalID)
        let keys = [reference.principalID, reference.clientID, reference.resourceID.map { scopes.normalized($0) }]
        if let index = keys.lazy.compactMap({ $0.flatMap { self.identityIndex[$0] } }).first {
            let identity = identities[index]
            reference.resourceID = reference.resourceID ?? identity.resourceID
            let generation = identity.generations.first { $0.principalID == reference.principalID || $0.clientID == reference.clientID }
                ?? failure.time.flatMap(identity.generation(at:))
            reference.principalID = reference.principalID ?? generation?.principalID
            reference.clientID = reference.clientID ?? generation?.clientID
        }
        return reference
    }

    // MARK: Storage scopes

    /// The ARM ID of a storage account known by name.
    func storageAccountID(named name: String) -> String? { storageAccounts[name.lowercased()] }

    /// The scope a storage failure needed a data role at: the container when known, else the account.
    func storageScope(for failure: Failure, autoStorageAccountID: String?) -> String? {
        var accountID: String?
        var container = failure.container ?? failure.autoStorageContainer
        if let target = failure.targetResource, let account = scopes.storageAccount(target) {
            accountID = account.original
        }
        if accountID == nil, let url = failure.containerURL ?? failure.url ?? failure.targetResource, let host = URL(string: url)?.host,
           host.lowercased().contains(".blob.") {
            accountID = host.split(separator: ".").first.flatMap { storageAccountID(named: String($0)) }
            if container == nil { container = URL(string: url)?.pathComponents.dropFirst().first }
        }
        if accountID == nil, failure.autoStorageContainer != nil || failure.isBatchNodeFailure { accountID = autoStorageAccountID }
        guard let accountID else { return nil }
        return container.map { accountID + "/blobServices/default/containers/" + $0 } ?? accountID
    }

    // MARK: Permissions

    /// What the role assignments say about `principal` doing `action` at `scope` at `time`.
    ///
    /// Evaluating walks every assignment, and a store of thousands of failures asks the same question at many
    /// times. The first evaluation for a principal, action and scope keeps the assignments it considered (the
    /// only ones any later evaluation of that question looks at); verdicts are then cached for each stretch of
    /// time between two change points of those assignments and of the snapshots (a start, an end, a list),
    /// inside which every time compares the same way with every boundary the evaluator looks at: the verdict
    /// is the same but for the time it names.
    func roleCheck(principal: String?, action: RequiredAction, scope: String, at time: Timestamp?) -> RoleCheck {
        let when = time ?? .now
        let question = RoleCheckCache.Question(principal: principal ?? "unknown", action: action.name, isDataAction: action.isDataAction,
                                               scope: scopes.scope(scope).normalized)
        let facts = roleCheckCache.facts(question, at: when) { relevant in
            (relevant.map { AccessEvaluator(history: $0, catalog: catalog, memberships: memberships) } ?? evaluator)
                .evaluate(principalIDs: [question.principal], action: action, scope: scopes.scope(scope), at: when)
        }
        return RoleCheck(verdict: facts.verdict.restamped(at: when), at: when, facts: facts)
    }

    /// The assignments of one principal (lower-case ID), from the evaluator's index.
    func assignments(of principal: String) -> [RoleAssignmentHistory.Assignment] {
        evaluator.assignments(of: principal)
    }
}

/// One row of the required_permissions table.
struct RequiredPermission: Sendable {
    var operation: String
    var action: RequiredAction
    var leastPrivilegeRole: String
}
