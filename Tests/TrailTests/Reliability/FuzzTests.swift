import Foundation
import XCTest

/// A short, fixed-seed run of the parser fuzzer (`mitrail-fuzz`) over every format's fixtures:
/// a crash, a hang, a parser that throws instead of rejecting, a reject without a line, or redaction
/// that is not idempotent fails the test, and the input that did it is kept for `--replay`.
/// Long runs: `scripts/fuzz SECONDS` (libFuzzer when the toolchain has it); see docs/RELIABILITY.md.
final class FuzzTests: XCTestCase {
    static let executions = 2_000

    func testShortFuzzRunFindsNothing() throws {
        let workspace = TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let crashFile = workspace.appendingPathComponent("crash.bin")
        let process = Process()
        process.executableURL = TestPaths.executable("mitrail-fuzz")
        process.arguments = ["--seed", "1", "--runs", String(Self.executions), "--crash-file", crashFile.path,
                             TestPaths.fixtures.appendingPathComponent("formats").path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        var message = text
        if let crash = FileManager.default.contents(atPath: crashFile.path) {
            let kept = FileManager.default.temporaryDirectory.appendingPathComponent("mitrail-fuzz-crash-\(UUID().uuidString.prefix(8)).bin")
            try crash.write(to: kept)
            message += "\nreplay with: mitrail-fuzz --replay \(kept.path)"
        }
        XCTAssertEqual(process.terminationStatus, 0, message)
        XCTAssertTrue(text.contains("\(Self.executions) executions, 0 crashes"), message)
    }
}
