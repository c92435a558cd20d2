import TrailModel

/// A granting role assignment exists at the scope, but for another principal: the identity's previous
/// generation (deleted and re-created under the same name), an orphaned principal, or another identity
/// of the same pool or account.
struct RoleAssignedToOtherPrincipalRule: DiagnosisRule {
    let code = DiagnosisCode.roleAssignedToOtherPrincipal
    let resolution = ResolutionStrategy.grantingRoleAssignment

    func diagnose(_ facts: FailureFacts, in context: ExplainContext) -> Diagnosis? {
        guard let check = facts.check, check.verdict.verdict == .notGranted, let permission = facts.permission,
              !check.grantsToOthers.isEmpty else { return nil }
        guard let other = check.facts.firstGrantToOther(orphanedOr: relatedPrincipals(facts, context)) else { return nil }
        let role = other.roleName ?? permission.leastPrivilegeRole
        let who = describe(other.assignment, facts: facts, context: context)
        let scope = facts.diagnosisScope
        var diagnosis = Diagnosis(
            code: code, identity: facts.identity, scope: scope, missingRole: permission.leastPrivilegeRole,
            missingAction: permission.action.name,
            finding: "\(role) at the scope is assigned to \(who), not to \(facts.identity.displayName) (principal \(facts.identity.principalID ?? "?"))",
            reason: "The assignment \(other.assignment.assignmentID ?? other.assignment.key) would grant \(permission.action.name), but its principal "
                + "\(other.assignment.principalID ?? "?") is not the one that made the request." + facts.rolesSentence,
            fix: FixCommands.assignRole(principal: facts.identity.principalID, role: permission.leastPrivilegeRole, scope: scope)
                + (other.assignment.isOrphaned
                    ? "   # then remove the orphaned assignment: az role assignment delete --ids \(other.assignment.assignmentID ?? other.assignment.key)" : ""))
        diagnosis.supporting = Array(other.assignment.evidence.prefix(2))
        return diagnosis
    }

    /// Principals that plausibly stand for the same identity: its other generations, and the other
    /// identities of the pool and account involved.
    func relatedPrincipals(_ facts: FailureFacts, _ context: ExplainContext) -> Set<String> {
        var principals = Set<String>()
        if let resourceID = facts.identity.resourceID,
           let identity = context.identity(withResourceID: resourceID) {
            principals.formUnion(identity.principalIDs)
        }
        for entry in (facts.pool?.identities ?? []) + (facts.account?.userAssignedIdentities ?? []) {
            if let principal = entry.principalID ?? context.reference(forIdentity: entry.resourceID, at: facts.time).principalID {
                principals.insert(principal)
            }
        }
        principals.remove(facts.identity.principalID ?? "")
        return principals
    }

    func describe(_ assignment: RoleAssignmentHistory.Assignment, facts: FailureFacts, context: ExplainContext) -> String {
        let principal = assignment.principalID ?? "?"
        if let identity = context.identities.first(where: { $0.principalIDs.contains(principal) }) {
            if identity.resourceID.map({ ARMScope($0) }) == facts.identity.resourceID.map({ ARMScope($0) }) {
                return "\(identity.name)'s previous principal \(principal) (the identity was re-created)"
            }
            return "\(identity.name) (principal \(principal))"
        }
        return assignment.isOrphaned ? "principal \(principal), which no longer exists" : "principal \(principal)"
    }
}
