import Foundation
import XCTest

/// A real PostgreSQL 15 for the team store tests: a cluster made with `initdb` in a temporary folder, started with
/// `pg_ctl` on a free port of 127.0.0.1 with password (SCRAM) authentication, and stopped by its PID when the
/// test bundle finishes. As root, the server runs as the `postgres` user (PostgreSQL refuses to run as root).
///
/// Tests that need it call `PostgresServer.shared()`: without a server binary they are skipped with a message
/// that says what to install; any other failure to start is a test failure.
final class PostgresServer: NSObject, XCTestObservation, @unchecked Sendable {
    static let binaries = ["/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin"]
    static let user = "mitrail_test"
    /// A password made for this run: never the same twice, never written anywhere but the cluster's password file.
    let password = "pw-" + UUID().uuidString
    let port: Int
    let directory: URL
    let binary: URL
    private(set) var pid: Int32 = 0
    private var databases = 0

    private static let started: Result<PostgresServer, Error> = {
        guard let bin = binaries.map(URL.init(fileURLWithPath:)).first(where: {
            FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("postgres").path)
        }) else {
            return .failure(XCTSkip("No PostgreSQL server binary (looked in \(binaries.joined(separator: ", "))): "
                                    + "apt-get install postgresql-15 to run the team store tests."))
        }
        do {
            let server = try PostgresServer(binary: bin)
            XCTestObservationCenter.shared.addTestObserver(server)
            return .success(server)
        } catch {
            return .failure(error)
        }
    }()

    /// The server of this test run, started on first use.
    static func shared() throws -> PostgresServer {
        try started.get()
    }

    private init(binary: URL) throws {
        self.binary = binary
        directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("mitrail-pg-\(UUID().uuidString.prefix(8))")
        port = try Self.freePort()
        super.init()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let passwordFile = directory.appendingPathComponent("password")
        try password.write(to: passwordFile, atomically: true, encoding: .utf8)
        if getuid() == 0 {
            try Self.command("/usr/bin/chown", ["-R", "postgres:postgres", directory.path])
        }
        try runAsServerUser(binary.appendingPathComponent("initdb").path, [
            "-D", directory.appendingPathComponent("data").path, "-U", Self.user, "--pwfile=\(passwordFile.path)",
            "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8",
        ])
        try runAsServerUser(binary.appendingPathComponent("pg_ctl").path, [
            "-D", directory.appendingPathComponent("data").path, "-w", "-t", "60", "-l", directory.appendingPathComponent("server.log").path,
            "-o", "-p \(port) -k \(directory.path) -c listen_addresses=127.0.0.1 -c fsync=off", "start",
        ])
        let pidFile = try String(contentsOf: directory.appendingPathComponent("data/postmaster.pid"), encoding: .utf8)
        guard let pid = pidFile.split(separator: "\n").first.flatMap({ Int32($0) }) else { throw Failure(description: "no postmaster.pid") }
        self.pid = pid
    }

    /// The URL of a database of this server (`postgres` unless named), with an incident when given.
    func url(database: String = "postgres", incident: String? = nil) -> String {
        "postgres://\(Self.user)@127.0.0.1:\(port)/\(database)" + (incident.map { "?incident=\($0)" } ?? "")
    }

    /// The environment that lets mitrail log in (the password as libpq users give it).
    var environment: [String: String] { ["PGPASSWORD": password] }

    /// A new, empty database for one test, so that tests never see each other's incidents.
    func createDatabase(_ prefix: String = "test") throws -> String {
        databases += 1
        let name = "\(prefix.lowercased().filter { $0.isLetter || $0.isNumber })_\(databases)_\(UUID().uuidString.prefix(6).lowercased())"
        _ = try psql(database: "postgres", "CREATE DATABASE \(name)")
        return name
    }

    /// Runs SQL with the server's own psql client, as an analyst would; its output, unaligned and tuples only.
    @discardableResult
    func psql(database: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = binary.appendingPathComponent("psql")
        process.arguments = ["-h", "127.0.0.1", "-p", String(port), "-U", Self.user, "-d", database, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "psql \(sql.prefix(60)): " + String(decoding: errorData, as: UTF8.self))
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Stops the server by its PID (a fast shutdown) and waits, at most 30 s, for it to end.
    func stop() {
        guard pid > 0 else { return }
        kill(pid, SIGINT)
        for _ in 0..<300 where kill(pid, 0) == 0 { usleep(100_000) }
        pid = 0
        try? FileManager.default.removeItem(at: directory)
    }

    func testBundleDidFinish(_ testBundle: Bundle) {
        stop()
    }

    // MARK: Support

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs a server tool as the user the server runs as.
    private func runAsServerUser(_ tool: String, _ arguments: [String]) throws {
        if getuid() == 0 {
            try Self.command("/usr/sbin/runuser", ["-u", "postgres", "--", tool] + arguments)
        } else {
            try Self.command(tool, arguments)
        }
    }

    /// Runs a tool to its end, its output into a file. posix_spawn and waitpid rather than Foundation's Process:
    /// `pg_ctl start` leaves the server running with the descriptors it inherited, and Process waits for those.
    private static func command(_ tool: String, _ arguments: [String]) throws {
        let log = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("mitrail-pg-command-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([tool] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, tool, &actions, nil, argv, environ)
        guard spawned == 0 else { throw Failure(description: "cannot run \(tool): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exited = status & 0x7f == 0 && (status >> 8) & 0xff == 0
        guard exited else {
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw Failure(description: "\(tool) failed (status \(status)): \(output)")
        }
    }

    /// A port nothing listens on now: bound once by the system's choice, then released.
    static func freePort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure(description: "socket() failed") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw Failure(description: "bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
