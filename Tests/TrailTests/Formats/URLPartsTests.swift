@testable import TrailIngest
import XCTest

/// URLs are taken apart on their bytes when ASCII, by characters otherwise: both readings agree.
final class URLPartsTests: XCTestCase {
    func testASCIIURLIsTakenApart() {
        let parts = URLParts("HTTPS://user@Acct.Blob.Core.Windows.Net:443/c/b%20x?sv=1&&Sig=a%2Bb&empty=&=v&flag&bad=%zz#frag?x=1")
        XCTAssertEqual(parts.host, "acct.blob.core.windows.net")
        XCTAssertEqual(parts.path, "/c/b%20x")
        XCTAssertEqual(parts.query, "sv=1&&Sig=a%2Bb&empty=&=v&flag&bad=%zz")
        XCTAssertEqual(parts.queryItems.map { "\($0.name)=\($0.value)" }, ["sv=1", "sig=a+b", "empty=", "=v", "flag=", "bad=%zz"])
        XCTAssertEqual(URLParts("/relative/path?a=b=c").path, "/relative/path")
        XCTAssertEqual(URLParts("/relative/path?a=b=c").queryItems.map(\.value), ["b=c"])
        XCTAssertEqual(URLParts("host-only://").host, "")
    }

    func testNonASCIIURLIsReadByCharacters() {
        let parts = URLParts("https://Bücher.example/ä?Name=%C3%A9&x=é&y=1#é")
        XCTAssertEqual(parts.host, "bücher.example")
        XCTAssertEqual(parts.path, "/ä")
        XCTAssertEqual(parts.queryItems.map { "\($0.name)=\($0.value)" }, ["name=é", "x=é", "y=1"])
        // A combining mark joins the `&` before it into one character, which is no separator.
        XCTAssertEqual(URLParts("/p?a=1&\u{301}b=2").queryItems.count, 1)
    }

    func testHeaderNamesCompareIgnoringCase() {
        XCTAssertTrue(HTTPHeaders.sameName("X-Ms-Request-Id", "x-ms-request-id"))
        XCTAssertFalse(HTTPHeaders.sameName("x-ms-request-i", "x-ms-request-id"))
        XCTAssertTrue(HTTPHeaders.sameName("Stra\u{DF}e", "STRASSE"), "beyond ASCII, Foundation's folding")
    }
}
