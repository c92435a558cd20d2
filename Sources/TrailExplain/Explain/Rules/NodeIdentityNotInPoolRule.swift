import TrailModel

/// The node identity reference (or a task's identity reference) is not one of the pool's identities:
/// nodes `unusable` with `ApplicationPackageError`, tasks `ResourceContainerListMiscError` (HTTP 400).
/// Seed: application packages and resource files, scenario 4.
struct NodeIdentityNotInPoolRule: DiagnosisRule {
    let code = DiagnosisCode.nodeIdentityNotInPool
    let resolution = ResolutionStrategy.identityAttachedToPool

    func diagnose(_ facts: FailureFacts, in context: ExplainContext) -> Diagnosis? {
        guard facts.failure.isBatchNodeFailure, let reference = facts.identityResourceID, let pool = facts.pool,
              !pool.hasIdentity(reference) else { return nil }
        let poolIdentities = pool.identities.map { $0.resourceID.split(separator: "/").last.map(String.init) ?? $0.resourceID }
        let what = facts.usesAutoStorage ? "the node identity reference of \(facts.account?.name ?? "the Batch account")" : "the task's identity reference"
        // The reference must also be a pool identity (seed: "the one that's defined in the node identity reference must
        // also be defined in the pool identity"): add it to the pool rather than repoint the account, whose other pools
        // and role assignments rely on the reference.
        var fix = FixCommands.addPoolIdentity(pool: pool, account: facts.account, identity: reference)
        if !facts.usesAutoStorage { fix += "; or give the task an identity reference the pool has" }
        var diagnosis = Diagnosis(
            code: code, identity: facts.identity, scope: facts.diagnosisScope,
            finding: "\(facts.identity.displayName) is \(what) but is not an identity of pool \(pool.name)",
            reason: "Pool \(pool.name) has the identities [\(poolIdentities.joined(separator: ", "))]; its nodes can only get tokens for those, "
                + "so reaching the storage as \(facts.identity.displayName) fails: "
                + (facts.failure.kind == "azure:batch:task"
                    ? "tasks fail with ResourceContainerListMiscError (HTTP 400 Bad Request)."
                    : "nodes go unusable with ApplicationPackageError when the pool has application packages."),
            fix: fix)
        diagnosis.supporting = [pool.evidence] + (facts.account.map { [$0.evidence] } ?? [])
        return diagnosis
    }
}
