import Foundation
import TrailModel

/// 401 with a token whose audience is not the called service (Storage: "Audience validation failed").
struct TokenAudienceMismatchRule: DiagnosisRule {
    let code = DiagnosisCode.tokenAudienceMismatch

    func diagnose(_ facts: FailureFacts, in context: ExplainContext) -> Diagnosis? {
        let failure = facts.failure
        let saysAudience = (failure.detail ?? "").localizedCaseInsensitiveContains("Audience validation failed")
            || (failure.message ?? "").localizedCaseInsensitiveContains("audience")
        guard failure.status == 401 || failure.code == "InvalidAuthenticationInfo", saysAudience else { return nil }
        return Diagnosis(
            code: code, identity: facts.identity, scope: failure.targetResource ?? failure.url,
            finding: "A token for \(failure.tokenAudience ?? "another audience") was sent to \(host(failure.url) ?? "a service") that does not accept it",
            reason: "The service validates the token's `aud` claim; a token requested for one resource (say https://management.azure.com/) "
                + "is refused by another (Storage wants https://storage.azure.com/).",
            fix: "request the token for the called service's resource (Storage: resource=https://storage.azure.com/)")
    }

    func host(_ url: String?) -> String? { url.flatMap { URL(string: $0)?.host } }
}
