import TrailModel

/// The failure came within the propagation window after a granting role assignment was created:
/// role assignments take about 10 minutes to apply, and a managed identity's cached token can predate it.
struct RBACPropagationDelayRule: DiagnosisRule {
    let code = DiagnosisCode.rbacPropagationDelay
    let resolution = ResolutionStrategy.grantTookEffect

    func diagnose(_ facts: FailureFacts, in context: ExplainContext) -> Diagnosis? {
        if let check = facts.check, check.verdict.verdict == .granted,
           let (consideration, step, added) = check.recentMembershipGrant(within: ExplainContext.groupMembershipWindow) {
            return MembershipPropagation.diagnosis(facts, consideration: consideration, step: step, added: added, context: context)
        }
        guard let check = facts.check, check.verdict.verdict == .granted,
              let (assignment, created) = check.recentGrant(within: ExplainContext.tokenCacheWindow),
              let failed = facts.time else { return nil }
        let minutes = (failed.millisecondsSince1970 - created.millisecondsSince1970) / 60_000
        let role = context.catalog.role(guid: assignment.roleGUID, name: assignment.roleName)?.name ?? "the role"
        let usual = minutes * 60_000 <= ExplainContext.propagationWindow
        var diagnosis = Diagnosis(
            code: code, identity: facts.identity, scope: facts.diagnosisScope,
            finding: "\(facts.failure.what) \(minutes) min after \(role) was granted to \(facts.identity.displayName): the grant had not taken effect",
            reason: "A role assignment for \(facts.identity.displayName) with \(role) at \(assignment.scope?.original ?? "the scope") was created at \(created); "
                + (usual ? "new role assignments take up to about 10 minutes to apply."
                         : "that is longer than the usual 10 minutes: a token issued before the grant may still be in use (managed identity tokens are cached up to 24 hours)."),
            fix: "wait for the assignment to apply, then retry; a new token (a restarted node or process) picks it up at once")
        diagnosis.supporting = Array(assignment.evidence.prefix(2))
        return diagnosis
    }
}
