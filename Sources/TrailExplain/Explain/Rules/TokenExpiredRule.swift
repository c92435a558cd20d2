import Foundation
import TrailModel

/// 401 with a token used after its `exp`: a cached token was not refreshed.
struct TokenExpiredRule: DiagnosisRule {
    let code = DiagnosisCode.tokenExpired
    let resolution = ResolutionStrategy.freshTokenThenSuccess

    func diagnose(_ facts: FailureFacts, in context: ExplainContext) -> Diagnosis? {
        let failure = facts.failure
        guard failure.status == 401 || failure.code == "InvalidAuthenticationInfo" else { return nil }
        let text = [failure.detail, failure.message].compactMap { $0 }.joined(separator: " ")
        let saysExpired = text.localizedCaseInsensitiveContains("token is expired") || text.localizedCaseInsensitiveContains("Lifetime validation failed")
        let claimsExpired = failure.tokenExpiresAt.map { expiry in failure.time.map { $0 > expiry } ?? false } ?? false
        guard saysExpired || claimsExpired else { return nil }
        return Diagnosis(
            code: code, identity: facts.identity, scope: context.serviceScope(for: failure),
            finding: "An expired token was sent to \(failure.url.flatMap { URL(string: $0)?.host } ?? "a service")"
                + (failure.tokenExpiresAt.map { " (it expired at \($0))" } ?? ""),
            reason: (saysExpired ? "The service answered " + (failure.detail.map { "\"\($0)\"" } ?? "that the token is expired") + ". " : "")
                + "Managed identity tokens live about 24 hours; a client that caches one must refresh it before `expires_on`.",
            fix: "refresh the token before expires_on (Azure Identity credentials do this when the token is requested per call)")
    }
}
