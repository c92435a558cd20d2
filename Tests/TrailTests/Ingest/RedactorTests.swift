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
            (#"{"passwordCredentials": [{"hint": "Abc", "secretText": "Abc8Q~not-a-real-secret"}]}"#,
             #"{"passwordCredentials": [{"hint": "Abc", "secretText": "REDACTED"}]}"#),
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
                     #"{"password": null, "client_secret": false}"#,
                     "Authorization :\n  Action : Microsoft.Authorization/roleAssignments/write",
                     #"{"authorization": "{\"action\": \"Microsoft.Authorization/roleAssignments/write\"}"}"#] {
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

    func testEscapedEncodedAndQuotedNotations() {
        let cases: [(String, String)] = [
            (#"{\\\"refresh_token\\\": \\\"opaque-0123\\\"}"#, #"{\\\"refresh_token\\\": \\\"REDACTED\\\"}"#),
            (#""{""client_secret"": ""s3cret-value""}""#, #""{""client_secret"": ""REDACTED""}""#),
            (#""url": "https://a.blob.core.windows.net/c?sv=1\u0026sig=abc%2Bdef%3D\u0026se=2""#,
             #""url": "https://a.blob.core.windows.net/c?sv=1\u0026sig=REDACTED\u0026se=2""#),
            ("copy?source=https%3A%2F%2Fa%2Fc%3Fsv%3D1%26sig%3Dabc%252Bdef%26se%3D2", "copy?source=https%3A%2F%2Fa%2Fc%3Fsv%3D1%26sig%3DREDACTED%26se%3D2"),
            ("Server=tcp:db;User ID=u;Pwd=hunter2;", "Server=tcp:db;User ID=u;Pwd=REDACTED;"),
            (#"{"message": "Cookie: a=b; c=d\nnext line", "status": 401}"#, #"{"message": "Cookie: REDACTED\nnext line", "status": 401}"#),
        ]
        for (input, expected) in cases {
            XCTAssertEqual(Redactor.redact(input), expected, input)
            XCTAssertEqual(Redactor.redact(expected), expected, "idempotent: \(expected)")
        }
    }

    func testHARHeadersAndCookies() {
        let har = #"""
            {"headers": [{"name": "Authorization", "value": "SharedKey acct:c2lnbmF0dXJl"}, {"name": "cookie",
              "value": "ARRAffinity=0123456789abcdef"}, {"name": "x-ms-version", "value": "2023-11-03"}],
             "cookies": [{"name": "ARRAffinity", "value": "0123456789abcdef", "httpOnly": true}, {"name": "s", "value": "x"}],
             "queryString": [{"name": "sp", "value": "r"}]}
            """#
        let expected = #"""
            {"headers": [{"name": "Authorization", "value": "REDACTED"}, {"name": "cookie",
              "value": "REDACTED"}, {"name": "x-ms-version", "value": "2023-11-03"}],
             "cookies": [{"name": "ARRAffinity", "value": "REDACTED", "httpOnly": true}, {"name": "s", "value": "REDACTED"}],
             "queryString": [{"name": "sp", "value": "r"}]}
            """#
        XCTAssertEqual(Redactor.redact(har), expected)
        XCTAssertEqual(Redactor.redact(expected), expected)
    }

    func testSecretsRecognisedByTheirShape() {
        let clientSecret = "abc8Q~" + String(repeating: "x1_~.-Yz", count: 4) + "k9"
        XCTAssertEqual(Redactor.redact("new secret \(clientSecret). Next"), "new secret REDACTED. Next")
        let escapedKey = String(repeating: "Ab\\u002Bc", count: 21) + "Zz==" // 21 * 4 + 2 = 86 characters before ==
        XCTAssertEqual(Redactor.redact(#""value": "\#(escapedKey)""#), #""value": "REDACTED""#)
        XCTAssertEqual(Redactor.redact("http://169.254.169.254 key \(PlantedSecretsTests.accountKey)/metadata"), "http://169.254.169.254 key REDACTED/metadata")
        for ordinary in ["a 3Q~ tilde", "version abc1Q~short", String(repeating: "A", count: 87) + "=="] {
            XCTAssertEqual(Redactor.redact(ordinary), ordinary)
        }
    }

    func testAnExcerptIsNeverCutInsideASecret() {
        let key = PlantedSecretsTests.accountKey
        let text = String(repeating: "x", count: Excerpt.sourceLength - 40) + " key " + key + " tail"
        let excerpt = Excerpt.of(text)
        XCTAssertFalse(excerpt.contains(key.prefix(16)), "the key straddling the cut is dropped, not halved")
        XCTAssertTrue(excerpt.hasSuffix("key"), String(excerpt.suffix(20)))
    }
}
