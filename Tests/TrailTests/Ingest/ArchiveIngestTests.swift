import Foundation
import XCTest
import ZIPFoundation

/// "Upload batch logs" bundles: a zip is a source, each entry a child source parsed like a file.
final class ArchiveIngestTests: XCTestCase {
    static let node = "tvmps_00000000000000000000000000000000000000000000000000000000000000a1_d"
    static let agentLog = """
        2026-03-04T10:00:01.123Z [INFO] agent: pool not fully joined yet, health=Status.TvmJoinPoolInProgress
        2026-03-04T10:00:31.456Z [INFO] agent: pool not fully joined yet, health=Status.TvmJoinPoolInProgress

        """
    static let roleAssignments = """
        [{"principalId": "00000000-0000-0000-0000-0000000000a1", "roleDefinitionName": "Reader",
          "scope": "/subscriptions/00000000-0000-0000-0000-0000000000f1"}]

        """

    var workspace: URL!

    override func setUp() {
        workspace = TestPaths.temporaryDirectory()
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: workspace)
    }

    /// Writes a zip holding `entries` (deflated), built with ZIPFoundation.
    func makeZip(_ name: String, _ entries: [(path: String, data: Data)]) throws -> URL {
        let url = workspace.appendingPathComponent(name)
        let archive = try Archive(url: url, accessMode: .create)
        for (path, data) in entries {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return url
    }

    func bundle() throws -> URL {
        try makeZip("bundle.zip", [
            ("\(Self.node)/agent-debug.log", Data(Self.agentLog.utf8)),
            ("role-assignments.json", Data(Self.roleAssignments.utf8)),
            ("\(Self.node)/wd/stdout.txt", Data("hello from the task\n".utf8)),
        ])
    }

    /// Rows of a `mitrail sql --format csv` query, header dropped.
    func rows(_ sql: String, db: URL) throws -> [[String]] {
        let run = try Mitrail.run(["sql", "--format", "csv", sql], db: db)
        XCTAssertEqual(run.status, 0, run.stderr)
        return run.stdout.split(separator: "\r\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    /// The SHA-256 mitrail records for `data` ingested as a plain file.
    func sha256AsAFile(_ data: Data) throws -> String? {
        let file = workspace.appendingPathComponent("plain-agent-debug.log")
        try data.write(to: file)
        let db = workspace.appendingPathComponent("plain.db")
        try Mitrail.run(["ingest", file.path], db: db)
        return try rows("SELECT sha256 FROM sources", db: db).first?.first
    }

    func testBundleEntriesBecomeChildSources() throws {
        let zip = try bundle()
        let db = workspace.appendingPathComponent("bundle.db")
        let run = try Mitrail.run(["ingest", zip.path], db: db)
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("ingested \(zip.path)!\(Self.node)/agent-debug.log as batch-agent-log"), run.stdout)
        XCTAssertTrue(run.stdout.contains("ingested \(zip.path)!role-assignments.json as azure-role-assignments"), run.stdout)
        XCTAssertTrue(run.stdout.contains("skipped \(zip.path)!\(Self.node)/wd/stdout.txt: task output"), run.stdout)

        let sources = try rows("SELECT id, path, format, parent_id, records_stored, sha256 FROM sources ORDER BY id", db: db)
        XCTAssertEqual(sources.count, 3, "\(sources)")
        guard sources.count == 3 else { return }
        let archive = sources[0]
        XCTAssertEqual(archive[1], zip.path)
        XCTAssertEqual(archive[2], "zip-archive")
        XCTAssertEqual(archive[3], "")
        let children = sources.dropFirst()
        XCTAssertEqual(Set(children.map { $0[3] }), [archive[0]], "every entry's parent is the archive")
        XCTAssertEqual(Set(children.map { $0[1] }),
                       ["\(zip.path)!\(Self.node)/agent-debug.log", "\(zip.path)!role-assignments.json"])
        // An entry's SHA-256 is that of its decompressed bytes.
        let agentRow = children.first { $0[2] == "batch-agent-log" }
        XCTAssertEqual(agentRow?[5], try sha256AsAFile(Data(Self.agentLog.utf8)))
        XCTAssertEqual(agentRow?[4], "2")

        let nodes = try rows("SELECT DISTINCT node FROM record_values WHERE kind = 'azure:batch:agent-log-line'", db: db)
        XCTAssertEqual(nodes, [[Self.node]], "the node ID is read from the entry's path")
        let principals = try rows("SELECT principal_id FROM record_values WHERE kind = 'azure:rbac:role-assignment'", db: db)
        XCTAssertEqual(principals, [["00000000-0000-0000-0000-0000000000a1"]])

        let again = try Mitrail.run(["ingest", zip.path], db: db)
        XCTAssertEqual(again.status, 0)
        XCTAssertTrue(again.stdout.contains("already ingested"), again.stdout)
        XCTAssertEqual(try rows("SELECT count(*) FROM sources", db: db), [["3"]])
    }

    func testEntriesThatClimbOutAreRefusedAndTheRestIsRead() throws {
        let zip = try makeZip("climb.zip", [
            ("../escape.json", Data(Self.roleAssignments.utf8)),
            ("/absolute.json", Data(Self.roleAssignments.utf8)),
            ("good/role-assignments.json", Data(Self.roleAssignments.utf8)),
        ])
        let db = workspace.appendingPathComponent("climb.db")
        let run = try Mitrail.run(["ingest", zip.path], db: db)
        XCTAssertEqual(run.status, 2, "a refused entry is an input error")
        XCTAssertTrue(run.stderr.contains("\(zip.path)!../escape.json: not extracted: the entry's path climbs out"), run.stderr)
        XCTAssertTrue(run.stderr.contains("\(zip.path)!/absolute.json: not extracted: the entry has an absolute path"), run.stderr)
        XCTAssertTrue(run.stdout.contains("ingested \(zip.path)!good/role-assignments.json"), run.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: workspace.deletingLastPathComponent().appendingPathComponent("escape.json").path))
        XCTAssertEqual(try rows("SELECT path FROM sources WHERE parent_id IS NOT NULL", db: db), [["\(zip.path)!good/role-assignments.json"]])
    }

    func testTruncatedZipIsAClearErrorNamingTheFile() throws {
        let zip = try bundle()
        let bytes = try Data(contentsOf: zip)
        let truncated = workspace.appendingPathComponent("truncated.zip")
        try bytes.prefix(bytes.count / 2).write(to: truncated)
        let db = workspace.appendingPathComponent("truncated.db")
        let run = try Mitrail.run(["ingest", truncated.path], db: db)
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("error: \(truncated.path): a zip archive that cannot be opened: it is damaged or truncated"), run.stderr)
    }

    func testZipBombEntryIsRefused() throws {
        let zip = try makeZip("bomb.zip", [
            ("zeros.log", Data(count: 3 << 20)),
            ("role-assignments.json", Data(Self.roleAssignments.utf8)),
        ])
        let db = workspace.appendingPathComponent("bomb.db")
        let run = try Mitrail.run(["ingest", zip.path], db: db)
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("\(zip.path)!zeros.log: not read: it expands to more than 100 times its compressed size"), run.stderr)
        XCTAssertTrue(run.stdout.contains("ingested \(zip.path)!role-assignments.json"), run.stdout)
    }
}
