import Foundation
import TrailModel
import TrailStore
import TrailTeamStore
import XCTest

/// The functions the PostgreSQL twins call are marked parallel-safe only when they are: with the server made to
/// run every parallel-safe plan in a parallel worker (`debug_parallel_query`, `force_parallel_mode` before
/// PostgreSQL 16), every named query and every view of a pushed incident still answers, with the same rows as the
/// SQLite store. (A function with an exception block marked parallel-safe fails there: a worker cannot start the
/// subtransaction; a large incident gets such plans by itself.)
final class TeamStoreParallelPlanTests: XCTestCase {
    func testEveryQueryAndViewAnswersUnderParallelPlans() throws {
        let server = try PostgresServer.shared()
        let database = try server.createDatabase(name)
        let store = try ForensicsIncident.database()
        let push = try Mitrail.run(["push", "--db", store.path, "--to", server.url(database: database), "--incident", "forensics"],
                                   environment: server.environment, currentDirectory: store.deletingLastPathComponent())
        XCTAssertEqual(push.status, 0, push.stderr)
        let version = Int(try server.psql(database: database, "SHOW server_version_num").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        let setting = version >= 160000 ? "debug_parallel_query" : "force_parallel_mode"
        try server.psql(database: database, "ALTER DATABASE \(database) SET \(setting) = on")

        let sqlite = try EvidenceStore(path: store.path, mode: .readOnly)
        let team = try TeamStoreReader(url: TeamStoreURL(server.url(database: database, incident: "forensics")), environment: server.environment)
        defer { team.close() }
        var shown: String?
        try team.runReadOnly(sql: "SHOW \(setting)", arguments: [:], columns: { _ in }) { row in
            if case .text(let value)? = row.first { shown = value }
        }
        XCTAssertEqual(shown, "on", "the session runs with \(setting) on")
        for query in NamedQuery.all {
            let parameters = Dictionary(uniqueKeysWithValues: query.parameters.map { ($0.name, $0.example ?? "") })
            do {
                let expected = try TeamStoreEqualityTests.rows(sqlite, query, parameters)
                let actual = try TeamStoreEqualityTests.rows(team, query, parameters)
                XCTAssertEqual(actual.rows, expected.rows, "\(query.name) \(parameters)")
            } catch {
                XCTFail("\(query.name): \(error)")
            }
        }
        for view in PostgresSchemaFiles.views.keys.sorted() {
            do {
                let expected = try TeamStoreEqualityTests.rows(sqlite, sql: "SELECT * FROM \(view)")
                let actual = try TeamStoreEqualityTests.rows(team, sql: "SELECT * FROM \(view)")
                XCTAssertEqual(actual.rows.sorted(by: TeamStoreEqualityTests.ordered), expected.rows.sorted(by: TeamStoreEqualityTests.ordered), view)
            } catch {
                XCTFail("view \(view): \(error)")
            }
        }
    }
}
