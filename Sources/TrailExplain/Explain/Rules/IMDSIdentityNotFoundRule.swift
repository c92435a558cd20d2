import TrailModel

/// IMDS 400 "Identity not found": the identity the request names is not attached to this pool or VM.
struct IMDSIdentityNotFoundRule: DiagnosisRule {
    let code = DiagnosisCode.imdsIdentityNotFound

    func diagnose(_ facts: FailureFacts, in context: ExplainContext) -> Diagnosis? {
        let failure = facts.failure
        guard failure.isTokenRequestFailure, failure.errorText.localizedCaseInsensitiveContains("Identity not found")
                || failure.marker == "ImdsIdentityNotFound" else { return nil }
        let requested = IdentityReference(resourceID: failure.identityResourceID, clientID: failure.clientID, principalID: failure.principalID)
        let names = facts.poolIdentityNames(context)
        let pool = context.configuration.pool(named: failure.pool, account: failure.account, at: facts.time)
        return Diagnosis(
            code: code, identity: requested, scope: failure.resource,
            finding: "The token request on \(failure.node ?? "the node") asked for \(requested.displayName), which is not attached there",
            reason: "IMDS answers 400 \"Identity not found\" when the client_id, object_id or mi_res_id names an identity the VM does not have"
                + (names.isEmpty ? "; the pool's identities are not in the evidence." : "; pool \(pool?.name ?? "?") has [\(names.joined(separator: ", "))]."),
            fix: pool.map { "request one of the pool's identities (" + FixCommands.imdsRequest(resource: failure.resource, identityResourceID: $0.identities.first?.resourceID)
                + "), or add \(requested.resourceID ?? "the identity") to pool \($0.name)" }
                ?? "request an identity that is attached to the pool or VM, or attach \(requested.displayName)")
    }
}
