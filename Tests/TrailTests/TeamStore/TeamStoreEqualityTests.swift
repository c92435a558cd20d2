import Foundation
import TrailModel
import TrailStore
import TrailTeamStore
import XCTest

/// The fixture incidents and the forensics incident, each ingested into SQLite and pushed to a real PostgreSQL as
/// its own incident, give the same answers on both: `explain --format json`, `timeline --format json` and
/// `access` through the built binary, every named query (without its optional parameters, and with every
/// parameter set to its example) and every view through the library, row for row, type for type.
final class TeamStoreEqualityTests: XCTestCase {
    struct Pushed {
        let name: String
        let workspace: URL
        let db: URL
        let url: String
    }

    /// Every incident pushed once into one database of the test server (so that they are also several incidents).
    static let pushed: Result<(PostgresServer, [Pushed]), Error> = {
        do {
            let server = try PostgresServer.shared()
            let database = try server.createDatabase("equality")
            var pushed: [Pushed] = []
            var stores = try ExplainEndToEndTests.manifests().map { name, _ in (name, try IncidentWorkspace.ingest(name)) }
            let forensics = try ForensicsIncident.database()
            stores.append(("forensics", (forensics.deletingLastPathComponent(), forensics)))
            for (name, (workspace, db)) in stores {
                let incident = IncidentName.from(storePath: name)
                let run = try Mitrail.run(["push", "--db", db.path, "--to", server.url(database: database), "--incident", incident],
                                          environment: server.environment, currentDirectory: workspace)
                guard run.status == 0 else { throw PostgresServer.Failure(description: "push \(name): \(run.stdout) \(run.stderr)") }
                pushed.append(Pushed(name: name, workspace: workspace, db: db, url: server.url(database: database, incident: incident)))
            }
            return .success((server, pushed))
        } catch {
            return .failure(error)
        }
    }()

    func incidents() throws -> (PostgresServer, [Pushed]) {
        try Self.pushed.get()
    }

    func testExplainGivesTheSameJSON() throws {
        let (server, incidents) = try incidents()
        for incident in incidents {
            try assertSameOutput(["explain", "--format", "json"], incident, server)
            try assertSameOutput(["explain", "--format", "json", "--since", "2026-03-04T10:10:00Z"], incident, server)
        }
    }

    func testTimelineGivesTheSameEvents() throws {
        let (server, incidents) = try incidents()
        for incident in incidents {
            try assertSameOutput(["timeline", "--format", "json"], incident, server)
        }
    }

    /// `access` for every episode's identity, missing action and scope, at its first failure: the same verdict and reasons.
    func testAccessGivesTheSameVerdicts() throws {
        let (server, incidents) = try incidents()
        var asked = 0
        for incident in incidents {
            let explain = try Mitrail.run(["explain", "--format", "json"], db: incident.db, currentDirectory: incident.workspace)
            let object = try JSONSerialization.jsonObject(with: Data(explain.stdout.utf8)) as? [String: Any]
            for episode in object?["episodes"] as? [[String: Any]] ?? [] {
                guard let principal = (episode["identity"] as? [String: Any])?["principalId"] as? String,
                      let action = (episode["missing"] as? [String: Any])?["action"] as? String,
                      let scope = episode["scope"] as? String, let time = episode["firstFailure"] as? String else { continue }
                for kind in ["--data-action", "--action"] {
                    try assertSameOutput(["access", "--principal", principal, kind, action, "--scope", scope, "--at", time, "--format", "json"],
                                         incident, server)
                    asked += 1
                }
            }
        }
        XCTAssertGreaterThan(asked, 10, "access was compared on the fixture incidents' episodes")
    }

    /// The other read commands accept the team store too and say the same (on the forensics incident, the richest).
    func testOtherReadCommandsGiveTheSameOutput() throws {
        let (server, incidents) = try incidents()
        let forensics = try XCTUnwrap(incidents.first { $0.name == "forensics" })
        for arguments in [["identities", "--format", "json"], ["changes", "--format", "json"], ["sources", "--format", "json"],
                          ["report", "--format", "json"], ["explain"], ["timeline"], ["verify", "--format", "json"]] {
            try assertSameOutput(arguments, forensics, server, environment: ["SOURCE_DATE_EPOCH": "1772625600"])
        }
    }

