import Foundation
import XCTest

/// Golden files under Tests/TrailTests/Golden: compared, or rewritten with `MITRAIL_RECORD_GOLDEN=1`.
enum GoldenFile {
    static func assert(_ actual: String, matches name: String, _ message: String? = nil,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        let golden = TestPaths.golden.appendingPathComponent(name)
        if TestPaths.recordingGolden {
            try FileManager.default.createDirectory(at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: golden, atomically: true, encoding: .utf8)
            return
        }
        XCTAssertEqual(actual, try String(contentsOf: golden, encoding: .utf8), message ?? "\(name) changed", file: file, line: line)
    }
}
