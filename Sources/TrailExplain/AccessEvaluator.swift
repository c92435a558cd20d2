import TrailModel

/// The answer to "could this principal do this action at this scope at this time?".
public struct AccessVerdict: Sendable {
    public enum Verdict: String, Sendable {
        case granted
        case notGranted = "not-granted"
        case unknown
    }

    /// One assignment looked at, and why it does or does not grant.
    public struct Consideration: Sendable {
        public var assignment: RoleAssignmentHistory.Assignment
        public var roleName: String?
        /// true: grants; false: does not; nil: the evidence cannot tell.
        public var grants: Bool?
        public var reason: String
        /// The role holds only control-plane actions (Owner, Contributor, Reader ...).
        public var controlPlaneOnly: Bool
        /// For an assignment made to a group: whether the principal was a member, and the path.
        public var membership: GroupMembershipVerdict? = nil
    }

    public var verdict: Verdict
    public var principalIDs: [String]
    public var action: RequiredAction
    public var scope: ARMScope
    public var at: Timestamp
    public var considered: [Consideration]
    /// Evidence that would settle an `unknown` (or strengthen a `not-granted`).
    public var missingEvidence: [String]
    /// The snapshot a `not-granted` rests on.
    public var coveringSnapshot: RoleAssignmentHistory.Snapshot?
}

/// Evaluates Azure RBAC over the assignment history, never guessing: `not-granted` only when a
/// role assignment list covering the scope was taken at or after the time asked about.
public struct AccessEvaluator: Sendable {
    public let history: RoleAssignmentHistory
    public let catalog: RoleCatalog
    /// Group membership over time: an assignment to a group counts for its members.
    public let memberships: GroupMembershipHistory

    /// Positions in `history.assignments` by lower-case principal ID, and by normalized scope: a verdict looks only at
    /// the assignments of its principals and those at the scope or one of its ancestors, not at every assignment.
    let positionsByPrincipal: [String: [Int]]
    let positionsByScope: [String: [Int]]

    public init(history: RoleAssignmentHistory, catalog: RoleCatalog, memberships: GroupMembershipHistory = .empty) {
        self.history = history
        self.catalog = catalog
        self.memberships = memberships
        var byPrincipal: [String: [Int]] = [:]
        var byScope: [String: [Int]] = [:]
        for (position, assignment) in history.assignments.enumerated() {
            if let principal = assignment.principalID { byPrincipal[principal.lowercased(), default: []].append(position) }
            if let scope = assignment.scope { byScope[scope.normalized, default: []].append(position) }
        }
        positionsByPrincipal = byPrincipal
        positionsByScope = byScope
    }

    /// The assignments of one principal (any case), in history order, from the index built once.
    func assignments(of principal: String) -> [RoleAssignmentHistory.Assignment] {
        (positionsByPrincipal[principal.lowercased()] ?? []).map { history.assignments[$0] }
    }

    /// The positions of the assignments that can matter, in history order: the principals' own, and any at the
    /// scope or an ancestor of it (segment prefixes: the only scopes whose relation to it is `containsOrEqual`).
    func candidatePositions(principals: Set<String>, scope: ARMScope) -> [Int] {
        var positions: Set<Int> = []
        for principal in principals { positions.formUnion(positionsByPrincipal[principal] ?? []) }
        var prefix = ""
        positions.formUnion(positionsByScope["/"] ?? [])
        for segment in scope.segments {
            prefix += "/" + segment
            positions.formUnion(positionsByScope[prefix] ?? [])
        }
        return positions.sorted()
    }

