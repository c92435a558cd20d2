import Foundation
import TrailModel

/// `.freshTokenThenSuccess`: a token episode (expired, wrong audience) ends at the first fresh token for the
/// identity and the called service after the last failure, after which calls to the service succeed.
///
/// A fresh token is a successful IMDS token request for the service's audience, or a successful call that carried
/// a token other than the failing one and not yet expired; "calls succeed" is a successful call to the same
/// service at or after it. A successful call by the identity with no token record before it shows a valid token
/// all the same: the episode ends there.
enum FreshTokenThenSuccess {
    static func find(for diagnosis: Diagnosis, last failure: Failure, after time: Timestamp, in context: ExplainContext) -> Resolution? {
        guard let host = serviceHost(of: failure) else { return nil }
        let audience = tokenAudience(forServiceAt: "https://" + host)
        let identity = diagnosis.identity
        let call: (Failure) -> Bool = { operation in serviceHost(of: operation) == host && sameIdentity(operation, identity) }
        let token = freshToken(after: time, identity: identity, audience: audience, host: host, replacing: failure.tokenFingerprint, context: context)
        if let token, let tokenTime = token.time {
            // The token's own call counts when it is one; else the first call at or after it.
            let success = call(token) ? token : context.successfulOperations.first(after: tokenTime.adding(milliseconds: -1), where: call)
            guard let success else { return nil }
            return Resolution(at: tokenTime, by: describe(token: token, success: success, host: host), evidence: token.evidence)
        }
        guard let success = context.successfulOperations.first(after: time, where: call) else { return nil }
        return Resolution(at: success.time, by: "a call to \(host) that succeeded" + (success.operationName.map { " (\($0))" } ?? "")
                              + ": its token was valid", evidence: success.evidence)
    }

    /// The first token after `time` for the identity and service: an IMDS success for its audience, or a call to
    /// the service with another token that had not expired.
    static func freshToken(after time: Timestamp, identity: IdentityReference, audience: String?, host: String, replacing fingerprint: String?,
                           context: ExplainContext) -> Failure? {
        let requested = audience.flatMap { audience in
            context.firstSuccessfulTokenRequest(after: time, node: nil) { success in
                sameResource(success.resource, audience) && sameIdentity(success, identity)
            }
        }
        let carried = context.successfulOperations.first(after: time, until: requested?.time) { operation in
            guard operation.tokenFingerprint != nil, operation.tokenFingerprint != fingerprint, serviceHost(of: operation) == host,
                  sameIdentity(operation, identity) else { return false }
            return operation.tokenExpiresAt.map { expiry in operation.time.map { $0 < expiry } ?? true } ?? true
        }
        return carried ?? requested
    }

    static func describe(token: Failure, success: Failure, host: String) -> String {
        var text = token.isIMDS ? "a fresh token from IMDS" + (token.node.map { " on \($0)" } ?? "")
            : "a fresh token (sha256:\(token.tokenFingerprint ?? "?"))"
        if let issued = token.tokenIssuedAt { text += " issued at \(issued.iso8601)" }
        if let expires = token.tokenExpiresAt { text += ", expiring at \(expires.iso8601)" }
        return text + "; calls to \(host) succeed from \(success.time?.iso8601 ?? "then")"
    }

    /// The lower-case host a record called: from its URL, else a URL-shaped target.
    static func serviceHost(of record: Failure) -> String? {
        for text in [record.url, record.targetResource] {
            guard let text, text.hasPrefix("http"), let host = URL(string: text)?.host?.lowercased() else { continue }
            return host
        }
        return nil
    }

    /// The record was made by the identity (its principal or client, from its fields or its token), or says nothing of who made it.
    static func sameIdentity(_ record: Failure, _ identity: IdentityReference) -> Bool {
        if record.principalID == nil && record.clientID == nil { return true }
        if identity.principalID == nil && identity.clientID == nil { return true }
        return (identity.principalID != nil && record.principalID == identity.principalID)
            || (identity.clientID != nil && record.clientID == identity.clientID)
    }
}
