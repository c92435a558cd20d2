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

    func testRecordTimesAreTrimmedAndSayWhetherTheyHadAZone() {
        XCTAssertEqual(RecordTime.parse(" 2026-03-04T10:15:32.12Z\n")?.time.iso8601, "2026-03-04T10:15:32.120Z")
        XCTAssertEqual(RecordTime.parse("2026-03-04 10:15:32")?.origin, .recordAssumedUTC)
        XCTAssertEqual(RecordTime.parse("2026-03-04T10:15:32+01:00")?.origin, .record)
        XCTAssertNil(RecordTime.parse("2026-03-04T10:15:32Z trailing"))
        XCTAssertNil(RecordTime.parse(nil))
        XCTAssertNil(RecordTime.parse("  "))
    }

    func testGUIDsAreDashedHexOfEitherCase() {
        XCTAssertTrue(GUIDText.isGUID("00000000-0000-0000-0000-0000000000A1"))
        XCTAssertFalse(GUIDText.isGUID("000000000000000000000000000000a1"), "dashless: ARMValues.guid normalises it")
        XCTAssertFalse(GUIDText.isGUID("user@example.com"))
        XCTAssertEqual(ARMValues.guid("000000000000000000000000000000A1"), "00000000-0000-0000-0000-0000000000a1")
    }
}
