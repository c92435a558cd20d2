import TrailIngest
import XCTest

final class ParseInputTests: XCTestCase {
    func lines(_ text: [UInt8], bufferSize: Int? = nil) throws -> [(Int, String, Bool)] {
        let input = bufferSize.map { ParseInput(stream: ChunkedStream(bytes: text, chunk: 7), bufferSize: $0) } ?? ParseInput(bytes: text)
        var result: [(Int, String, Bool)] = []
        try input.forEachLine { result.append(($0.number, $0.text, $0.isTruncated)) }
        return result
    }

    func testLinesSplitOnNewlinesDroppingCRAndBOM() throws {
        let text: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("first\r\nsecond\n\nlast".utf8)
        for bufferSize in [nil, 4096] {
            let result = try lines(text, bufferSize: bufferSize)
            XCTAssertEqual(result.map(\.0), [1, 2, 3, 4])
            XCTAssertEqual(result.map(\.1), ["first", "second", "", "last"])
        }
    }

    func testOverlongLineIsCutAndFlaggedAndTheNextLineSurvives() throws {
        let long = [UInt8](repeating: UInt8(ascii: "x"), count: 10_000)
        let result = try lines(long + Array("\nnext\n".utf8), bufferSize: 4096)
        XCTAssertEqual(result.count, 2)
        XCTAssertTrue(result[0].2)
        XCTAssertEqual(result[0].1.count, 4095)
        XCTAssertEqual(result[1].0, 2)
        XCTAssertEqual(result[1].1, "next")
    }

    func values(_ text: String, unwrapping: Set<String> = ["value"]) throws -> [String] {
        var found: [String] = []
        try ParseInput(bytes: Array(text.utf8)).forEachJSONValue(unwrapping: unwrapping) { result in
            switch result {
            case .value(let element): found.append("\(element.line) \(element.pointer ?? "-") \(element.text)")
            case .malformed(let line, let pointer, let reason, _): found.append("\(line) \(pointer ?? "-") malformed: \(reason)")
            }
        }
        return found
    }

    func testJSONShapes() throws {
        XCTAssertEqual(try values(#"[{"a": 1}, {"b": [2, "]"]}]"#), [#"1 /0 {"a": 1}"#, #"1 /1 {"b": [2, "]"]}"#])
        XCTAssertEqual(try values("{\"value\": [{\"a\": 1},\n {\"a\": 2}], \"nextLink\": null}"), [#"1 /value/0 {"a": 1}"#, #"2 /value/1 {"a": 2}"#])
        XCTAssertEqual(try values("{\"a\": 1}\n{\"a\": 2}\n"), [#"1 - {"a": 1}"#, #"2 - {"a": 2}"#])
        XCTAssertEqual(try values("{\n  \"a\": \"x\\\"}\"\n}\n{\n  \"b\": {}\n}"), ["1 - {\n  \"a\": \"x\\\"}\"\n}", "4 - {\n  \"b\": {}\n}"])
        XCTAssertEqual(try values(#"{"value": "not an array"}"#), [#"1 - {"value": "not an array"}"#])
        XCTAssertEqual(try values(#"{"log": {"entries": []}}"#), [#"1 - {"log": {"entries": []}}"#])
    }

    func testBrokenJSONLinesRecoverAtTheNextLine() throws {
        let result = try values("{\"a\": 1}\n{\"a\": \n{\"a\": 3}\n")
        XCTAssertEqual(result.count, 3)
        XCTAssertEqual(result[0], #"1 - {"a": 1}"#)
        XCTAssertTrue(result[1].hasPrefix("2 - malformed: the line ends inside a JSON value"), result[1])
        XCTAssertEqual(result[2], #"3 - {"a": 3}"#)
    }

    func testTruncatedArrayReportsTheElementLine() throws {
        let result = try values("[\n {\"a\": 1},\n {\"a\": ")
        XCTAssertEqual(result.first, #"2 /0 {"a": 1}"#)
        XCTAssertEqual(result.count, 2)
        XCTAssertTrue(result[1].hasPrefix("3 /1 malformed:"), result[1])
    }

    func testMismatchedBracketsAndScalarsAreMalformed() throws {
        XCTAssertTrue(try values("{\"a\": [1}").first?.contains("malformed") ?? false)
        XCTAssertTrue(try values("42").first?.contains("expected a JSON object or array") ?? false)
    }

    func testDeepNestingIsReportedNotParsed() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        var reasons: [String] = []
        try ParseInput(bytes: Array(("{\"a\": " + deep + "}").utf8)).forEachJSONValue { result in
            if case .value(let element) = result {
                XCTAssertThrowsError(try element.parse()) { reasons.append("\($0)") }
            }
        }
        XCTAssertEqual(reasons.count, 1)
        XCTAssertTrue(reasons[0].contains("nested"), reasons[0])
    }
}

/// Hands out bytes a few at a time, to exercise buffer refills.
final class ChunkedStream: ByteStream {
    let bytes: [UInt8]
    let chunk: Int
    var offset = 0

    init(bytes: [UInt8], chunk: Int) {
        self.bytes = bytes
        self.chunk = chunk
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(chunk, buffer.count, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: count) }
        offset += count
        return count
    }
}
