import Foundation
import TrailModel

/// 401 with a token whose audience is not the called service (Storage: "Audience validation failed").
struct TokenAudienceMismatchRule: DiagnosisRule {
    let code = DiagnosisCode.tokenAudienceMismatch
    let resolution = ResolutionStrategy.freshTokenThenSuccess

    func diagnose(_ facts: FailureFacts, in context: ExplainContext) -> Diagnosis? {
        let failure = facts.failure
        guard failure.status == 401 || failure.code == "InvalidAuthenticationInfo" else { return nil }
        let saysAudience = (failure.detail ?? "").localizedCaseInsensitiveContains("Audience validation failed")
            || (failure.message ?? "").localizedCaseInsensitiveContains("audience")
        guard saysAudience else { return nil }
        let service = host(failure.url)
        // The audience the called service accepts, when the URL says which service it is.
        let wanted = tokenAudience(forServiceAt: failure.url)
        return Diagnosis(
            code: code, identity: facts.identity, scope: context.serviceScope(for: failure),
            finding: "A token for \(failure.tokenAudience ?? "another audience") was sent to \(service ?? "a service"), which does not accept it",
            reason: "The service validates the token's `aud` claim and answered " + (failure.detail.map { "\"\($0)\"" } ?? "that the audience did not match") + "; "
                + (wanted.map { "\(service ?? "it") accepts tokens requested for \($0)." }
                    ?? "a token requested for one resource (say https://management.azure.com/) is refused by another."),
            fix: "request the token for " + (wanted.map { "resource=\($0)" } ?? "the called service's application ID URI")
                + " (IMDS: " + FixCommands.imdsRequest(url: nil, resource: wanted ?? "<service-application-id-uri>") + ")")
    }

    func host(_ url: String?) -> String? { url.flatMap { URL(string: $0)?.host } }
}
