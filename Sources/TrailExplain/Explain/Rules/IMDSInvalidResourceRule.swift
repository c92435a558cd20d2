import TrailModel

/// IMDS 400 `invalid_resource` (AADSTS50001 / AADSTS500011): the resource URI names no service.
struct IMDSInvalidResourceRule: DiagnosisRule {
    let code = DiagnosisCode.imdsInvalidResource
    let resolution = ResolutionStrategy.failuresStop(.serviceAudience)

    func diagnose(_ facts: FailureFacts, in context: ExplainContext) -> Diagnosis? {
        let failure = facts.failure
        guard failure.isTokenRequestFailure else { return nil }
        let text = failure.lowercasedErrorText
        guard text.containsBytes("invalid_resource") || text.containsBytes("aadsts500011") || text.containsBytes("aadsts50001") || text.containsBytes("500011")
        else { return nil }
        // The audience of the service the wrong value points at (a storage account URL → Storage), when it says.
        let audience = tokenAudience(forServiceAt: failure.resource)
        return Diagnosis(
            code: code, identity: facts.identity, scope: failure.resource,
            finding: "A token was requested for \(failure.resource ?? "a resource") that Entra ID does not know",
            reason: "IMDS relayed invalid_resource (AADSTS500011 / AADSTS50001): the `resource` parameter must be the called service's "
                + "application ID URI, e.g. https://storage.azure.com/ for Storage, https://management.azure.com/ for ARM, https://vault.azure.net for Key Vault."
                + (audience.map { " \(failure.resource ?? "It") is an endpoint of a service whose tokens are requested for \($0)." } ?? "") + facts.inferredIdentitySentence,
            fix: audience.map { "request the token for the service's audience: " + FixCommands.imdsRequest(url: failure.url, resource: $0) }
                ?? "request the token for the called service's application ID URI (Storage https://storage.azure.com/, ARM https://management.azure.com/, Key Vault https://vault.azure.net)")
    }
}
