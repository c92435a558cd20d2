import TrailModel

/// IMDS 400: several user-assigned identities are on the node and the request named none of them.
struct IMDSIdentityAmbiguousRule: DiagnosisRule {
    let code = DiagnosisCode.imdsIdentityAmbiguous
    let resolution = ResolutionStrategy.failuresStop(.sameResourceAnyIdentity)

    func diagnose(_ facts: FailureFacts, in context: ExplainContext) -> Diagnosis? {
        let failure = facts.failure
        guard failure.isTokenRequestFailure, failure.lowercasedErrorText.containsBytes("multiple user assigned identities")
                || failure.lowercasedErrorText.containsBytes("multiple user-assigned identities") else { return nil }
        let names = facts.poolIdentityNames(context)
        let pool = context.configuration.pool(named: failure.pool, account: failure.account, at: facts.time)
        return Diagnosis(
            code: code, identity: IdentityReference(), scope: failure.resource,
            finding: "A token request on \(failure.node ?? failure.pool ?? "the node") named no identity, and the node has several",
            reason: "IMDS answers 400 when more than one user-assigned identity is attached and the request has no client_id, object_id or mi_res_id"
                + (names.isEmpty ? "." : ": pool \(pool?.name ?? "?") has [\(names.joined(separator: ", "))]."),
            fix: "name the identity in the request (client_id, object_id or mi_res_id), e.g. "
                + FixCommands.imdsRequest(url: failure.url, identity: ("mi_res_id", pool?.identities.first?.resourceID ?? "<user-assigned-identity-resource-id>")))
    }
}
