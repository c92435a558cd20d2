import TrailModel

/// IMDS 400 "Identity not found": the identity the request names is not attached to this pool or VM.
struct IMDSIdentityNotFoundRule: DiagnosisRule {
    let code = DiagnosisCode.imdsIdentityNotFound
    let resolution = ResolutionStrategy.failuresStop(.sameResourceAnyIdentity)

    func diagnose(_ facts: FailureFacts, in context: ExplainContext) -> Diagnosis? {
        let failure = facts.failure
        guard failure.isTokenRequestFailure, failure.lowercasedErrorText.containsBytes("identity not found")
                || failure.marker == "ImdsIdentityNotFound" else { return nil }
        // The identity the request named (client_id, object_id or mi_res_id), completed from the identities in the evidence.
        let named = failure.identityResourceID != nil || failure.clientID != nil || failure.principalID != nil
        let requested = named ? context.reference(for: failure) : IdentityReference()
        let names = facts.poolIdentityNames(context)
        let pool = context.configuration.pool(named: failure.pool, account: failure.account, at: facts.time)
        let who = named ? requested.displayName : "an identity the evidence does not name"
        var fix = "request an identity that is attached to the pool or VM"
        if let pool, let first = pool.identities.first {
            fix = "request one of the pool's identities: " + FixCommands.imdsRequest(url: failure.url, identity: ("mi_res_id", first.resourceID))
            if let resourceID = requested.resourceID {
                let account = context.configuration.account(named: pool.account ?? failure.account, at: facts.time)
                fix += "; or attach \(requested.displayName) to the pool: " + FixCommands.addPoolIdentity(pool: pool, account: account, identity: resourceID)
            }
        }
        return Diagnosis(
            code: code, identity: requested, scope: failure.resource,
            finding: "The token request on \(failure.node ?? "the node") asked for \(who), which is not attached there",
            reason: "IMDS answers 400 \"Identity not found\" when the client_id, object_id or mi_res_id names an identity the VM does not have"
                + (names.isEmpty ? "; the pool's identities are not in the evidence." : "; pool \(pool?.name ?? "?") has [\(names.joined(separator: ", "))]."),
            fix: fix)
    }
}
