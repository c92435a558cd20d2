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
    /// The same by node, each in time order (when the query's order is time order, which a binary search needs).
    let successfulTokenRequestsByNode: [String: [Failure]]
    let successfulTokenRequestsAreInTimeOrder: Bool
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

    public init(store: EvidenceStore) throws {
        let roleRows = try store.rows(ofQuery: "role_assignment_evidence")
        history = RoleAssignmentHistory(rows: roleRows)
        var callers: [EvidenceReference: String] = [:]
        for row in roleRows where row.string("evidence") == "write" {
            if let caller = row.string("caller") { callers[row.evidence] = caller }
        }
        writeCallers = callers
        roleCheckCache = RoleCheckCache(history: history)
        catalog = try RoleCatalog(store: store)
        evaluator = AccessEvaluator(history: history, catalog: catalog)
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
        successfulTokenRequests = try store.rows(ofQuery: "successful_token_requests").map(Failure.init)
        successfulTokenRequestsByNode = Dictionary(grouping: successfulTokenRequests.filter { $0.node != nil }, by: { $0.node! })
        successfulTokenRequestsAreInTimeOrder = zip(successfulTokenRequests, successfulTokenRequests.dropFirst())
            .allSatisfy { ($0.time ?? .distantPast) <= ($1.time ?? .distantPast) }
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
        for request in failures.filter(\.isIMDS) + successfulTokenRequests {
            if let time = request.time { times[request.node ?? "", default: []].append(time) }
        }
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
        if let target = failure.targetResource, let account = scopes.scope(target).resourceScope(namespace: "Microsoft.Storage", type: "storageAccounts") {
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
            (relevant.map { AccessEvaluator(history: $0, catalog: catalog) } ?? evaluator)
                .evaluate(principalIDs: [question.principal], action: action, scope: scopes.scope(scope), at: when)
        }
        return RoleCheck(verdict: facts.verdict.restamped(at: when), at: when, facts: facts)
    }

    /// The assignments of one principal (lower-case ID), from the evaluator's index.
    func assignments(of principal: String) -> [RoleAssignmentHistory.Assignment] {
        evaluator.assignments(of: principal)
    }
}

/// Verdicts already evaluated, by principal, action, scope and stretch of time (see `ExplainContext.roleCheck`).
final class RoleCheckCache: @unchecked Sendable {
    struct Question: Hashable {
        var principal: String
        var action: String
        var isDataAction: Bool
        var scope: String
    }

    /// What one question needs: the history cut to the assignments it considers, and their change points.
    struct Relevant {
        var history: RoleAssignmentHistory
        var changePoints: [Timestamp]
        var verdicts: [Stretch: RoleCheckFacts] = [:]
    }

    /// Where a time falls among the change points: how many lie before it, and whether it is one of them.
    struct Stretch: Hashable {
        var before: Int
        var isChangePoint: Bool
    }

    private let history: RoleAssignmentHistory
    private var questions: [Question: Relevant] = [:]
    private let lock = NSLock()

    init(history: RoleAssignmentHistory) {
        self.history = history
    }

    /// The cached verdict (and what the rules read from it) for the question at `time`, else the one `evaluate`
    /// gives (with the cut history once there is one), cached.
    func facts(_ question: Question, at time: Timestamp, evaluate: (RoleAssignmentHistory?) -> AccessVerdict) -> RoleCheckFacts {
        lock.lock()
        let known = questions[question]
        lock.unlock()
        if var relevant = known {
            let stretch = Self.stretch(of: time, among: relevant.changePoints)
            if let cached = relevant.verdicts[stretch] { return cached }
            let facts = RoleCheckFacts(evaluate(relevant.history))
            relevant.verdicts[stretch] = facts
            lock.lock()
            questions[question] = relevant
            lock.unlock()
            return facts
        }
        let facts = RoleCheckFacts(evaluate(nil))
        var cut = history
        var seen = Set<String>()
        cut.assignments = facts.verdict.considered.map(\.assignment).filter { seen.insert($0.key).inserted }
        var relevant = Relevant(history: cut, changePoints: Self.changePoints(cut))
        relevant.verdicts[Self.stretch(of: time, among: relevant.changePoints)] = facts
        lock.lock()
        questions[question] = relevant
        lock.unlock()
        return facts
    }

    static func changePoints(_ history: RoleAssignmentHistory) -> [Timestamp] {
        var points = Set(history.snapshots.map(\.observedAt))
        for assignment in history.assignments {
            for interval in assignment.intervals {
                switch interval.start {
                case .exactly(let time), .noLaterThan(let time): points.insert(time)
                case .between(let first, let second): points.formUnion([first, second])
                }
                switch interval.end {
                case .exactly(let time): points.insert(time)
                case .between(let first, let second): points.formUnion([first, second])
                case .notEnded: break
                }
            }
        }
        return points.sorted()
    }

    static func stretch(of time: Timestamp, among changePoints: [Timestamp]) -> Stretch {
        var low = 0, high = changePoints.count
        while low < high {
            let middle = (low + high) / 2
            if changePoints[middle] < time { low = middle + 1 } else { high = middle }
        }
        return Stretch(before: low, isChangePoint: low < changePoints.count && changePoints[low] == time)
    }
}

