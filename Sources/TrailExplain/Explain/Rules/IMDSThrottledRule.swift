import TrailModel

/// IMDS 429 "Temporarily throttled": too many token requests; says whether the client backed off.
struct IMDSThrottledRule: DiagnosisRule {
    let code = DiagnosisCode.imdsThrottled
    let resolution = ResolutionStrategy.failuresStop(.sameRequest)
    /// A retry sooner than this after a 429 did not back off.
    static let minimumBackoff: Int64 = 1_000

    func diagnose(_ facts: FailureFacts, in context: ExplainContext) -> Diagnosis? {
        let failure = facts.failure
        guard failure.isTokenRequestFailure, failure.status == 429 || failure.marker == "ImdsThrottled"
                || failure.lowercasedErrorText.containsBytes("temporarily throttled") else { return nil }
        var backoff = "Whether the client backed off is not in the evidence (no later request from the node)."
        if let time = failure.time, let next = context.nextTokenRequest(after: time, node: failure.node) {
            let gap = next.millisecondsSince1970 - time.millisecondsSince1970
            backoff = gap < Self.minimumBackoff
                ? "The client did not back off: it asked again \(gap) ms later."
                : "The client waited \(gap / 1000) s before asking again."
        }
        return Diagnosis(
            code: code, identity: facts.identity, scope: failure.resource,
            finding: "IMDS throttled token requests on \(failure.node ?? "the node") (HTTP 429)",
            reason: "IMDS limits token requests per VM; callers should cache tokens and retry with exponential back-off. " + backoff + facts.inferredIdentitySentence,
            fix: "cache tokens until shortly before expires_on, and retry 429s with exponential back-off (Azure Identity's ManagedIdentityCredential does both)")
    }
}
