import Foundation
import XCTest

/// Plants every kind of secret in evidence, ingests it, runs the read commands, and checks
/// that no secret reached the database file, its -wal, or any command's output.
final class PlantedSecretsTests: XCTestCase {
    /// A JWT with a recognisable signature; its claims are not secret, its signature and the token are.
    static let tokenHeader = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIsImtpZCI6InBsYW50ZWQifQ"
    static let tokenPayload = "eyJhdWQiOiJodHRwczovL3N0b3JhZ2UuYXp1cmUuY29tLyIsIm9pZCI6IjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDBhMSIsImFwcGlkIjoiMDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMGIxIiwidGlkIjoiMDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMGUxIn0"
    static let tokenSignature = "UExBTlRFRF9TSUdOQVRVUkVfVEhBVF9NVVNUX05FVkVSX0JFX1NUT1JFRF8xMjM0NTY3ODkw"
    static let token = tokenHeader + "." + tokenPayload + "." + tokenSignature
    static let sasSignature = "PlantedSasSignature0123456789abcdefXYZ%2Bq%3D"
    static let accountKey = String(repeating: "K3y", count: 28) + "Ab=="
    static let clientSecret = "Planted~ClientSecret.0123456789abcdef"
    static let cookie = "PlantedSessionCookieValue0123456789"
    static let opaqueBearer = "PlantedOpaqueBearerCredential0123456789"
    static let refreshToken = "PlantedRefreshToken0.AAAA-0123456789abcdef"
    static let password = "PlantedPassw0rd!42"

    static var secrets: [String] {
        [token, tokenPayload + "." + tokenSignature, tokenSignature, sasSignature, accountKey, clientSecret, cookie, opaqueBearer,
         refreshToken, password]
    }

    func plantedEvidence(in folder: URL) throws {
        let log = """
            2026-03-04T10:00:00.000Z INFO token response {"access_token": "\(Self.token)", "token_type": "Bearer", "refresh_token": "\(Self.refreshToken)"}
            2026-03-04T10:00:01.000Z DEBUG GET https://stdemo.blob.core.windows.net/appdata/app.zip?sv=2022-11-02&sig=\(Self.sasSignature)&se=2026-03-05 health=Status.TvmJoinPoolInProgress
            2026-03-04T10:00:02.000Z DEBUG Authorization: Bearer \(Self.opaqueBearer)
            2026-03-04T10:00:03.000Z DEBUG Cookie: session=\(Self.cookie); theme=dark
            2026-03-04T10:00:04.000Z DEBUG connection DefaultEndpointsProtocol=https;AccountName=stdemo;AccountKey=\(Self.accountKey);EndpointSuffix=core.windows.net
            2026-03-04T10:00:05.000Z DEBUG client_secret=\(Self.clientSecret)&grant_type=client_credentials password=\(Self.password)
            2026-03-04T10:00:06.000Z DEBUG key1 \(Self.accountKey)
            2026-03-04T10:00:07.000Z DEBUG Authorization: Bearer \(Self.token)
            """
        try log.write(to: folder.appendingPathComponent("agent-debug.log"), atomically: true, encoding: .utf8)
        let assignments = """
            [{"principalId": "00000000-0000-0000-0000-0000000000a1", "roleDefinitionName": "Reader",
              "scope": "/subscriptions/00000000-0000-0000-0000-0000000000f1",
              "description": "created with token \(Self.token) and key \(Self.accountKey) sig=\(Self.sasSignature)"},
             {"principalId": "00000000-0000-0000-0000-0000000000a2", "roleDefinitionName": "Reader",
              "scope": "/subscriptions/00000000-0000-0000-0000-0000000000f1", "client_secret": "\(Self.clientSecret)"},
             {"principalId": "00000000-0000-0000-0000-0000000000a3", "roleDefinitionName": "Reader", "Authorization": "Bearer \(Self.token)" ,
              "bad json here \(Self.password)"}]
            """
        try assignments.write(to: folder.appendingPathComponent("assignments.json"), atomically: true, encoding: .utf8)
    }

    func testNoSecretReachesTheStoreOrTheOutput() throws {
        let workspace = TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: workspace) }
        let evidence = workspace.appendingPathComponent("evidence")
        try FileManager.default.createDirectory(at: evidence, withIntermediateDirectories: true)
        try plantedEvidence(in: evidence)
        let db = workspace.appendingPathComponent("store.db")

        var outputs: [String] = []
        let ingest = try Mitrail.run(["ingest", evidence.path], db: db)
        XCTAssertEqual(ingest.status, 1, "the bad record is rejected: \(ingest.stderr)")
        outputs += [ingest.stdout, ingest.stderr]
        for arguments in [["sources"], ["sources", "--format", "json"], ["sql", "--format", "ndjson", "SELECT * FROM records"],
                          ["sql", "--format", "json", "SELECT * FROM rejects"], ["sql", "--format", "csv", "SELECT * FROM timeline"]] {
            let run = try Mitrail.run(arguments, db: db)
            XCTAssertEqual(run.status, 0, "\(arguments): \(run.stderr)")
            outputs += [run.stdout, run.stderr]
        }
        // The claims survive in readable form, so the evidence is still useful.
        let records = try Mitrail.run(["sql", "--format", "csv", "SELECT raw FROM records"], db: db).stdout
        XCTAssertTrue(records.contains("oid=00000000-0000-0000-0000-0000000000a1"), records)
        XCTAssertTrue(records.contains("<redacted-jwt sha256:"), records)

        var stored = Data()
        for suffix in ["", "-wal", "-shm", "-journal"] {
            if let bytes = FileManager.default.contents(atPath: db.path + suffix) { stored += bytes }
        }
        XCTAssertGreaterThan(stored.count, 0)
        for secret in Self.secrets {
            XCTAssertNil(stored.range(of: Data(secret.utf8)), "secret \(secret.prefix(12))… is in the database files")
            for output in outputs {
                XCTAssertFalse(output.contains(secret), "secret \(secret.prefix(12))… is in a command's output")
            }
        }
    }
}
