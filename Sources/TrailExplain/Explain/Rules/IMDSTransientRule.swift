import TrailModel

/// IMDS 404, 410, 5xx or no answer: a transient condition (the endpoint updating, not yet reachable); retry.
struct IMDSTransientRule: DiagnosisRule {
    let code = DiagnosisCode.imdsTransient
    let resolution = ResolutionStrategy.failuresStop(.sameRequest)

    func diagnose(_ facts: FailureFacts, in context: ExplainContext) -> Diagnosis? {
        let failure = facts.failure
        guard failure.isIMDS || (failure.url ?? "").containsBytes("169.254.169.254") else { return nil }
        let status = failure.status ?? 0
        guard failure.noAnswer || status == 404 || status == 410 || status >= 500 else { return nil }
        let what = failure.noAnswer ? "no answer" : "HTTP \(status)"
        return Diagnosis(
            code: code, identity: facts.identity, scope: failure.resource,
            finding: "IMDS on \(failure.node ?? "the node") gave \(what) to a token request",
            reason: "IMDS returns 404 while it is updating, 410 and 5xx on transient errors, and may not answer while a VM starts; "
                + "the retry guidance is exponential back-off for up to about 70 seconds." + facts.inferredIdentitySentence,
            fix: "retry with exponential back-off; if it persists beyond a few minutes, check the node's network path to 169.254.169.254")
    }
}
