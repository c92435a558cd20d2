import Foundation
import XCTest

/// The commands that read (`sql`, `sources`, `verify`) open the store read-only: they work on a store
/// file the user cannot write, and leave a writable one byte for byte as it was, with no -wal growth.
final class ReadOnlyStoreTests: XCTestCase {
    var workspace: URL!
    var db: URL!

    override func setUpWithError() throws {
        workspace = TestPaths.temporaryDirectory(name)
        db = workspace.appendingPathComponent("store.db")
        let fixture = TestPaths.fixtures.appendingPathComponent("formats/azure-role-assignments/az-cli-list.json")
        XCTAssertEqual(try Mitrail.run(["ingest", fixture.path], db: db).status, 0)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: workspace.path)
        try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: db.path)
        try? FileManager.default.removeItem(at: workspace)
    }

    static let readers: [[String]] = [
        ["sql", "SELECT count(*) FROM records"], ["sql", "--format", "json", "SELECT * FROM timeline"],
        ["sources"], ["sources", "--format", "ndjson"], ["verify"],
        ["query", "evidence_by_kind"], ["report", "--format", "markdown"], ["timeline"], ["identities"], ["changes"],
        ["explain", "--format", "json"],
    ]

    /// The store file and its -wal and -shm companions, as bytes (nil when absent).
    func snapshot() -> [Data?] {
        ["", "-wal", "-shm"].map { FileManager.default.contents(atPath: db.path + $0) }
    }

    func testReadingLeavesTheStoreUntouched() throws {
        let before = snapshot()
        let modified = try FileManager.default.attributesOfItem(atPath: db.path)[.modificationDate] as? Date
        for arguments in Self.readers {
            let run = try Mitrail.run(arguments, db: db)
            XCTAssertEqual(run.status, 0, "\(arguments): \(run.stderr)")
        }
        XCTAssertEqual(snapshot()[0], before[0], "the store file changed")
        XCTAssertEqual(snapshot()[1]?.count ?? 0, before[1]?.count ?? 0, "the -wal grew")
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: db.path)[.modificationDate] as? Date, modified)
    }

    /// Runs mitrail as a user who may read the store but not write it. Under root (who may write
    /// anything) the process runs as `nobody` through setpriv, with the store and its folder given to nobody.
    func runWithoutWriteAccess(_ arguments: [String]) throws -> MitrailRun {
        guard getuid() == 0 else { return try Mitrail.run(arguments, db: db) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", TestPaths.binary.path] + arguments + ["--db", db.path]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let stdout = output.fileHandleForReading.readDataToEndOfFile(), stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return MitrailRun(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                          stderr: String(decoding: stderr, as: UTF8.self))
    }

    func testAStoreTheUserCannotWriteCanStillBeRead() throws {
        if getuid() == 0 {
            XCTAssertEqual(chown(workspace.path, 65534, 65534), 0)
            XCTAssertEqual(chown(db.path, 65534, 65534), 0)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: db.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o500], ofItemAtPath: workspace.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: workspace.path) }
        let before = snapshot()
        for arguments in Self.readers {
            let run = try runWithoutWriteAccess(arguments)
            XCTAssertEqual(run.status, 0, "\(arguments): \(run.stderr)")
            XCTAssertFalse(run.stdout.isEmpty, "\(arguments)")
        }
        XCTAssertEqual(snapshot()[0], before[0])
        XCTAssertFalse(FileManager.default.fileExists(atPath: db.path + "-wal"), "a reader left a -wal file")
        let log = TestPaths.fixtures.appendingPathComponent("formats/batch-agent-log/agent-debug.log")
        let writing = try runWithoutWriteAccess(["ingest", log.path])
        XCTAssertEqual(writing.status, 2, "ingest into a store it cannot write is an error: \(writing.stdout)\(writing.stderr)")
        XCTAssertTrue(writing.stderr.contains(db.path) || writing.stderr.contains("readonly"), writing.stderr)
    }
}
