import Foundation
import TrailModel
import TrailStore

/// Everything the rules consult: the configuration, identities and permissions over time.
public struct ExplainContext: Sendable {
    public let history: RoleAssignmentHistory
    public let catalog: RoleCatalog
    public let identities: [ResolvedIdentity]
    public let configuration: BatchConfiguration
    let requiredPermissions: [String: RequiredPermission]
    let successfulTokenRequests: [Failure]
    /// Storage account name (lower case) → ARM resource ID, from every place the evidence names one.
    let storageAccounts: [String: String]
    /// Who made each Activity Log role assignment write (by the write's record): who created an assignment.
    let writeCallers: [EvidenceReference: String]
    /// Times of token requests per node (failed or not), for telling whether a client backed off.
    var tokenRequestTimes: [String: [Timestamp]] = [:]

    /// How long a new role assignment may take to apply (DESIGN.md: about 10 minutes).
    public static let propagationWindow: Int64 = 10 * 60 * 1000
    /// How long a managed identity's cached token may outlive a change (up to about 24 hours).
    public static let tokenCacheWindow: Int64 = 24 * 60 * 60 * 1000

    public init(store: EvidenceStore) throws {
        let roleRows = try store.rows(ofQuery: "role_assignment_evidence")
        history = RoleAssignmentHistory(rows: roleRows)
        var callers: [EvidenceReference: String] = [:]
        for row in roleRows where row.string("evidence") == "write" {
            if let caller = row.string("caller") { callers[row.evidence] = caller }
        }
        writeCallers = callers
        catalog = try RoleCatalog(store: store)
        identities = try IdentityResolver.resolve(store: store)
        configuration = try BatchConfiguration(store: store)
        var permissions: [String: RequiredPermission] = [:]
        for row in try store.rows(ofQuery: "required_permissions") {
            guard let operation = row.string("operation"), let action = row.string("action") else { continue }
            permissions[operation] = RequiredPermission(
                operation: operation, action: RequiredAction(action, isDataAction: row.integer("is_data_action") == 1),
                leastPrivilegeRole: row.string("least_privilege_role") ?? "")
        }
        requiredPermissions = permissions
        successfulTokenRequests = try store.rows(ofQuery: "successful_token_requests").map(Failure.init)
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
        tokenRequestTimes[node ?? ""]?.first { $0 > time }
    }

    mutating func noteTokenRequests(_ failures: [Failure]) {
        var times: [String: [Timestamp]] = [:]
        for request in failures.filter(\.isIMDS) + successfulTokenRequests {
            if let time = request.time { times[request.node ?? "", default: []].append(time) }
        }
        tokenRequestTimes = times.mapValues { $0.sorted() }
    }

    // MARK: Identities

    /// The principal (and client) of a user-assigned identity at `time`: from the resolved identities,
    /// else from the IDs an account or pool lists next to it.
    func reference(forIdentity resourceID: String, at time: Timestamp?) -> IdentityReference {
        if let identity = identities.first(where: { $0.resourceID.map(ARMScope.init) == ARMScope(resourceID) }),
           let generation = time.flatMap(identity.generation(at:)) ?? identity.generations.last {
            return IdentityReference(resourceID: resourceID, clientID: generation.clientID, principalID: generation.principalID)
        }
        let listed = (configuration.pools.flatMap(\.identities) + configuration.accounts.flatMap(\.userAssignedIdentities))
            .last { ARMScope($0.resourceID) == ARMScope(resourceID) }
        return IdentityReference(resourceID: resourceID, clientID: listed?.clientID, principalID: listed?.principalID)
    }

    /// The identity a failure acted as, from its own fields, completed through the resolved identities.
    func reference(for failure: Failure) -> IdentityReference {
        var reference = IdentityReference(resourceID: failure.identityResourceID, clientID: failure.clientID, principalID: failure.principalID)
        if let identity = identities.first(where: { identity in
            (reference.principalID.map(identity.matches) ?? false) || (reference.clientID.map(identity.matches) ?? false)
                || (reference.resourceID.map(identity.matches) ?? false)
        }) {
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
        if let target = failure.targetResource, let account = ARMScope(target).resourceScope(namespace: "Microsoft.Storage", type: "storageAccounts") {
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
    func roleCheck(principal: String?, action: RequiredAction, scope: String, at time: Timestamp?) -> RoleCheck {
        let evaluator = AccessEvaluator(history: history, catalog: catalog)
        let when = time ?? .now
        let verdict = evaluator.evaluate(principalIDs: [principal ?? "unknown"], action: action, scope: ARMScope(scope), at: when)
        return RoleCheck(verdict: verdict, at: when)
    }
}

/// One row of the required_permissions table.
struct RequiredPermission: Sendable {
    var operation: String
    var action: RequiredAction
    var leastPrivilegeRole: String
}

/// The access verdict and what it implies for a diagnosis.
struct RoleCheck: Sendable {
    let verdict: AccessVerdict
    let at: Timestamp

    /// Granting assignments held by other principals at the scope, in force at the time.
    var grantsToOthers: [AccessVerdict.Consideration] {
        verdict.considered.filter { consideration in
            consideration.reason.hasPrefix("assigned to another principal")
                && consideration.assignment.inForce(at: at) == .yes
        }
    }

    /// The principal's own in-force assignments at the scope whose roles have only control-plane actions.
    /// (In force at the time, or present in a later snapshot with no known start: "holds" in the catalog's sense.)
    var controlPlaneOnly: [AccessVerdict.Consideration] {
        verdict.considered.filter { consideration in
            guard consideration.controlPlaneOnly, consideration.grants == false, !consideration.reason.hasPrefix("assigned to another"),
                  !consideration.reason.hasPrefix("scope ") else { return false }
            switch consideration.assignment.inForce(at: at) {
            case .yes, .unknown: return true
            case .notYetCreated, .ended, .never: return false
            }
        }
    }

    /// The names of the roles the principal holds at the scope or above at the time (in force, or present in a
    /// later snapshot with no known start), whatever they grant.
    var heldRoles: [String] {
        verdict.considered.filter { consideration in
            guard !consideration.reason.hasPrefix("assigned to another"), !consideration.reason.hasPrefix("scope ") else { return false }
            switch consideration.assignment.inForce(at: at) {
            case .yes, .unknown: return true
            case .notYetCreated, .ended, .never: return false
            }
        }.compactMap(\.roleName).uniqued()
    }

    /// The principal's assignments at the scope or above that would grant the permission but had ended by the time:
    /// role name, when it ended, and who deleted it when an Activity Log says.
    var endedGrants: [(String, Timestamp, String?)] {
        verdict.considered.compactMap { consideration in
            guard consideration.reason.contains("would grant it, but the assignment was gone"),
                  case .ended(let ended) = consideration.assignment.inForce(at: at) else { return nil }
            return (consideration.roleName ?? "role", ended, consideration.assignment.deletedBy)
        }
    }

    /// The granting assignment and when it started, when it started shortly before the time asked about.
    func recentGrant(within window: Int64) -> (RoleAssignmentHistory.Assignment, Timestamp)? {
        for consideration in verdict.considered where consideration.grants == true {
            for interval in consideration.assignment.intervals where interval.inForce(at: at) == .yes {
                let start = interval.knownFrom
                if case .exactly = interval.start, at.millisecondsSince1970 - start.millisecondsSince1970 <= window {
                    return (consideration.assignment, start)
                }
            }
        }
        return nil
    }
}
