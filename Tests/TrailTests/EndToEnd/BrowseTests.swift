import Foundation
import TrailStore
import XCTest

/// `mitrail browse`: a real Datasette from PyPI on a copy of the forensics incident's store, on a free
/// loopback port, where every canned query gives the rows `mitrail query NAME --format json` gives.
final class BrowseTests: XCTestCase {
    var workspace: URL!

    override func setUpWithError() throws {
        workspace = TestPaths.temporaryDirectory(name)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: workspace)
    }

    /// The forensics store, exported into the workspace (so that Datasette opens a file no other test reads).
    func exportedForensicsStore() throws -> URL {
        let db = workspace.appendingPathComponent("forensics.db")
        let export = try Mitrail.run(["export", db.path], db: try ForensicsIncident.database())
        XCTAssertEqual(export.status, 0, export.stderr)
        return db
    }

    func testEveryCannedQueryGivesTheRowsOfMitrailQuery() throws {
        let bin = try DatasetteVenv.binFolderWithDatasette()
        let db = try exportedForensicsStore()
        let port = try XCTUnwrap(LoopbackHTTP.freePort())
        let server = try BrowseServer(db: db, port: port, path: bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? ""),
                                      logs: workspace)
        defer { server.stop() }
        try server.waitUntilAnswering()
        if let commandLine = try? String(contentsOfFile: "/proc/\(server.pid)/cmdline", encoding: .utf8) {
            XCTAssertTrue(commandLine.contains("datasette"), "mitrail browse execs Datasette, so that its PID is the server's: \(commandLine)")
        }

        var compared = 0, nonEmpty = 0
        for query in NamedQuery.all {
            for given in DatasetteCannedQueryTests.parameterChoices(query) {
                let expected = try mitrailRows(query.name, given, db: db)
                let path = "/forensics/\(query.name).json?_shape=array"
                    + given.sorted { $0.key < $1.key }.map { "&\($0.key)=\(LoopbackHTTP.queryValue($0.value))" }.joined()
                let response = try XCTUnwrap(LoopbackHTTP.get(port: port, path), "no answer to \(path)")
                XCTAssertEqual(response.status, 200, "\(path): \(String(decoding: response.body, as: UTF8.self).prefix(500))")
                let actual = try JSONSerialization.jsonObject(with: response.body) as? NSArray
                XCTAssertEqual(actual, expected, "\(query.name) \(given)")
                compared += 1
                if expected.count > 0 { nonEmpty += 1 }
            }
        }
        XCTAssertGreaterThan(compared, NamedQuery.all.count)
        XCTAssertGreaterThan(nonEmpty, NamedQuery.all.count, "most queries return rows on the forensics incident")

        // A value that is not a time is an error that names the parameter, as mitrail query's is.
        let bad = try XCTUnwrap(LoopbackHTTP.get(port: port, "/forensics/failures_by_code_per_hour.json?since=soon"))
        XCTAssertTrue(String(decoding: bad.body, as: UTF8.self).contains("since is not a time"), String(decoding: bad.body, as: UTF8.self))
        // The metadata and settings reached Datasette.
        let metadata = try XCTUnwrap(LoopbackHTTP.get(port: port, "/-/metadata.json"))
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: metadata.body) as? [String: Any])
        let database = try XCTUnwrap((document["databases"] as? [String: Any])?["forensics"] as? [String: Any])
        XCTAssertEqual((database["queries"] as? [String: Any])?.count, NamedQuery.all.count)
        let timeline = try XCTUnwrap((database["tables"] as? [String: Any])?["timeline"] as? [String: Any])
        XCTAssertEqual(timeline["description"] as? String, "One row per record.")
        let settings = try XCTUnwrap(LoopbackHTTP.get(port: port, "/-/settings.json"))
        let values = try XCTUnwrap(try JSONSerialization.jsonObject(with: settings.body) as? [String: Any])
        XCTAssertEqual(values["suggest_facets"] as? Bool, false)
        XCTAssertEqual(values["sql_time_limit_ms"] as? Int, 20_000)

        // A second browse on the same port is refused before anything starts.
        let second = try Mitrail.run(["browse", "--port", String(port)], db: db,
                                     environment: ["PATH": bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "")])
        XCTAssertEqual(second.status, 2)
        XCTAssertTrue(second.stderr.contains("Port \(port) on 127.0.0.1 is in use"), second.stderr)

        XCTAssertTrue(server.stop(), "the server stops when its PID is sent SIGTERM")
        XCTAssertNil(LoopbackHTTP.get(port: port, "/-/versions.json", timeout: 2), "nothing answers on the port any more")
    }

    /// `mitrail query NAME --param ... --format json`, parsed.
    func mitrailRows(_ name: String, _ given: [String: String], db: URL) throws -> NSArray {
        let run = try Mitrail.run(["query", name] + given.sorted { $0.key < $1.key }.flatMap { ["--param", "\($0.key)=\($0.value)"] } + ["--format", "json"],
                                  db: db)
        XCTAssertEqual(run.status, 0, "\(name): \(run.stderr)")
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? NSArray, run.stdout)
    }

    func testWithoutDatasetteItSaysHowToInstallItAndHowToUseMetadataOnly() throws {
        let db = try exportedForensicsStore()
        let run = try Mitrail.run(["browse"], db: db, environment: ["PATH": workspace.path])
        XCTAssertEqual(run.status, 2)
        for needed in ["pipx install datasette", "pip install datasette", "--metadata-only -o", "datasette serve"] {
            XCTAssertTrue(run.stderr.contains(needed), "\(needed): \(run.stderr)")
        }
    }

    func testMetadataOnlyWritesOneCannedQueryPerNamedQueryAndTheViews() throws {
        let file = workspace.appendingPathComponent("metadata.json")
        let run = try Mitrail.run(["browse", "--metadata-only", "-o", file.path], db: workspace.appendingPathComponent("case-4711.db"))
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("datasette serve"), run.stderr)
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        let database = try XCTUnwrap((document["databases"] as? [String: Any])?["case-4711"] as? [String: Any], "named after the store file")
        let queries = try XCTUnwrap(database["queries"] as? [String: [String: Any]])
        XCTAssertEqual(Set(queries.keys), Set(NamedQuery.all.map(\.name)))
        for query in NamedQuery.all {
            XCTAssertEqual(queries[query.name]?["params"] as? [String], query.parameters.map(\.name), query.name)
            XCTAssertTrue((queries[query.name]?["description"] as? String ?? "").hasPrefix(query.description), query.name)
        }
        let tables = try XCTUnwrap(database["tables"] as? [String: [String: Any]])
        XCTAssertEqual(Set(tables.keys), Set(ViewDocumentation.all.map(\.view)))
        XCTAssertEqual((tables["failures"]?["columns"] as? [String: String])?["record_id"], "keys of `records` and `sources`")
        let usage = try Mitrail.run(["browse", "-o", file.path])
        XCTAssertEqual(usage.status, 2, "-o without --metadata-only is a usage error")
    }
}

