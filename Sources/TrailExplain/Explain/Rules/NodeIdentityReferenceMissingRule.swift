import TrailModel

/// Autostorage uses the Batch account's managed identity, but no node identity reference says which
/// identity the nodes should use: nodes stuck `starting` (agent log `TvmJoinPoolInProgress`), tasks
/// `ResourceContainerAccessDenied`. Seed: application packages and resource files, scenario 3.
struct NodeIdentityReferenceMissingRule: DiagnosisRule {
    let code = DiagnosisCode.nodeIdentityReferenceMissing
    let resolution = ResolutionStrategy.configurationChange(.nodeIdentityReference)

    func diagnose(_ facts: FailureFacts, in context: ExplainContext) -> Diagnosis? {
        guard facts.usesAutoStorage, let account = facts.account, account.usesManagedIdentityForAutoStorage,
              account.nodeIdentityReference == nil else { return nil }
        let identities = facts.pool?.identities.map(\.resourceID) ?? []
        var fix = FixCommands.setNodeIdentityReference(account: account, identity: identities.first ?? "<user-assigned-identity-of-the-pool>")
        if identities.count > 1 {
            fix += "   # or another identity of pool \(facts.pool?.name ?? "?"): "
                + identities.dropFirst().map { $0.split(separator: "/").last.map(String.init) ?? $0 }.joined(separator: ", ")
        }
        // No identity is involved: the nodes have none for autostorage. The pool's identity is only the fix's candidate.
        var diagnosis = Diagnosis(
            code: code, identity: IdentityReference(), scope: account.autoStorageAccountID,
            finding: "Nodes of \(facts.pool?.name ?? facts.failure.pool ?? "the pool") cannot reach autostorage: Batch account \(account.name) has no node identity reference",
            reason: "Autostorage of \(account.name) authenticates with BatchAccountManagedIdentity, but no node identity reference names the "
                + "user-assigned identity compute nodes should use, so the node identity is null: "
                // What this failure shows: the seed's application package symptom or its resource file one.
                + (facts.failure.kind == "azure:batch:task"
                    ? "tasks cannot read autostorage containers (ResourceContainerAccessDenied)."
                    : "nodes that need the pool's application packages stay starting (TvmJoinPoolInProgress)."),
            fix: fix)
        diagnosis.supporting = [account.evidence] + (facts.pool.map { [$0.evidence] } ?? [])
        return diagnosis
    }
}
