import Foundation
@testable import TrailTeamStore
import XCTest

/// The team store's URL, password file and incident names, as libpq users expect them.
final class TeamStoreURLTests: XCTestCase {
    func testURLParts() throws {
        let url = try TeamStoreURL("postgres://analyst@teamdb.internal:6543/mitrail?incident=contoso_2026_03", environment: [:])
        XCTAssertEqual(url, TeamStoreURL(user: "analyst", host: "teamdb.internal", port: 6543, database: "mitrail", incident: "contoso_2026_03"))
        let defaults = try TeamStoreURL("postgresql://teamdb/mitrail?sslmode=require", environment: ["PGUSER": "someone", "PGPORT": "5433"])
        XCTAssertEqual(defaults, TeamStoreURL(user: "someone", host: "teamdb", port: 5433, database: "mitrail", tls: .require))
        XCTAssertEqual(try TeamStoreURL("postgres://a@[::1]/db", environment: [:]).host, "::1")
        XCTAssertEqual(try TeamStoreURL("postgres://a%40b@h/my%20db", environment: [:]).user, "a@b")
        XCTAssertEqual(try TeamStoreURL("postgres://a@h/my%20db", environment: [:]).database, "my db")
    }

    func testBadURLsSayWhatIsExpected() {
        let cases = ["teamdb/mitrail", "postgres://a@/db", "postgres://a@h", "postgres://a@h/", "postgres://a@h:99999/db",
                     "postgres://a@h/db?incident=Bad-Name", "postgres://a@h/db?color=red", "postgres://a@h/db?sslmode=verify-full"]
        for text in cases {
            XCTAssertThrowsError(try TeamStoreURL(text, environment: [:]), text) { error in
                let message = (error as? LocalizedError)?.errorDescription ?? ""
                XCTAssertTrue(message.contains("postgres://") || message.contains("incident name"), "\(text): \(message)")
            }
        }
    }

    func testAPasswordInTheURLIsRefusedAndNeverRepeated() {
        XCTAssertThrowsError(try TeamStoreURL("postgres://analyst:s3cret-Pa55@teamdb/mitrail", environment: [:])) { error in
            XCTAssertEqual(error as? TeamStoreError, .passwordInURL)
            XCTAssertFalse(((error as? LocalizedError)?.errorDescription ?? "").contains("s3cret"))
        }
        XCTAssertFalse(TeamStoreError.badURL("postgres://a:s3cret@h", reason: "x").errorDescription!.contains("s3cret"))
    }

    func testPasswordFileLinesMatchAsLibpqMatchesThem() {
        let url = TeamStoreURL(user: "analyst", host: "teamdb", port: 5432, database: "mitrail")
        let text = """
            # comment
            otherhost:5432:mitrail:analyst:wrong
            teamdb:5432:otherdb:analyst:wrong
            teamdb:*:mitrail:analyst:with\\:colon\\\\and:more
            *:*:*:*:fallback
            """
        XCTAssertEqual(PasswordFile.password(in: text, for: url), "with:colon\\and:more")
        XCTAssertEqual(PasswordFile.password(in: text, for: TeamStoreURL(user: "x", host: "y", database: "z")), "fallback")
        XCTAssertNil(PasswordFile.password(in: "teamdb:5432:mitrail:other:pw", for: url))
    }

    func testPasswordFromEnvironmentThenFileReadableByItsOwnerOnly() throws {
        let url = TeamStoreURL(user: "analyst", host: "teamdb", database: "mitrail")
        let folder = TestPaths.temporaryDirectory()
        let file = folder.appendingPathComponent("pgpass")
        try "*:*:*:*:from-file\n".write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        XCTAssertEqual(PasswordFile.password(for: url, environment: ["PGPASSWORD": "from-env", "PGPASSFILE": file.path]), "from-env")
        XCTAssertEqual(PasswordFile.password(for: url, environment: ["PGPASSFILE": file.path]), "from-file")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        XCTAssertNil(PasswordFile.password(for: url, environment: ["PGPASSFILE": file.path]), "a password file others can read is ignored")
        XCTAssertNil(PasswordFile.password(for: url, environment: ["HOME": folder.path]))
    }

    func testIncidentNames() throws {
        XCTAssertEqual(IncidentName.from(storePath: "/cases/Contoso 2026-03.db"), "contoso_2026_03")
        XCTAssertEqual(IncidentName.from(storePath: "mitrail.db"), "mitrail")
        XCTAssertEqual(IncidentName.from(storePath: "2026-03-04.db"), "incident_2026_03_04")
        XCTAssertEqual(IncidentName.from(storePath: "pg_store.db"), "incident_pg_store")
        XCTAssertEqual(IncidentName.from(storePath: "ÉTÉ.db"), "t")
        XCTAssertEqual(IncidentName.from(storePath: String(repeating: "a", count: 80) + ".db").count, 63)
        XCTAssertEqual(try IncidentName.validated("contoso_1"), "contoso_1")
        for bad in ["", "1abc", "Contoso", "a-b", "pg_x", "public", "a\"b", String(repeating: "a", count: 64)] {
            XCTAssertThrowsError(try IncidentName.validated(bad), bad)
        }
    }
}
