import TrailIngest
import XCTest

final class ByteSearchTests: XCTestCase {
    func testContainsBytesFindsPhrasesAnywhereAndOnlyWhole() {
        let text = "imds: identity not found (bad_request_102) — réessayez"
        XCTAssertTrue(text.containsBytes("identity not found"))
        XCTAssertTrue(text.containsBytes("imds"))
        XCTAssertTrue(text.containsBytes("réessayez"))
        XCTAssertTrue(text.containsBytes(""))
        XCTAssertFalse(text.containsBytes("identity not founds"))
        XCTAssertFalse(text.containsBytes("Identity"))
        XCTAssertFalse("short".containsBytes("shorter"))
        XCTAssertFalse("".containsBytes("a"))
        XCTAssertTrue("aab".containsBytes("ab"))
    }
}
