@testable import TrailIngest
import XCTest

final class RedactorTests: XCTestCase {
    let token = PlantedSecretsTests.token

    func testTokenBecomesClaimsAndFingerprint() {
        let redacted = Redactor.redact("token=" + token)
        XCTAssertFalse(redacted.contains(PlantedSecretsTests.tokenSignature))
        XCTAssertTrue(redacted.hasPrefix("token=<redacted-jwt sha256:"), redacted)
        XCTAssertTrue(redacted.contains(" oid=00000000-0000-0000-0000-0000000000a1 appid=00000000-0000-0000-0000-0000000000b1 tid=00000000-0000-0000-0000-0000000000e1 aud=https://storage.azure.com/>"), redacted)
        let summary = TokenSummary(token: Array(token.utf8))
        XCTAssertEqual(summary.fingerprint.count, 12)
        XCTAssertEqual(summary.claim("aud"), "https://storage.azure.com/")
        XCTAssertEqual(TokenSummary(token: Array(token.utf8)), summary, "the fingerprint is stable: the same token correlates")
    }

    func testNamedSecretsInEveryNotation() {
        let cases: [(String, String)] = [
            (#"{"access_token":"abc.def"}"#, #"{"access_token":"REDACTED"}"#),
            (#"{"Refresh_Token" : "opaque-0123"}"#, #"{"Refresh_Token" : "REDACTED"}"#),
            ("https://a.blob.core.windows.net/c?sv=1&sig=abc%2Bdef%3D&se=2", "https://a.blob.core.windows.net/c?sv=1&sig=REDACTED&se=2"),
            ("AccountName=a;AccountKey=abc/def+ghi==;EndpointSuffix=x", "AccountName=a;AccountKey=REDACTED;EndpointSuffix=x"),
            ("Authorization: Basic dXNlcjpwYXNz", "Authorization: REDACTED"),
            ("Set-Cookie: a=b; Path=/; HttpOnly", "Set-Cookie: REDACTED"),
            (#"client_secret='s3cret' next"#, #"client_secret='REDACTED' next"#),
            (#"{\"password\": \"hunter2\"}"#, #"{\"password\": \"REDACTED\"}"#),
            ("SharedAccessKey=xyz;Other=1", "SharedAccessKey=REDACTED;Other=1"),
        ]
        for (input, expected) in cases {
            XCTAssertEqual(Redactor.redact(input), expected, input)
        }
    }

    func testOrdinaryTextIsUntouched() {
        for text in ["design=ok signature=kept", "the key to success", "tokenize this", "principalId=00000000-0000-0000-0000-0000000000a1",
                     "2026-03-04 10:15:32,120 [INFO] pool not fully joined yet, health=Status.TvmJoinPoolInProgress",
                     "token_type=Bearer", "eyJ is only three letters", "",
                     #"{"authorization": {"action": "Microsoft.Authorization/roleAssignments/write", "scope": "/subscriptions/x"}}"#,
                     #""identity": {"type": "OAuth", "authorization": [{"action": "read", "result": "Denied"}]}"#,
                     #"{"password": null, "client_secret": false}"#] {
            XCTAssertEqual(Redactor.redact(text), text)
        }
    }

    func testStandaloneStorageAccountKey() {
        let key = PlantedSecretsTests.accountKey
        XCTAssertEqual(key.count, 88)
        XCTAssertEqual(Redactor.redact("\"value\": \"\(key)\""), "\"value\": \"REDACTED\"")
    }

    func testRedactionIsIdempotent() {
        let once = Redactor.redact("Authorization: Bearer \(token) sig=abc")
        XCTAssertEqual(Redactor.redact(once), once)
    }
}