extension AccessVerdict {
    /// The same verdict asked at another time of the same stretch: only the time it names changes.
    func restamped(at time: Timestamp) -> AccessVerdict {
        guard time != at else { return self }
        var verdict = self
        let old = at.iso8601, new = time.iso8601
        verdict.missingEvidence = missingEvidence.map { $0.replacingOccurrences(of: old, with: new) }
        verdict.at = time
        return verdict
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
    /// What the rules read from the verdict, shared by every time of the same stretch (see `RoleCheckCache`).
    let facts: RoleCheckFacts

    init(verdict: AccessVerdict, at: Timestamp, facts: RoleCheckFacts? = nil) {
        self.verdict = verdict
        self.at = at
        self.facts = facts ?? RoleCheckFacts(verdict)
    }

    var grantsToOthers: [AccessVerdict.Consideration] { facts.grantsToOthers }
    var controlPlaneOnly: [AccessVerdict.Consideration] { facts.controlPlaneOnly }
    var heldRoles: [String] { facts.heldRoles }
    var endedGrants: [(String, Timestamp, String?)] { facts.endedGrants }

    /// The granting assignment and when it started, when it started shortly before the time asked about.
    func recentGrant(within window: Int64) -> (RoleAssignmentHistory.Assignment, Timestamp)? {
        for consideration in facts.granting {
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

/// What the rules read from one verdict, worked out once: every time of the same stretch of the history gives
/// the same answers (the assignments' in-force states do not change inside a stretch).
final class RoleCheckFacts: @unchecked Sendable {
    let verdict: AccessVerdict

    init(_ verdict: AccessVerdict) {
        self.verdict = verdict
    }

    /// The principal's own assignments among those considered.
    lazy var own: [AccessVerdict.Consideration] = {
        let principals = Set(verdict.principalIDs.map { $0.lowercased() })
        return verdict.considered.filter { $0.assignment.principalID.map(principals.contains) ?? false }
    }()

    /// The considered assignments that grant.
    lazy var granting: [AccessVerdict.Consideration] = verdict.considered.filter { $0.grants == true }

    /// Granting assignments held by other principals at the scope, in force at the time.
    lazy var grantsToOthers: [AccessVerdict.Consideration] = {
        let principals = Set(verdict.principalIDs.map { $0.lowercased() })
        return verdict.considered.filter { consideration in
            !(consideration.assignment.principalID.map(principals.contains) ?? false)
                && consideration.reason.hasPrefix("assigned to another principal")
                && consideration.assignment.inForce(at: verdict.at) == .yes
        }
    }()

    /// The first of `grantsToOthers` that is orphaned or held by one of `principals`: the index of each
    /// principal's first one, worked out once, so that a question asked for every failure does not walk them all.
    func firstGrantToOther(orphanedOr principals: Set<String>) -> AccessVerdict.Consideration? {
        let candidates = principals.compactMap { firstGrantByPrincipal[$0] } + (firstOrphanedGrant.map { [$0] } ?? [])
        return candidates.min().map { grantsToOthers[$0] }
    }

    private lazy var firstGrantByPrincipal: [String: Int] = {
        var first: [String: Int] = [:]
        for (index, consideration) in grantsToOthers.enumerated() {
            if let principal = consideration.assignment.principalID, first[principal] == nil { first[principal] = index }
        }
        return first
    }()

    private lazy var firstOrphanedGrant: Int? = grantsToOthers.firstIndex { $0.assignment.isOrphaned }

    /// The principal's own assignments at the scope or above, in force at the time or with no known start:
    /// what it "holds" in the catalog's sense.
    lazy var held: [AccessVerdict.Consideration] = own.filter { consideration in
        guard !consideration.reason.hasPrefix("scope ") else { return false }
        switch consideration.assignment.inForce(at: verdict.at) {
        case .yes, .unknown: return true
        case .notYetCreated, .ended, .never: return false
        }
    }

    /// The held assignments whose roles have only control-plane actions.
    lazy var controlPlaneOnly: [AccessVerdict.Consideration] = held.filter { $0.controlPlaneOnly && $0.grants == false }

    /// The names of the roles held, whatever they grant.
    lazy var heldRoles: [String] = held.compactMap(\.roleName).uniqued()

    /// The principal's assignments at the scope or above that would grant the permission but had ended by the time:
    /// role name, when it ended, and who deleted it when an Activity Log says.
    lazy var endedGrants: [(String, Timestamp, String?)] = own.compactMap { consideration in
        guard consideration.reason.contains("would grant it, but the assignment was gone"),
              case .ended(let ended) = consideration.assignment.inForce(at: verdict.at) else { return nil }
        return (consideration.roleName ?? "role", ended, consideration.assignment.deletedBy)
    }
}

/// ARM scopes by their text, parsed once (splitting an ID costs more than looking it up).
final class ScopeParser: @unchecked Sendable {
    private var parsed: [String: ARMScope] = [:]
    private var normalizedForms: [String: String] = [:]
    private let lock = NSLock()

    /// `ARMScope(text).normalized`, worked out once per text.
    func normalized(_ text: String) -> String {
        lock.lock()
        if let known = normalizedForms[text] {
            lock.unlock()
            return known
        }
        lock.unlock()
        let form = scope(text).normalized
        lock.lock()
        normalizedForms[text] = form
        lock.unlock()
        return form
    }

    func scope(_ text: String) -> ARMScope {
        lock.lock()
        defer { lock.unlock() }
        if let scope = parsed[text] { return scope }
        let scope = ARMScope(text)
        parsed[text] = scope
        return scope
    }
}
