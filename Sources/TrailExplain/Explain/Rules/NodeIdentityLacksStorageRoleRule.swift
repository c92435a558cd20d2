import TrailModel

/// The node identity reference and the pool agree, but the identity has no data role on the storage:
/// nodes idle without their packages, tasks `ResourceContainerAccessDenied`, Storage 403
/// `AuthorizationPermissionMismatch`. Seed: application packages and resource files, scenario 2.
struct NodeIdentityLacksStorageRoleRule: DiagnosisRule {
    let code = DiagnosisCode.nodeIdentityLacksStorageRole
    let resolution = ResolutionStrategy.grantingRoleAssignment

    func diagnose(_ facts: FailureFacts, in context: ExplainContext) -> Diagnosis? {
        guard facts.failure.isBatchNodeFailure || facts.usesAutoStorage, let check = facts.check, check.verdict.verdict == .notGranted,
              let permission = facts.permission else { return nil }
        if let pool = facts.pool, let reference = facts.identityResourceID, !pool.hasIdentity(reference) { return nil }
        let scope = facts.diagnosisScope
        var diagnosis = Diagnosis(
            code: code, identity: facts.identity, scope: scope, missingRole: permission.leastPrivilegeRole,
            missingAction: permission.action.name,
            finding: "\(facts.identity.displayName), the identity nodes of \(poolName(facts, context)) use, cannot read \(storageName(scope))",
            reason: "\(facts.identity.displayName) is "
                + (facts.usesAutoStorage ? "the node identity reference of \(facts.account?.name ?? "the Batch account")" : "the task's identity reference")
                + (facts.pool.map { " and an identity of pool \($0.name)" } ?? "")
                + ", but no role assignment in force at \(check.at) grants it \(permission.action.name) at \(facts.scope ?? "the storage") or above."
                + facts.rolesSentence,
            fix: FixCommands.assignRole(principal: facts.identity.principalID, role: permission.leastPrivilegeRole, scope: scope)
                + check.joinGroupFix(principal: facts.identity.principalID))
        diagnosis.supporting = (facts.account.map { [$0.evidence] } ?? []) + (facts.pool.map { [$0.evidence] } ?? [])
            + (check.verdict.coveringSnapshot.map { [EvidenceReference(source: $0.source, line: nil)] } ?? []) + check.groupEvidence
        return diagnosis
    }
}

/// The pool the failure is on, else the pools that have the identity.
func poolName(_ facts: FailureFacts, _ context: ExplainContext) -> String {
    if let name = facts.pool?.name ?? facts.failure.pool { return name }
    let pools = Set(context.configuration.pools.filter { pool in facts.identityResourceID.map(pool.hasIdentity) ?? false }.map(\.name))
    return pools.isEmpty ? "the pool" : pools.sorted().joined(separator: ", ")
}

/// `stfixture` (container `appdata`) from a storage scope.
func storageName(_ scope: String?) -> String {
    guard let scope else { return "the storage account" }
    // Split on bytes: this runs for every failure of a storage episode, and splitting on Characters costs more.
    let parts = scope.utf8.split(separator: UInt8(ascii: "/")).map { String(decoding: $0, as: UTF8.self) }
    guard let accountIndex = parts.firstIndex(where: { $0.lowercased() == "storageaccounts" }), accountIndex + 1 < parts.count else { return scope }
    let container = parts.firstIndex(where: { $0.lowercased() == "containers" }).flatMap { $0 + 1 < parts.count ? parts[$0 + 1] : nil }
    return "storage account \(parts[accountIndex + 1])" + (container.map { " (container \($0))" } ?? "")
}
