@testable import TrailIngest
import TrailModel
import XCTest

/// The CSV reader and the portal's localized times.
final class EntraMISignInLogsCSVFormatTests: XCTestCase {
    func testQuotedFieldsHoldCommasQuotesAndLineEnds() throws {
        var rows: [[String]] = []
        try ParseInput(bytes: Array("a,\"b, \"\"c\"\"\nline two\nend\",d\n,,\n".utf8)).forEachCSVRow { result in
            if case .row(let row) = result { rows.append(row.fields) }
        }
        XCTAssertEqual(rows, [["a", "b, \"c\"\nline two\nend", "d"], ["", "", ""]])
    }

    func testLocalizedTimes() {
        XCTAssertEqual(LocalizedTime.parse("3/4/2026, 10:15:32.120 AM")?.time.iso8601, "2026-03-04T10:15:32.120Z")
        XCTAssertEqual(LocalizedTime.parse("3/4/2026, 12:05:01.500 PM")?.time.iso8601, "2026-03-04T12:05:01.500Z")
        XCTAssertEqual(LocalizedTime.parse("3/4/2026, 12:00:00 AM")?.time.iso8601, "2026-03-04T00:00:00.000Z")
        XCTAssertEqual(LocalizedTime.parse("13/03/2026 10:00:00")?.time.iso8601, "2026-03-13T10:00:00.000Z")
        XCTAssertNil(LocalizedTime.parse("3/4/2026 10:00:00"), "day and month could be either: not guessed")
        XCTAssertEqual(LocalizedTime.parse("2026-03-04T10:15:32.12Z")?.hadZone, true)
    }

    func testHeaderColumnsLoseThePortalSuffix() {
        XCTAssertEqual(EntraMISignInLogsCSVFormat.columns(["TimeGenerated [UTC]", " AppId "]), ["timegenerated", "appid"])
    }

    func testSniffLeavesServicePrincipalSignInExportsAlone() {
        func sniff(_ text: String) -> Bool { EntraMISignInLogsCSVFormat().sniff(SniffSample(bytes: Array(text.utf8), isComplete: true)) }
        XCTAssertTrue(sniff("TimeGenerated [UTC],AppId,ServicePrincipalId,Type\r\n\"3/4/2026, 10:15:32.120 AM\",a,b,AADManagedIdentitySignInLogs\r\n"))
        XCTAssertFalse(sniff("TimeGenerated [UTC],AppId,ServicePrincipalId,Type\n\"3/4/2026, 10:15:32.120 AM\",a,b,AADServicePrincipalSignInLogs\n"))
        XCTAssertFalse(sniff("TimeGenerated,RequesterAppId,RequesterObjectId\n"))
    }
}