    public func evaluate(principalIDs: [String], action: RequiredAction, scope: ARMScope, at time: Timestamp) -> AccessVerdict {
        let principals = Set(principalIDs.map { $0.lowercased() })
        var considered: [AccessVerdict.Consideration] = []
        var missing: [String] = []
        // Read assignments in place: only the ones considered are copied into the verdict.
        let assignments = history.assignments
        for index in candidatePositions(principals: principals, scope: scope) {
            let ours = assignments[index].principalID.map(principals.contains) ?? false
            let relation = assignments[index].scope?.relation(to: scope) ?? .unrelated
            // An assignment to a group the principal was in counts as its own; to another group, as a possible grant.
            let group = ours || memberships.groupIDs.isEmpty && assignments[index].principalType?.lowercased() != "group" ? nil
                : groupMembership(of: assignments[index], principals: Array(principals), at: time)
            let held = ours || group?.isMember == true
            // Other principals' assignments matter only where they would have granted: the "assigned to someone else" case.
            guard held || relation == .containsOrEqual else { continue }
            let role = catalog.role(guid: assignments[index].roleGUID, name: assignments[index].roleName)
            // Assignments to groups at the scope are all considered, whatever they grant, so that the same ones are at every time.
            guard held || group != nil || role?.permissions.grants(action) == true else { continue }
            let assignment = assignments[index]
            var consideration = AccessVerdict.Consideration(
                assignment: assignment, roleName: role?.name ?? assignment.roleName, grants: false, reason: "",
                controlPlaneOnly: role?.permissions.isControlPlaneOnly ?? false)
            consideration.reason = reason(for: assignment, ours: ours || group != nil, role: role, relation: relation, action: action, scope: scope,
                                          at: time, grants: &consideration.grants, missing: &missing)
            if let group { applyGroup(group, to: &consideration, missing: &missing) }
            considered.append(consideration)
        }
        let covering = history.snapshots.first { $0.covers(scope) && $0.observedAt >= time }
        let verdict: AccessVerdict.Verdict
        if considered.contains(where: { $0.grants == true }) {
            verdict = .granted
        } else if considered.contains(where: { $0.grants == nil }) {
            verdict = .unknown
        } else if covering != nil {
            verdict = .notGranted
        } else {
            verdict = .unknown
            let subscription = scope.subscriptionID.map { "/subscriptions/" + $0 } ?? scope.original
            missing.append("a role assignment list covering \(subscription) taken at or after \(time) (az role assignment list --all --include-inherited -o json)")
        }
        return AccessVerdict(verdict: verdict, principalIDs: principalIDs, action: action, scope: scope, at: time,
                             considered: considered, missingEvidence: missing.uniqued(), coveringSnapshot: covering)
    }

    /// Why one assignment does or does not grant; sets `grants` to false, true or nil (cannot tell).
    func reason(for assignment: RoleAssignmentHistory.Assignment, ours: Bool, role: RoleDefinition?, relation: ARMScope.Relation,
                action: RequiredAction, scope: ARMScope, at time: Timestamp, grants: inout Bool?, missing: inout [String]) -> String {
        let plane = action.isDataAction ? "data action" : "action"
        if !ours {
            return "assigned to another principal (\(assignment.principalID ?? assignment.principalName ?? "unknown"))"
                + (assignment.isOrphaned ? ", which no longer resolves (deleted?)" : "")
        }
        switch relation {
        case .unrelated:
            return "scope \(assignment.scope?.original ?? "?") is not \(scope.original) or one of its ancestors"
        case .dependsOnManagementGroup:
            grants = nil
            missing.append("which management group contains subscription \(scope.subscriptionID ?? "?")")
            return "assigned at management group \(assignment.scope?.original ?? "?"): whether it contains the scope is not in the evidence"
        case .containsOrEqual:
            break
        }
        guard let role else {
            grants = nil
            missing.append("the role definition \(assignment.roleGUID ?? assignment.roleName ?? "?") (az role definition list --name ...)")
            return "role definition \(assignment.roleGUID ?? assignment.roleName ?? "?") is not in the evidence"
        }
        if let exclusion = role.permissions.exclusion(of: action) {
            return "role \(role.name) allows it but excludes it with \(action.isDataAction ? "notDataActions" : "notActions") \(exclusion.pattern)"
        }
        guard role.permissions.grants(action) else {
            let planeNote = action.isDataAction && role.permissions.isControlPlaneOnly ? " (it has only control-plane actions)" : ""
            return "role \(role.name) has no \(plane) \(action.name)\(planeNote)"
        }
        switch assignment.inForce(at: time) {
        case .notYetCreated(let why):
            return "role \(role.name) would grant it, but the assignment was not in force yet (\(why))"
        case .ended(let ended):
            return "role \(role.name) would grant it, but the assignment was gone by \(ended)"
        case .never(let why):
            return "role \(role.name) would grant it, but the assignment never existed: \(why)"
        case .unknown(let why):
            grants = nil
            missing.append("a role assignment list covering \(assignment.scope?.original ?? scope.original) taken near \(time)")
            return "role \(role.name) grants it, but whether the assignment was in force is not known: \(why)"
        case .yes:
            break
        }
        if let condition = assignment.condition, !condition.isEmpty {
            grants = nil
            return "role \(role.name) grants it under an ABAC condition that mitrail does not evaluate: \(condition)"
        }
        grants = true
        return "role \(role.name) grants \(plane) \(action.name) at \(assignment.scope?.original ?? "?")"
    }
}

extension Array where Element: Hashable {
    /// The elements without repeats, first occurrence kept, in order.
    public func uniqued() -> [Element] {
        var seen: Set<Element> = []
        return filter { seen.insert($0).inserted }
    }
}
