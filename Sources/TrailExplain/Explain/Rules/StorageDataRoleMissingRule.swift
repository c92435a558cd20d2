import TrailModel

/// A principal's Storage 403 `AuthorizationPermissionMismatch` outside the Batch node cases: it has no
/// data role that grants the blob operation at the container, account or above.
struct StorageDataRoleMissingRule: DiagnosisRule {
    let code = DiagnosisCode.storageDataRoleMissing
    let resolution = ResolutionStrategy.grantingRoleAssignment

    func diagnose(_ facts: FailureFacts, in context: ExplainContext) -> Diagnosis? {
        guard FailureFacts.storagePermissionCodes.contains(facts.failure.code ?? "") || facts.failure.status == 403,
              facts.failure.kind.hasPrefix("azure:storage:") || facts.failure.kind == "azure:identity:client-log-line",
              let check = facts.check, check.verdict.verdict == .notGranted, let permission = facts.permission else { return nil }
        var diagnosis = Diagnosis(
            code: code, identity: facts.identity, scope: facts.scope, missingRole: permission.leastPrivilegeRole,
            missingAction: permission.action.name,
            finding: "\(facts.identity.displayName) was refused \(facts.failure.operationName ?? "access") on \(storageName(facts.scope)) (\(facts.failure.what))",
            reason: "No role assignment in force at \(check.at) grants principal \(facts.identity.principalID ?? "?") the data action "
                + "\(permission.action.name) at \(facts.scope ?? "the storage") or above." + facts.rolesSentence,
            fix: FixCommands.assignRole(principal: facts.identity.principalID, role: permission.leastPrivilegeRole, scope: facts.scope)
                + check.joinGroupFix(principal: facts.identity.principalID))
        diagnosis.supporting = (check.verdict.coveringSnapshot.map { [EvidenceReference(source: $0.source, line: nil)] } ?? []) + check.groupEvidence
        return diagnosis
    }
}
