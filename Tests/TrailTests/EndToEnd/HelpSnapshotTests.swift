import Foundation
import XCTest

/// The whole `--help` text of every command is a golden file: help is part of the interface.
/// Re-record deliberately with `MITRAIL_RECORD_GOLDEN=1 swift test --filter HelpSnapshotTests`.
final class HelpSnapshotTests: XCTestCase {
    static let commands: [[String]] = [
        [], ["demo"], ["ingest"], ["explain"], ["timeline"], ["sources"], ["identities"], ["changes"], ["access"], ["query"], ["report"],
        ["sql"], ["verify"], ["formats"], ["push"], ["incidents"],
    ]

    func testHelpTextsMatchGolden() throws {
        for command in Self.commands {
            let run = try Mitrail.run(command + ["--help"], environment: ["COLUMNS": "100"])
            XCTAssertEqual(run.status, 0, "\(command): \(run.stderr)")
            let name = (["mitrail"] + command).joined(separator: "-")
            try GoldenFile.assert(run.stdout, matches: "help/\(name).txt", "help for \(name) changed")
        }
    }

    func testVersion() throws {
        let run = try Mitrail.run(["--version"])
        XCTAssertEqual(run.status, 0)
        XCTAssertEqual(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count, 3)
    }
}
