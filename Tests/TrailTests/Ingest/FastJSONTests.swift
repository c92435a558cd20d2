import Foundation
@testable import TrailIngest
import TrailModel
import XCTest

/// FastJSON makes exactly what JSONSerialization makes, and leaves everything else to it.
final class FastJSONTests: XCTestCase {
    func foundation(_ text: String) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    func assertSameAsFoundation(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let fast = FastJSON.parse(Array(text.utf8)) else {
            return XCTFail("FastJSON left to Foundation: \(text)", file: file, line: line)
        }
        guard let expected = foundation(text) else {
            return XCTFail("Foundation refuses what FastJSON read: \(text)", file: file, line: line)
        }
        XCTAssertTrue(Self.same(fast, expected), "\(text): \(fast) != \(expected)", file: file, line: line)
    }

    /// Equal values of equal types; numbers also of the same C type (`q`, `Q`, `d`, `c` for booleans).
    static func same(_ lhs: Any, _ rhs: Any) -> Bool {
        switch (lhs, rhs) {
        case let (left as String, right as String):
            return Array(left.utf8) == Array(right.utf8)
        case let (left as NSNumber, right as NSNumber):
            return String(cString: left.objCType) == String(cString: right.objCType) && left.stringValue == right.stringValue
                && type(of: left) == type(of: right)
        case (is NSNull, is NSNull):
            return true
        case let (left as [Any], right as [Any]):
            return left.count == right.count && zip(left, right).allSatisfy { same($0, $1) }
        case let (left as [String: Any], right as [String: Any]):
            return Set(left.keys) == Set(right.keys) && left.allSatisfy { same($0.value, right[$0.key]!) }
        default:
            return false
        }
    }

    func testEscapesAndUnicode() {
        for text in [#""plain""#, #""""#, #""\"\\\/\b\f\n\r\t""#, #""caf\u00e9 \u00E9""#, #""\ud83d\ude00 and \uD83D\uDE00""#,
                     #""nul \u0000 byte""#, "\"raw é 日本 😀\"", #""mixed é \n 😀""#, #""\u2028\u2029""#] {
            assertSameAsFoundation(text)
        }
    }

    func testNumbers() {
        for text in ["0", "-0", "1", "-1", "127", "128", "255", "32768", "2147483648", "-2147483649", "123456789012345678",
                     "-12345678901234567", "1.5", "-0.0", "0.1", "3.1415926535897", "12345.678901234", "-1.25", "1000000.0"] {
            assertSameAsFoundation(text)
        }
    }

    func testStructures() {
        for text in ["{}", "[]", " { } ", "[1, \"a\", true, false, null, {\"b\": [[], {}]}]",
                     "{\"a\": {\"b\": {\"c\": [1, 2, {\"d\": null}]}}, \"e\": \"f\"}",
                     "\t\r\n{\"time\":\"2026-03-04T10:00:00Z\" , \"n\" :1}\n", "true", "null", "\"top\""] {
            assertSameAsFoundation(text)
        }
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        assertSameAsFoundation(deep)
    }

    func testLeavesTheRestToFoundation() {
        let texts = ["", " ", "{", "[1,]", "{\"a\":1,}", "01", "-", "1.", ".5", "+1", "1e5", "1E5", "1.5e-3", "1234567890123456789",
                     "0.12345678901234567", "\"\\x\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"tab\there\"",
                     "\u{FEFF}1", "nul", "tru", "1 2", "{\"a\":1,\"a\":2}", "{\"a\" 1}", "{1:2}", "[1 2]", "\"open",
                     String(repeating: "[", count: 300) + String(repeating: "]", count: 300)]
        for text in texts {
            XCTAssertNil(FastJSON.parse(Array(text.utf8)), text)
            let viaFast = Result { try FastJSON.jsonObject(with: Array(text.utf8), options: [.fragmentsAllowed]) }
            let viaFoundation = Result { try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) }
            switch (viaFast, viaFoundation) {
            case let (.success(fast), .success(expected)): XCTAssertTrue(Self.same(fast, expected), text)
            case let (.failure(fast), .failure(expected)): XCTAssertEqual("\(fast)", "\(expected)", text)
            default: XCTFail("different outcomes for \(text)")
            }
        }
        XCTAssertNil(FastJSON.parse([0x22, 0xFF, 0x22]), "invalid UTF-8")
        XCTAssertNil(FastJSON.parse([0x22, 0xC3, 0x22]), "truncated UTF-8")
    }

    func testFragmentsOnlyWhenAllowed() throws {
        XCTAssertThrowsError(try FastJSON.jsonObject(with: Array("\"text\"".utf8)))
        XCTAssertEqual(try FastJSON.jsonObject(with: Array("\"text\"".utf8), options: [.fragmentsAllowed]) as? String, "text")
        XCTAssertNotNil(try FastJSON.jsonObject(with: Array("[1]".utf8)) as? [Any])
    }

    /// Generated documents, valid and broken: whatever FastJSON reads, Foundation reads the same.
    func testGeneratedDocumentsAgreeWithFoundation() {
        var generator = SeededGenerator(seed: 7)
        let pieces = ["{", "}", "[", "]", ",", ":", " ", "\n", "\"k\"", "\"v\"", "\"\\n\\u00e9\"", "\"é\"", "1", "-2", "3.5", "0",
                      "true", "false", "null", "\"a\"", "{\"x\":", "[1,", "\"\\ud83d\\ude00\"", "1e2", "\"\\"]
        var read = 0
        for _ in 0..<3000 {
            let text = (0..<Int.random(in: 1...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            guard let fast = FastJSON.parse(Array(text.utf8)) else { continue }
            read += 1
            guard let expected = foundation(text) else { XCTFail("Foundation refuses \(text)"); continue }
            XCTAssertTrue(Self.same(fast, expected), text)
        }
        XCTAssertGreaterThan(read, 100)
    }
}
