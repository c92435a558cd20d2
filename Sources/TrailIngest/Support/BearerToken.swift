import Foundation
import TrailModel

/// The bearer token of a request's `Authorization` header (HAR, HTTP transcripts, SDK recordings, `az --debug`):
/// reduced to its claims and fingerprint exactly as an `access_token` in a token response is, both in the record's
/// fields (`tokenOid`, `tokenAppId`, `tokenMiResourceId`, `tokenAudience`, `tokenExpiresAt`, `tokenFingerprint`...)
/// and in the text kept of the record (`Bearer <redacted-jwt sha256:... oid=...>`).
enum BearerToken {
    /// The credential of `Bearer CREDENTIAL` (the scheme in any case), or nil.
    static func credential(ofAuthorization value: String?) -> String? {
        guard let value else { return nil }
        let trimmed = value.trimmedWhitespace()
        guard trimmed.count > 7, trimmed.prefix(7).lowercased() == "bearer " else { return nil }
        let credential = String(trimmed.dropFirst(7)).trimmedWhitespace()
        return credential.isEmpty ? nil : String(credential)
    }

    /// The token's claims and fingerprint as fields, unless the record already names a token (a token response's).
    static func addFields(ofAuthorization value: String?, to fields: inout RecordFields) {
        guard fields["tokenFingerprint"] == nil, let credential = credential(ofAuthorization: value) else { return }
        TokenClaims.addFields(of: credential, to: &fields)
    }

    /// What stands in for the header's value: `Bearer <redacted-jwt ...>` when the credential is a JWT (its
    /// claims and fingerprint), else nil (the value is replaced whole).
    static func redactedValue(_ value: String) -> String? {
        guard let credential = credential(ofAuthorization: value), isJWT(credential) else { return nil }
        return "Bearer " + TokenSummary(token: Array(credential.utf8)).text
    }

    static func isJWT(_ text: String) -> Bool {
        let segments = text.split(separator: ".", omittingEmptySubsequences: false)
        return segments.count == 3 && text.hasPrefix("eyJ") && segments[0].count >= 10 && segments[1].count >= 10
    }
}