/// `mitrail browse` running in the background, its output in files.
final class BrowseServer {
    let process = Process()
    let port: Int
    let logs: URL
    var pid: Int32 { process.processIdentifier }

    init(db: URL, port: Int, path: String, logs: URL) throws {
        self.port = port
        self.logs = logs
        process.executableURL = TestPaths.binary
        process.arguments = ["browse", "--db", db.path, "--port", String(port)]
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = path
        process.environment = environment
        let output = logs.appendingPathComponent("browse.out"), errors = logs.appendingPathComponent("browse.err")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
    }

    /// Polls until Datasette answers (at most 90 s: Python starts slowly on a loaded machine).
    func waitUntilAnswering() throws {
        let deadline = Date().addingTimeInterval(90)
        while Date() < deadline {
            guard process.isRunning else {
                XCTFail("mitrail browse ended with status \(process.terminationStatus): \(log())")
                throw CocoaError(.executableLoad)
            }
            if LoopbackHTTP.get(port: port, "/-/versions.json", timeout: 2)?.status == 200 { return }
            Thread.sleep(forTimeInterval: 0.25)
        }
        XCTFail("Datasette did not answer on port \(port) within 90 s: \(log())")
        throw CocoaError(.executableLoad)
    }

    func log() -> String {
        ["browse.out", "browse.err"].compactMap { try? String(contentsOf: logs.appendingPathComponent($0), encoding: .utf8) }.joined(separator: "\n")
    }

    /// Sends SIGTERM to the PID and waits (at most 15 s) for it to end; true when it did.
    @discardableResult
    func stop() -> Bool {
        guard process.isRunning else { return true }
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(15)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        guard process.isRunning else { return true }
        kill(pid, SIGKILL)
        process.waitUntilExit()
        return false
    }
}
