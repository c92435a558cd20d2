import TrailModel
import XCTest

final class TimestampTests: XCTestCase {
    func iso(_ text: String) -> String? { TimestampParser.parse(text)?.iso8601 }

    func testAcceptedForms() {
        XCTAssertEqual(iso("2026-03-04T10:15:32.120Z"), "2026-03-04T10:15:32.120Z")
        XCTAssertEqual(iso("2026-03-04 10:15:32,120"), "2026-03-04T10:15:32.120Z")
        XCTAssertEqual(iso("2026-03-04T10:15:32.1234567Z"), "2026-03-04T10:15:32.123Z", ".NET's seven fraction digits")
        XCTAssertEqual(iso("2026-03-04T10:15:32+01:00"), "2026-03-04T09:15:32.000Z")
        XCTAssertEqual(iso("2026-03-04T10:15:32-0530"), "2026-03-04T15:45:32.000Z")
        XCTAssertEqual(iso("2026-03-04T23:15:32-05"), "2026-03-05T04:15:32.000Z")
        XCTAssertEqual(iso("2024-02-29T00:00:00Z"), "2024-02-29T00:00:00.000Z")
        XCTAssertEqual(iso("1969-12-31T23:59:59.999Z"), "1969-12-31T23:59:59.999Z")
        XCTAssertEqual(iso("9999-12-31T23:59:59Z"), "9999-12-31T23:59:59.000Z")
    }

    func testRejectedForms() {
        for text in ["2026-13-04T10:15:32Z", "2026-03-04", "2026-03-04T25:00:00Z", "yesterday", "", "2026-03-04T10:15:32Zjunk", "03/04/2026 10:15"] {
            XCTAssertNil(TimestampParser.parse(text), text)
        }
    }

    func testPrefixReportsLengthAndZone() {
        var text = "2026-03-04 10:15:32,120 [INFO] message"
        let parsed = text.withUTF8 { TimestampParser.parsePrefix($0) }
        XCTAssertEqual(parsed?.length, 23)
        XCTAssertEqual(parsed?.hadZone, false)
        var zoned = "2026-03-04T10:15:32Z INFO"
        XCTAssertEqual(zoned.withUTF8 { TimestampParser.parsePrefix($0) }?.hadZone, true)
    }

    func testTextOrderIsTimeOrder() {
        let times = ["2026-03-04T10:15:32.120Z", "2026-03-04T10:15:32.121Z", "2026-03-04T10:16:00Z", "2027-01-01T00:00:00Z"]
            .compactMap(TimestampParser.parse)
        XCTAssertEqual(times.map(\.iso8601), times.map(\.iso8601).sorted())
        XCTAssertEqual(times, times.sorted())
    }
}

final class TimestampFormattingTests: XCTestCase {
    func testFarPastAndFutureStillFormat() {
        XCTAssertEqual(Timestamp(millisecondsSince1970: 0).iso8601, "1970-01-01T00:00:00.000Z")
        XCTAssertEqual(Timestamp(millisecondsSince1970: -62_135_596_800_001).iso8601, "0000-12-31T23:59:59.999Z")
        XCTAssertEqual(Timestamp(millisecondsSince1970: 253_402_300_800_000).iso8601, "10000-01-01T00:00:00.000Z")
    }
}
