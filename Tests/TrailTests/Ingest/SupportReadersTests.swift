@testable import TrailIngest
import TrailModel
import XCTest

/// The readers the formats share, one of each: HTTP dates, ISO 8601 times, GUIDs, path segments, local times.
final class SupportReadersTests: XCTestCase {
    func testHTTPDatesInGMTOrUTC() {
        XCTAssertEqual(HTTPDate.parse("Mon, 01 Mar 2021 11:02:42 GMT")?.iso8601, "2021-03-01T11:02:42.000Z")
        XCTAssertEqual(HTTPDate.parse("Mon, 01 Mar 2021 11:02:42 UTC")?.iso8601, "2021-03-01T11:02:42.000Z")
        XCTAssertEqual(HTTPDate.parse(" Mon, 01 Mar 2021 11:02:42 gmt\r")?.iso8601, "2021-03-01T11:02:42.000Z")
        XCTAssertNil(HTTPDate.parse("Mon, 01 Mar 2021 11:02:42 CET"), "a local zone is not UTC")
        XCTAssertNil(HTTPDate.parse("Mon, 01 Mar 2021 11:02 GMT"))
    }
}
