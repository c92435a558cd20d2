import TrailIngest
import XCTest

/// The CSV row reader: RFC 4180 quoting, rows over several lines, bounded and never stuck.
final class CSVRecordsTests: XCTestCase {
    func results(_ text: String) throws -> [CSVScanResult] {
        var results: [CSVScanResult] = []
        try ParseInput(bytes: Array(text.utf8)).forEachCSVRow { results.append($0) }
        return results
    }

    func rows(_ text: String) throws -> [[String]] {
        try results(text).compactMap { if case .row(let row) = $0 { return row.fields } else { return nil } }
    }

    func testQuotedCommasQuotesAndNewlines() throws {
        let text = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n,,\r\n"
        XCTAssertEqual(try rows(text), [["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["", "", ""]])
        let lines = try results(text).compactMap { if case .row(let row) = $0 { return row.line } else { return nil } }
        XCTAssertEqual(lines, [1, 2, 4])
    }

    func testBlankLinesBetweenRowsAreSkipped() throws {
        XCTAssertEqual(try rows("a\n\n\nb\n"), [["a"], ["b"]])
    }

    func testByteOrderMarkIsDropped() throws {
        XCTAssertEqual(try rows("\u{FEFF}Name,Value\n"), [["Name", "Value"]])
    }

    func testUnclosedQuoteAtTheEndIsMalformed() throws {
        let results = try results("a,b\n1,\"open\n")
        XCTAssertEqual(results.count, 2)
        guard case .malformed(let line, let reason, _) = results[1] else { return XCTFail("expected a malformed row") }
        XCTAssertEqual(line, 2)
        XCTAssertTrue(reason.contains("ends inside a quoted CSV field"))
    }

    func testTextAfterAClosingQuoteIsKept() throws {
        XCTAssertEqual(try rows("\"ab\"c,d\n"), [["abc", "d"]])
    }
}
