@testable import TrailIngest
import TrailModel
import XCTest

/// What one IMDS exchange yields: the identity asked for, the Metadata header, no answer.
final class MitrailTokenRequestFormatTests: XCTestCase {
    func testIdentityQueryIsDecoded() {
        var fields = RecordFields()
        IdentityQuery.addFields(of: "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fstorage.azure.com%2F&msi_res_id=%2Fsubscriptions%2Fs%2FresourceGroups%2Frg%2Fproviders%2FMicrosoft.ManagedIdentity%2FuserAssignedIdentities%2Fu", to: &fields)
        XCTAssertEqual(fields.string("resource"), "https://storage.azure.com/")
        XCTAssertEqual(fields.string("identityResourceId"), "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/u")
        XCTAssertEqual(fields.string("apiVersion"), "2018-02-01")
    }

    func testMetadataHeaderMustBeLowerCaseTrue() {
        let url = "http://169.254.169.254/metadata/identity/oauth2/token?resource=r"
        for (value, expected) in [("true", true), ("True", false)] {
            var exchange = HTTPExchange(method: "GET", url: url)
            exchange.requestHeaders = HTTPHeaders([("metadata", value)])
            XCTAssertEqual(exchange.fields()["metadataHeader"], .bool(expected), value)
        }
        XCTAssertNil(HTTPExchange(method: "GET", url: url).fields()["metadataHeader"], "headers not captured: unknown, not false")
    }

    func testStatusZeroIsNoAnswerAndNoStatus() {
        var exchange = HTTPExchange(method: "GET", url: "http://169.254.169.254/metadata/identity/oauth2/token")
        exchange.status = 0
        let fields = exchange.fields()
        XCTAssertNil(fields["status"])
        XCTAssertEqual(fields["noAnswer"], .bool(true))
    }

    func testResponseClientIdDifferentFromTheRequestedOneIsKeptApart() {
        var exchange = HTTPExchange(method: "GET", url: "http://169.254.169.254/metadata/identity/oauth2/token?resource=r&client_id=c1")
        exchange.responseBody = #"{"access_token":"x","client_id":"c2","token_type":"Bearer"}"#
        let fields = exchange.fields()
        XCTAssertEqual(fields.string("clientId"), "c1")
        XCTAssertEqual(fields.string("responseClientId"), "c2")
    }

    func testHTTPDates() {
        XCTAssertEqual(HTTPDate.parse("Mon, 27 Jan 2020 18:58:13 GMT")?.iso8601, "2020-01-27T18:58:13.000Z")
        XCTAssertNil(HTTPDate.parse("27 Jan 2020"))
    }
}
