import Foundation
import TrailStore
@testable import TrailTeamStore
import XCTest

/// Every SQLite view and named query has its PostgreSQL twin, with the same header; and the PostgreSQL text the
/// team store runs is cut into statements and parameters the way PostgreSQL reads it.
final class PostgresTwinTests: XCTestCase {
    /// A named query without a twin fails here (and a twin without a query too).
    func testEveryNamedQueryHasAPostgreSQLTwinWithTheSameHeader() throws {
        XCTAssertEqual(NamedQuery.postgresTwinNames, NamedQuery.all.map(\.name).sorted(), "queries/ and queries/postgres/ pair up")
        for query in NamedQuery.all {
            let twinText = try XCTUnwrap(query.postgresSQL, "\(query.name) has no queries/postgres/\(query.name).sql")
            let twin = try XCTUnwrap(NamedQuery(text: twinText), query.name)
            XCTAssertEqual(twin.name, query.name)
            XCTAssertEqual(twin.description, query.description, "\(query.name): the twin's description")
            XCTAssertEqual(twin.parameters, query.parameters, "\(query.name): the twin's parameters")
            XCTAssertEqual(Set(PostgresSQLText.positional(twinText).names), Set(query.parameters.map(\.name)),
                           "\(query.name): the twin uses exactly the declared parameters")
        }
    }

    /// A view of a fresh store without a twin in migrations/postgres/views/ fails here.
    func testEveryViewHasAPostgreSQLTwin() throws {
        let path = TestPaths.temporaryDirectory().appendingPathComponent("store.db").path
        _ = try EvidenceStore(path: path, mode: .readWrite)
        let snapshot = try SQLiteSnapshot(path: path)
        let views = try snapshot.rows("SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name").compactMap { $0.first ?? nil }
        XCTAssertFalse(views.isEmpty)
        XCTAssertEqual(PostgresSchemaFiles.views.keys.sorted(), views, "migrations/postgres/views/ holds one twin per view, named after it")
        for (name, text) in PostgresSchemaFiles.views {
            XCTAssertEqual(PostgresSQLText.statements(text).count, 1, "\(name).sql holds one statement")
            XCTAssertTrue(text.contains("CREATE VIEW \(name) AS"), "\(name).sql creates the view \(name)")
        }
    }

    func testNamedParametersBecomePositional() {
        let (sql, names) = PostgresSQLText.positional("""
            SELECT ':not' AS "x:y", a::text, $$ :no $$, $tag$ :nor $tag$ -- :never
            FROM t WHERE a = :since AND b < :until /* :skip */ AND c = :since
            """)
        XCTAssertEqual(names, ["since", "until"])
        XCTAssertEqual(sql, """
            SELECT ':not' AS "x:y", a::text, $$ :no $$, $tag$ :nor $tag$ -- :never
            FROM t WHERE a = $1 AND b < $2 /* :skip */ AND c = $1
            """)
    }

    func testScriptsSplitAtSemicolonsInCodeOnly() {
        let statements = PostgresSQLText.statements("""
            -- a comment; with a semicolon
            CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$ SELECT 'a;b' $$;
            SELECT ';' ; -- trailing
            ;
            """)
        XCTAssertEqual(statements, ["-- a comment; with a semicolon\nCREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$ SELECT 'a;b' $$", "SELECT ';'"])
    }
}
