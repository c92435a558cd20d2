import Foundation
import XCTest

/// A store written by mitrail 0.1 (`Fixtures/stores/v0.1-store.db`) is refused by the commands that only read,
/// upgraded in place by `mitrail upgrade`, still verifies (its records keep their 0.1 chain), and then gives the
/// same answers as a new store holding the same evidence written by this mitrail's writer.
///
/// Not a new ingest of the same files: parsers learn between versions (a bearer token's claims, a request ID),
/// and an upgrade keeps what was parsed then, as it must when the files are gone. The rewrite takes the
/// upgraded records' kind, position, time, fields and raw text through `SourceWriter`, so that what is compared
/// is what the migration filled in SQL against what the writer fills in Swift.
final class StoreUpgradeTests: XCTestCase {
    func testAStoreOfVersion01IsUpgradedInPlaceAndAnswersAsTheSameEvidenceWrittenNow() throws {
        let workspace = TestPaths.temporaryDirectory(name)
        let upgraded = workspace.appendingPathComponent("upgraded.db")
        let fresh = workspace.appendingPathComponent("fresh.db")
        try FileManager.default.copyItem(at: TestPaths.fixtures.appendingPathComponent("stores/v0.1-store.db"), to: upgraded)

        let refused = try Mitrail.run(["explain"], db: upgraded)
        XCTAssertEqual(refused.status, 2, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("written by an earlier mitrail (schema version 6"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("mitrail upgrade --db"), refused.stderr)

        let upgrade = try Mitrail.run(["upgrade"], db: upgraded)
        XCTAssertEqual(upgrade.status, 0, upgrade.stderr)
        XCTAssertTrue(upgrade.stdout.contains("from schema version 6"), upgrade.stdout)
        XCTAssertTrue(upgrade.stdout.contains("82 records kept"), upgrade.stdout)
        let again = try Mitrail.run(["upgrade"], db: upgraded)
        XCTAssertTrue(again.stdout.contains("nothing to do"), again.stdout)

        let verify = try Mitrail.run(["verify", "--format", "csv"], db: upgraded)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        XCTAssertFalse(verify.stdout.contains("not checked: no record chain"), verify.stdout)

        try StoreRewrite.rewrite(upgraded, into: fresh)
        let rewritten = try Mitrail.run(["verify"], db: fresh)
        XCTAssertEqual(rewritten.status, 0, rewritten.stdout + rewritten.stderr)

        var compared = ["explain --format json", "timeline --format json", "identities --format json", "changes --format json"]
        for command in compared {
            let arguments = command.split(separator: " ").map(String.init)
            XCTAssertEqual(try Mitrail.run(arguments, db: upgraded).stdout, try Mitrail.run(arguments, db: fresh).stdout, command)
        }
        let listing = try Mitrail.run(["query", "--list", "--format", "json"], db: fresh).stdout
        for (name, parameters) in Self.queriesWithExamples(listing) {
            let arguments = ["query", name, "--format", "json"] + parameters.flatMap { ["--param", $0] }
            let theirs = try Mitrail.run(arguments, db: fresh)
            XCTAssertEqual(theirs.status, 0, "\(name): \(theirs.stderr)")
            let mine = try Mitrail.run(arguments, db: upgraded).stdout
            if name == "source_list" {
                // The two stores were ingested at different times: everything else about their sources is the same.
                XCTAssertEqual(try Self.withoutIngestTimes(mine), try Self.withoutIngestTimes(theirs.stdout), name)
            } else {
                XCTAssertEqual(mine, theirs.stdout, name)
            }
            compared.append(name)
        }
        for view in ["failures", "token_requests", "identity_sightings", "role_assignment_history", "role_assignments", "agent_log_lines",
                     "role_definitions", "timeline", "record_values", "reject_list"] {
            // Upgraded records keep their whole fields JSON (their chain covers it); new ones keep only what no typed column holds.
            let columns = try Mitrail.run(["sql", "--format", "csv", "SELECT name FROM pragma_table_info('\(view)') WHERE name <> 'fields'"], db: fresh)
                .stdout.split(separator: "\r\n").dropFirst().joined(separator: ", ")
            let arguments = ["sql", "--format", "ndjson", "SELECT \(columns) FROM \(view)"]
            let mine = try Mitrail.run(arguments, db: upgraded).stdout.split(separator: "\n").sorted()
            let theirs = try Mitrail.run(arguments, db: fresh).stdout.split(separator: "\n").sorted()
            XCTAssertFalse(mine.isEmpty && view != "reject_list", view)
            XCTAssertEqual(mine, theirs, view)
        }
        XCTAssertGreaterThan(compared.count, 20)

        // The upgraded records keep the 0.1 chain: an edit of one of them is still found.
        let edited = try Mitrail.run(["sql", "--format", "csv", "SELECT min(id) FROM records"], db: upgraded).stdout
            .split(separator: "\r\n").dropFirst().first.map(String.init) ?? ""
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [upgraded.path, "UPDATE records SET raw = raw || ' (edited)' WHERE id = \(edited)"]
        try process.run()
        process.waitUntilExit()
        let tampered = try Mitrail.run(["verify"], db: upgraded)
        XCTAssertEqual(tampered.status, 1, tampered.stdout)
        XCTAssertTrue(tampered.stdout.contains("record #\(edited) was changed"), tampered.stdout)
    }

    /// The rows of a `--format json` listing of sources, without their `ingested_at`.
    static func withoutIngestTimes(_ json: String) throws -> [NSDictionary] {
        let rows = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]] ?? []
        XCTAssertFalse(rows.isEmpty, json)
        return rows.map { row in NSDictionary(dictionary: row.filter { $0.key != "ingested_at" }) }
    }

    /// Every named query of `mitrail query --list --format json`, with `NAME=EXAMPLE` for each required parameter.
    static func queriesWithExamples(_ listing: String) -> [(String, [String])] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(listing.utf8)) as? [String: Any],
              let queries = object["queries"] as? [[String: Any]] else { return [] }
        return queries.compactMap { query in
            guard let name = query["name"] as? String else { return nil }
            let parameters = (query["parameters"] as? [[String: Any]] ?? []).compactMap { parameter -> String? in
                guard parameter["optional"] as? Bool == false, let parameterName = parameter["name"] as? String else { return nil }
                return "\(parameterName)=\(parameter["example"] as? String ?? "")"
            }
            return (name, parameters)
        }
    }
}