    /// Every named query, with its required parameters only and with every parameter at its example: the same rows.
    func testEveryNamedQueryReturnsTheSameRows() throws {
        let (server, incidents) = try incidents()
        var nonEmpty = Set<String>()
        for incident in incidents {
            let sqlite = try EvidenceStore(path: incident.db.path, mode: .readOnly)
            let team = try TeamStoreReader(url: TeamStoreURL(incident.url), environment: server.environment)
            defer { team.close() }
            for query in NamedQuery.all {
                let required = Dictionary(uniqueKeysWithValues: query.parameters.filter { !$0.isOptional }.map { ($0.name, $0.example ?? "") })
                let all = Dictionary(uniqueKeysWithValues: query.parameters.map { ($0.name, $0.example ?? "") })
                for parameters in [required, all] {
                    do {
                        let expected = try Self.rows(sqlite, query, parameters)
                        let actual = try Self.rows(team, query, parameters)
                        XCTAssertEqual(actual.columns, expected.columns, "\(incident.name): \(query.name) columns")
                        XCTAssertEqual(actual.rows, expected.rows, "\(incident.name): \(query.name) \(parameters)")
                        if !expected.rows.isEmpty { nonEmpty.insert(query.name) }
                    } catch {
                        XCTFail("\(incident.name): \(query.name) \(parameters): \(error)")
                    }
                }
            }
        }
        let empty = NamedQuery.all.map(\.name).filter { !nonEmpty.contains($0) }
        XCTAssertTrue(empty.count <= 3, "queries that returned no row on any incident compare nothing: \(empty)")
    }

    /// Every view, as a whole: the same rows (in any order), the same columns.
    func testEveryViewHoldsTheSameRows() throws {
        let (server, incidents) = try incidents()
        for incident in incidents {
            let sqlite = try EvidenceStore(path: incident.db.path, mode: .readOnly)
            let team = try TeamStoreReader(url: TeamStoreURL(incident.url), environment: server.environment)
            defer { team.close() }
            for view in PostgresSchemaFiles.views.keys.sorted() {
                let expected = try Self.rows(sqlite, sql: "SELECT * FROM \(view)")
                let actual = try Self.rows(team, sql: "SELECT * FROM \(view)")
                XCTAssertEqual(actual.columns, expected.columns, "\(incident.name): view \(view) columns")
                XCTAssertEqual(actual.rows.sorted(by: Self.ordered), expected.rows.sorted(by: Self.ordered), "\(incident.name): view \(view)")
            }
        }
    }

    // MARK: Support

    func assertSameOutput(_ arguments: [String], _ incident: Pushed, _ server: PostgresServer, environment: [String: String] = [:],
                          file: StaticString = #filePath, line: UInt = #line) throws {
        let local = try Mitrail.run(arguments, db: incident.db, environment: environment, currentDirectory: incident.workspace)
        let team = try Mitrail.run(arguments + ["--db", incident.url], environment: environment.merging(server.environment) { $1 },
                                   currentDirectory: incident.workspace)
        XCTAssertEqual(team.status, local.status, "\(incident.name): \(arguments) exit status; \(team.stderr)", file: file, line: line)
        XCTAssertEqual(team.stdout, local.stdout, "\(incident.name): \(arguments)", file: file, line: line)
        XCTAssertFalse(local.stdout.isEmpty, "\(incident.name): \(arguments) printed nothing", file: file, line: line)
    }

    static func rows(_ reader: any EvidenceReader, _ query: NamedQuery, _ parameters: [String: String]) throws -> (columns: [String], rows: [[TabularValue]]) {
        var columns: [String] = []
        var rows: [[TabularValue]] = []
        try reader.run(query, parameters: parameters, columns: { columns = $0 }) { rows.append($0) }
        return (columns, rows)
    }

    static func rows(_ reader: any EvidenceReader, sql: String) throws -> (columns: [String], rows: [[TabularValue]]) {
        var columns: [String] = []
        var rows: [[TabularValue]] = []
        try reader.runReadOnly(sql: sql, arguments: [:], columns: { columns = $0 }) { rows.append($0) }
        return (columns, rows)
    }

    static func ordered(_ left: [TabularValue], _ right: [TabularValue]) -> Bool {
        left.map { "\($0)" }.lexicographicallyPrecedes(right.map { "\($0)" })
    }
}
