import TrailModel

/// ARM 403 `AuthorizationFailed`: the message names the client, object id, action and scope.
struct ARMAuthorizationFailedRule: DiagnosisRule {
    let code = DiagnosisCode.armAuthorizationFailed
    let resolution = ResolutionStrategy.grantingRoleAssignment

    func diagnose(_ facts: FailureFacts, in context: ExplainContext) -> Diagnosis? {
        guard facts.failure.code == "AuthorizationFailed" || facts.failure.code == "LinkedAuthorizationFailed",
              let action = facts.failure.action else { return nil }
        if facts.check?.verdict.verdict == .granted { return nil }
        let role = facts.permission?.leastPrivilegeRole ?? "a role that grants \(action)"
        var diagnosis = Diagnosis(
            code: code, identity: facts.identity, scope: facts.failure.scope, missingRole: role, missingAction: action,
            finding: "\(facts.identity.displayName) may not perform \(action) at \(facts.failure.scope ?? "the scope")",
            reason: "Azure Resource Manager refused the request (AuthorizationFailed) for client \(facts.identity.clientID ?? "?") with object id "
                + "\(facts.identity.principalID ?? "?"): no role it holds at that scope or above includes \(action)." + facts.rolesSentence,
            fix: FixCommands.assignRole(principal: facts.identity.principalID, role: role, scope: facts.failure.scope))
        diagnosis.supporting = facts.check?.verdict.coveringSnapshot.map { [EvidenceReference(source: $0.source, line: nil)] } ?? []
        return diagnosis
    }
}
