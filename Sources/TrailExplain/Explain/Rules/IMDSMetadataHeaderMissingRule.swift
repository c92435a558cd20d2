import TrailModel

/// IMDS 400 `bad_request_102` "Required metadata header not specified".
struct IMDSMetadataHeaderMissingRule: DiagnosisRule {
    let code = DiagnosisCode.imdsMetadataHeaderMissing
    let resolution = ResolutionStrategy.failuresStop(.sameRequest)

    func diagnose(_ facts: FailureFacts, in context: ExplainContext) -> Diagnosis? {
        let failure = facts.failure
        guard failure.isTokenRequestFailure, failure.lowercasedErrorText.containsBytes("metadata header")
                || failure.lowercasedErrorText.containsBytes("bad_request_102") || (failure.status == 400 && failure.metadataHeader == false) else { return nil }
        return Diagnosis(
            code: code, identity: facts.identity, scope: failure.resource,
            finding: "A token request on \(failure.node ?? "the node") was sent without the header Metadata: true",
            reason: "IMDS refuses requests without `Metadata: true` (400 bad_request_102), a guard against server-side request forgery." + facts.inferredIdentitySentence,
            fix: "send the same request with the header: " + FixCommands.imdsRequest(url: failure.url))
    }
}
