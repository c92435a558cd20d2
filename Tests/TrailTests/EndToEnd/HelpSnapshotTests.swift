import Foundation
import XCTest

/// The whole `--help` text of every command is a golden file: help is part of the interface.
/// Re-record deliberately with `MITRAIL_RECORD_GOLDEN=1 swift test --filter HelpSnapshotTests`.
final class HelpSnapshotTests: XCTestCase {
    /// The root command's subcommands, as the built binary describes itself (ArgumentParser's own `help` left out).
    static func subcommands() throws -> [String] {
        let run = try Mitrail.run(["--experimental-dump-help"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let root = try XCTUnwrap(document["command"] as? [String: Any])
        let subcommands = try XCTUnwrap(root["subcommands"] as? [[String: Any]])
        return subcommands.compactMap { $0["commandName"] as? String }.filter { $0 != "help" }
    }

    static func goldenName(_ command: [String]) -> String {
        (["mitrail"] + command).joined(separator: "-")
    }

    func testEveryCommandsHelpMatchesItsGolden() throws {
        let commands = [[]] + (try Self.subcommands()).map { [$0] }
        XCTAssertGreaterThan(commands.count, 10)
        for command in commands {
            let name = Self.goldenName(command)
            let golden = TestPaths.golden.appendingPathComponent("help/\(name).txt")
            guard TestPaths.recordingGolden || FileManager.default.fileExists(atPath: golden.path) else {
                XCTFail("`\((["mitrail"] + command + ["--help"]).joined(separator: " "))` has no golden file (Golden/help/\(name).txt): "
                        + "record it with `MITRAIL_RECORD_GOLDEN=1 swift test --filter HelpSnapshotTests`, then read it")
                continue
            }
            let run = try Mitrail.run(command + ["--help"], environment: ["COLUMNS": "100"])
            XCTAssertEqual(run.status, 0, "\(command): \(run.stderr)")
            try GoldenFile.assert(run.stdout, matches: "help/\(name).txt", "help for \(name) changed")
        }
        let known = Set(commands.map { Self.goldenName($0) + ".txt" })
        let stale = try FileManager.default.contentsOfDirectory(atPath: TestPaths.golden.appendingPathComponent("help").path).filter { !known.contains($0) }
        XCTAssertEqual(stale, [], "golden help files of commands that no longer exist")
    }

    /// The parser wraps each line of a discussion to the terminal: paragraphs written without hard line
    /// breaks wrap cleanly (no line ends early where the next word would have fitted), and examples fit 80 columns.
    func testHelpTextsWrapCleanly() throws {
        for command in [[]] + (try Self.subcommands()).map({ [$0] }) {
            for width in [80, 60] {
                let run = try Mitrail.run(command + ["--help"], environment: ["COLUMNS": String(width)])
                let lines = run.stdout.components(separatedBy: "\n")
                let discussion = lines.prefix { !$0.hasPrefix("USAGE:") }
                for (line, next) in zip(discussion, discussion.dropFirst()) where !line.isEmpty && !next.isEmpty {
                    if line.hasPrefix(" ") {
                        XCTAssertTrue(next.hasPrefix(" ") || width < 80, "\(command) at \(width) columns: an example wraps: '\(line)'")
                        continue
                    }
                    guard !next.hasPrefix(" "), let word = next.split(separator: " ").first else { continue }
                    XCTAssertGreaterThanOrEqual(line.count + 1 + word.count, width,
                                                "\(command) at \(width) columns: a ragged line (a hard line break?): '\(line)'")
                }
            }
        }
    }

    func testCompletionScriptsKnowTheCommandsAndTheNamedQueries() throws {
        for shell in ["bash", "zsh", "fish"] {
            let run = try Mitrail.run(["--generate-completion-script", shell])
            XCTAssertEqual(run.status, 0, run.stderr)
            for word in try Self.subcommands() + ["identity_activity", "batch-agent-log"] {
                XCTAssertTrue(run.stdout.contains(word), "the \(shell) completion script lacks \(word)")
            }
        }
    }

    func testVersion() throws {
        let run = try Mitrail.run(["--version"])
        XCTAssertEqual(run.status, 0)
        XCTAssertEqual(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count, 3)
    }
}
