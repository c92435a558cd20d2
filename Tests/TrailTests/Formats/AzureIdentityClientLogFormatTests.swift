@testable import TrailIngest
import TrailModel
import XCTest

/// ARM AuthorizationFailed messages, client log heads and credential phrases.
final class AzureIdentityClientLogFormatTests: XCTestCase {
    func fields(_ message: String, logger: String? = nil) -> RecordFields {
        var fields = RecordFields()
        ClientLogMessage.addFields(of: Substring(message), logger: logger, to: &fields)
        return fields
    }

    func testAuthorizationFailedMessageIsTakenApart() {
        var fields = RecordFields()
        ARMAuthorizationMessage.addFields(of: "The client '00000000-0000-0000-0000-0000000000c1' with object id '00000000-0000-0000-0000-0000000000b1' does not have authorization to perform action 'Microsoft.Storage/storageAccounts/listKeys/action' over scope '/subscriptions/s/resourceGroups/rg' or the scope is invalid.", to: &fields)
        XCTAssertEqual(fields.string("clientId"), "00000000-0000-0000-0000-0000000000c1")
        XCTAssertEqual(fields.string("principalId"), "00000000-0000-0000-0000-0000000000b1")
        XCTAssertEqual(fields.string("action"), "Microsoft.Storage/storageAccounts/listKeys/action")
        XCTAssertEqual(fields.string("scope"), "/subscriptions/s/resourceGroups/rg")
    }

    func testAUserIsACallerNotAClientID() {
        var fields = RecordFields()
        ARMAuthorizationMessage.addFields(of: "The client 'user@example.com' with object id 'o' does not have authorization to perform action 'a' over scope 's'", to: &fields)
        XCTAssertNil(fields["clientId"])
        XCTAssertEqual(fields.string("caller"), "user@example.com")
    }

    func testLinkedAuthorizationFailedNamesTheMissingActionAndLinkedScope() {
        var fields = RecordFields()
        ARMAuthorizationMessage.addFields(of: "The client 'c' with object id 'o' has permission to perform action 'A' on scope 'S'; however, it does not have permission to perform action(s) 'B' on the linked scope(s) 'T' (respectively) or the linked scope(s) are invalid.", to: &fields)
        XCTAssertEqual(fields.string("action"), "B")
        XCTAssertEqual(fields.string("scope"), "T")
    }

    func testHeadsOfEachLanguage() {
        let python = ClientLogLine.parse("DEBUG:azure.identity._internal.decorators:EnvironmentCredential.get_token failed: x")
        XCTAssertEqual([python.level, python.logger], ["DEBUG", "azure.identity._internal.decorators"])
        let javascript = ClientLogLine.parse("2024-06-19T21:41:31.3050916Z azure:core-rest-pipeline retryPolicy:info Retry 0")
        XCTAssertEqual([javascript.level, javascript.logger], ["info", "azure:core-rest-pipeline retryPolicy"])
        XCTAssertEqual(javascript.time?.iso8601, "2024-06-19T21:41:31.305Z")
        let java = ClientLogLine.parse("[reactor-http-nio-1] ERROR com.azure.identity.ManagedIdentityCredential - Azure Identity => ERROR")
        XCTAssertEqual([java.thread, java.level, java.logger], ["reactor-http-nio-1", "ERROR", "com.azure.identity.ManagedIdentityCredential"])
        let dotnet = ClientLogLine.parse("[Informational] Azure-Core: Request [id] GET http://169.254.169.254/")
        XCTAssertEqual([dotnet.level, dotnet.logger], ["Informational", "Azure-Core"])
        let az = ClientLogLine.parse("cli.azure.cli.core.sdk.policies: Response status: 403")
        XCTAssertEqual(az.logger, "cli.azure.cli.core.sdk.policies")
        let exception = ClientLogLine.parse("azure.identity._exceptions.CredentialUnavailableError: ManagedIdentityCredential authentication unavailable")
        XCTAssertFalse(exception.hasHead)
        XCTAssertEqual(exception.exception, "azure.identity._exceptions.CredentialUnavailableError")
    }

    func testAgentLogLinesAreNotClientHeads() {
        for line in ["2026-03-04 10:02:11,004 [INFO] nodeagent starting, TVMName=tvmps_a1", "2026-03-04 10:05:14 ERROR autostorage access failed"] {
            XCTAssertFalse(ClientLogLine.parse(line).isClientHead, line)
        }
    }

