import TrailModel

/// `.grantingRoleAssignment`: the first role assignment for the principal, created after the last failure, that
/// grants the missing action at the scope or above.
///
/// The grants considered are `grants(to:scope:action:context:)`: today the principal's own assignments; a grant
/// that reaches the principal another way (a group it was added to) is another source of `Grant`s, and the rest
/// (the earliest after the time, its wording) stays as it is.
enum GrantingAssignment {
    /// One way the missing action came to be granted to the principal, from the time it is known to be in force.
    struct Grant {
        var knownFrom: Timestamp
        var assignment: RoleAssignmentHistory.Assignment
        var interval: AssignmentInterval
    }

    static func first(for diagnosis: Diagnosis, after time: Timestamp, in context: ExplainContext) -> Resolution? {
        guard let principal = diagnosis.identity.principalID, let actionName = diagnosis.missingAction, let scope = diagnosis.scope else { return nil }
        let action = RequiredAction(actionName, isDataAction: actionName.contains("/blobServices/") || actionName.contains("/secrets/"))
        let best = grants(to: principal, scope: scope, action: action, context: context)
            .filter { $0.knownFrom > time }
            .min { $0.knownFrom < $1.knownFrom }
        guard let best else { return nil }
        return Resolution(at: best.knownFrom, by: describe(best, scope: scope, context: context),
                          evidence: best.interval.startEvidence ?? best.assignment.evidence.first)
    }

    /// Every interval of an assignment of `principal` at `scope` or above whose role grants `action`.
    static func grants(to principal: String, scope: String, action: RequiredAction, context: ExplainContext) -> [Grant] {
        var grants: [Grant] = []
        for assignment in context.assignments(of: principal) {
            guard let assigned = assignment.scope, assigned.contains(context.scopes.scope(scope)),
                  context.catalog.role(guid: assignment.roleGUID, name: assignment.roleName)?.permissions.grants(action) == true else { continue }
            grants += assignment.intervals.map { Grant(knownFrom: $0.knownFrom, assignment: assignment, interval: $0) }
        }
        return grants
    }

    /// "role assignment c3: Storage Blob Data Reader at SCOPE created by admin@...", or when its creation is not pinned.
    static func describe(_ grant: Grant, scope: String, context: ExplainContext) -> String {
        let assignment = grant.assignment
        let role = context.catalog.role(guid: assignment.roleGUID, name: assignment.roleName)?.name ?? "a role"
        var text = "role assignment \(assignment.assignmentID?.split(separator: "/").last.map(String.init) ?? assignment.key): \(role) at \(assignment.scope?.original ?? scope)"
        switch grant.interval.start {
        case .exactly:
            let creator = assignment.createdBy ?? grant.interval.startEvidence.flatMap { context.writeCallers[$0] }
            text += creator.map { " created by \($0)" } ?? ""
        case .between(let absent, _): text += ", created between \(absent) and \(grant.knownFrom)"
        case .noLaterThan: text += ", first seen at \(grant.knownFrom)"
        }
        return text
    }
}

/// `.grantTookEffect`: a propagation delay ends when the grant takes effect. Resolved by the granting assignment
/// when every failure came within the usual propagation window after it; failures later than that (a cached
/// token) leave it ongoing. `last` is the episode's last failure (failures are added in time order).
enum GrantTookEffect {
    static func find(for diagnosis: Diagnosis, last: Timestamp, in context: ExplainContext) -> Resolution? {
        guard let principal = diagnosis.identity.principalID, let scope = diagnosis.scope else { return nil }
        var grant: (Timestamp, RoleAssignmentHistory.Assignment, AssignmentInterval)?
        for assignment in context.assignments(of: principal) {
            guard let assigned = assignment.scope, assigned.contains(context.scopes.scope(scope)) || context.scopes.scope(scope).contains(assigned) else { continue }
            for interval in assignment.intervals where interval.inForce(at: last) == .yes {
                guard case .exactly(let created) = interval.start, created <= last else { continue }
                if grant == nil || created > grant!.0 { grant = (created, assignment, interval) }
            }
        }
        guard let (created, assignment, interval) = grant,
              last.millisecondsSince1970 - created.millisecondsSince1970 <= ExplainContext.propagationWindow else { return nil }
        let role = context.catalog.role(guid: assignment.roleGUID, name: assignment.roleName)?.name ?? "a role"
        let creator = assignment.createdBy ?? interval.startEvidence.flatMap { context.writeCallers[$0] }
        return Resolution(at: created, by: "role assignment \(assignment.assignmentID?.split(separator: "/").last.map(String.init) ?? assignment.key): \(role) at "
                              + "\(assignment.scope?.original ?? scope)" + (creator.map { " created by \($0)" } ?? "")
                              + "; every failure came within the usual 10-minute propagation window after it",
                          evidence: interval.startEvidence ?? assignment.evidence.first)
    }
}
