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

    func testPathSegmentsOfResourceIDsAndURLs() {
        let pool = "https://acct.westeurope.batch.azure.com/pools/pool%201/nodes/tvmps_1?api-version=2024-07-01.20.0"
        XCTAssertEqual(ARMValues.segment(after: "pools", in: pool), "pool 1")
        XCTAssertEqual(ARMValues.segment(after: "NODES", in: pool), "tvmps_1", "no query in the segment, case ignored")
        XCTAssertEqual(ARMValues.segment(after: "batchAccounts", in: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Batch/batchAccounts/acct"), "acct")
        XCTAssertNil(ARMValues.segment(after: "pools", in: "/subscriptions/s"))
        XCTAssertEqual(ARMValues.lastSegment("/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1?x=1"),
                       "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1")
    }
}
