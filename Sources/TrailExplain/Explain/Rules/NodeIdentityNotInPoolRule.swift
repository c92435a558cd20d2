import TrailModel

/// The node identity reference (or a task's identity reference) is not one of the pool's identities:
/// nodes `unusable` with `ApplicationPackageError`, tasks `ResourceContainerListMiscError` (HTTP 400).
/// Seed: application packages and resource files, scenario 4.
struct NodeIdentityNotInPoolRule: DiagnosisRule {
    let code = DiagnosisCode.nodeIdentityNotInPool

    func diagnose(_ facts: FailureFacts, in context: ExplainContext) -> Diagnosis? {
        guard facts.failure.isBatchNodeFailure, let reference = facts.identityResourceID, let pool = facts.pool,
              !pool.hasIdentity(reference) else { return nil }
        let poolIdentities = pool.identities.map { $0.resourceID.split(separator: "/").last.map(String.init) ?? $0.resourceID }
        let what = facts.usesAutoStorage ? "the node identity reference of \(facts.account?.name ?? "the Batch account")" : "the task's identity reference"
        var diagnosis = Diagnosis(
            code: code, identity: facts.identity, scope: facts.scope,
            finding: "\(facts.identity.displayName) is \(what) but is not an identity of pool \(pool.name)",
            reason: "Pool \(pool.name) has the identities [\(poolIdentities.joined(separator: ", "))]; a node can only get tokens for those, "
                + "so the storage request for \(facts.identity.displayName) fails (nodes unusable with ApplicationPackageError, "
                + "tasks ResourceContainerListMiscError with HTTP 400).",
            fix: facts.usesAutoStorage && facts.account != nil && pool.identities.first != nil
                ? FixCommands.setNodeIdentityReference(account: facts.account!, identity: pool.identities[0].resourceID)
                    + "   # or add \(reference) to the pool's identities"
                : "add \(reference) to pool \(pool.name)'s user-assigned identities, or use one of them as the identity reference")
        diagnosis.supporting = [pool.evidence] + (facts.account.map { [$0.evidence] } ?? [])
        return diagnosis
    }
}