    func testCredentialOutcomes() {
        let cases: [(String, String?, String, String)] = [
            ("DefaultAzureCredential acquired a token from AzureCliCredential", nil, "AzureCliCredential", "acquired"),
            ("EnvironmentCredential.get_token failed: EnvironmentCredential authentication unavailable.", nil, "EnvironmentCredential", "unavailable"),
            ("ManagedIdentityCredential.get_token failed: Unexpected response", nil, "ManagedIdentityCredential", "failed"),
            ("Azure Identity => Attempted credential ManagedIdentityCredential returns a token", nil, "ManagedIdentityCredential", "succeeded"),
            ("Azure Identity => Attempted credential EnvironmentCredential is unavailable.", nil, "EnvironmentCredential", "unavailable"),
            ("ManagedIdentityCredential - AppServiceMSI 2019: Unavailable.", nil, "ManagedIdentityCredential", "unavailable"),
            ("DefaultAzureCredential credential selected: Azure.Identity.ManagedIdentityCredential", nil, "ManagedIdentityCredential", "selected"),
            ("Azure Identity => getToken() result for scopes [https://storage.azure.com/.default]: SUCCESS",
             "com.azure.identity.ManagedIdentityCredential", "ManagedIdentityCredential", "succeeded"),
        ]
        for (message, logger, credential, outcome) in cases {
            let found = fields(message, logger: logger)
            XCTAssertEqual(found.string("credential"), credential, message)
            XCTAssertEqual(found.string("outcome"), outcome, message)
        }
    }

    func testImdsRequestsStatusesAndErrorBodies() {
        let urllib3 = fields(#"http://169.254.169.254:80 "GET /metadata/identity/oauth2/token?resource=https%3A%2F%2Fvault.azure.net&object_id=o1 HTTP/1.1" 400 68"#)
        XCTAssertEqual(urllib3.string("resource"), "https://vault.azure.net")
        XCTAssertEqual(urllib3.string("principalId"), "o1")
        XCTAssertEqual(urllib3["status"], .integer(400))
        let redacted = fields("Request URL: 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=REDACTED&resource=REDACTED'")
        XCTAssertNil(redacted["resource"], "a value the log replaced with REDACTED is not the value")
        let body = fields(#"received HTTP status 429 with body: {"error":"invalid_request","error_description":"Temporarily throttled, too many requests"}"#)
        XCTAssertEqual(body["status"], .integer(429))
        XCTAssertEqual(body.string("errorMessage"), "Temporarily throttled, too many requests")
        XCTAssertEqual(fields("ERROR: (AuthorizationFailed) The client").string("errorCode"), "AuthorizationFailed")
        XCTAssertEqual(fields("Connection to IMDS endpoint cannot be established. connect timed out")["noAnswer"], .bool(true))
    }

    func testPythonReprOfAnIMDSBodyGivesItsError() {
        let fields = self.fields(#"ManagedIdentityCredential authentication unavailable. Error: Unexpected response "{'error': 'invalid_request', 'error_description': 'Identity not found', 'error_codes': [50001], 'ok': False, 'n': None}""#)
        XCTAssertEqual(fields.string("errorCode"), "invalid_request")
        XCTAssertEqual(fields.string("errorMessage"), "Identity not found")
        XCTAssertEqual(fields.string("errorCodes"), "50001")
        XCTAssertNil(PythonLiteral.firstDict(in: "{'error': 'cut short"), "an unterminated repr is not a dict")
    }

    func testAzureCoreRetryLineIsNotARequest() {
        let fields = self.fields("Request [00000000-0000-0000-0000-0000000000f2] attempt number 2 took 01.2s")
        XCTAssertNil(fields["method"], "'attempt' is no HTTP method")
        XCTAssertNil(fields["url"])
        XCTAssertEqual(fields["attempt"], .integer(2))
        XCTAssertEqual(fields["durationMs"], .integer(1200))
    }

    func testJavaScriptUnreachableIMDSIsNoAnswer() {
        XCTAssertEqual(fields("ManagedIdentityCredential - IMDS: Caught error RestError: connect ETIMEDOUT 169.254.169.254:80")["noAnswer"], .bool(true))
        XCTAssertEqual(fields("ManagedIdentityCredential - IMDS: The Azure IMDS endpoint is unavailable")["noAnswer"], .bool(true))
    }

    func testUSDatePrefixesAndDotnetConsoleHeads() {
        let python = ClientLogLine.parse("03/04/2026 10:15:33 PM INFO azure.identity._credentials.chained message")
        XCTAssertEqual(python.time?.iso8601, "2026-03-04T22:15:33.000Z")
        XCTAssertFalse(python.hadZone)
        XCTAssertEqual(python.logger, "azure.identity._credentials.chained")
        XCTAssertNil(ClientLogLine.parse("03/04/2026 10:15:33 INFO azure.identity.x message").time, "24-hour with day and month both 12 or less: not guessed")
        let dotnet = ClientLogLine.parse("warn: Azure.Core[8]")
        XCTAssertEqual([dotnet.level, dotnet.logger], ["Warning", "Azure.Core"])
        XCTAssertTrue(dotnet.isClientHead)
        XCTAssertFalse(ClientLogLine.parse("info: the pool is up").hasHead)
    }
}
