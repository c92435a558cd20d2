import Dispatch
import Foundation
import Logging
import PostgresNIO

/// One connection to a team store, for synchronous callers.
///
/// It owns the process's event loop group (one thread) and shuts it down on `close()`. Work on the connection
/// runs as a Swift concurrency task while the calling thread waits for it, so the synchronous methods must not be
/// called from inside a task (mitrail's commands are synchronous). Closures the caller passes in (a row handler)
/// run on the task's thread while the caller's thread is blocked: never two at once, which is what makes handing
/// a non-Sendable closure to the task sound (`UncheckedTransfer`).
public final class TeamStoreConnection: @unchecked Sendable {
    public let url: TeamStoreURL
    let group: MultiThreadedEventLoopGroup
    let connection: PostgresConnection
    let logger: Logger
    private var closed = false

    /// Connects and prepares the session: UTC, ISO dates, and the URL's incident as the search path.
    public init(url: TeamStoreURL, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.url = url
        var logger = Logger(label: "mitrail.teamstore")
        logger.logLevel = .critical
        self.logger = logger
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.group = group
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: PasswordFile.password(for: url, environment: environment),
            database: url.database, tls: .disable)
        configuration.options.additionalStartupParameters = [("application_name", "mitrail")]
        configuration.options.connectTimeout = .seconds(15)
        do {
            if url.tls == .require {
                configuration.tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
            let eventLoop = group.next()
            connection = try Self.blocking { [configuration, logger] in
                try await PostgresConnection.connect(on: eventLoop, configuration: configuration, id: 1, logger: logger)
            }
        } catch {
            try? group.syncShutdownGracefully()
            throw Self.describe(error, url: url)
        }
        do {
            try execute("SET TimeZone = 'UTC'")
            try execute("SET DateStyle = 'ISO'")
            if let incident = url.incident { try setIncident(incident) }
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    /// Closes the connection and shuts the event loop group down (once).
    public func close() {
        guard !closed else { return }
        closed = true
        let connection = self.connection
        _ = try? Self.blocking { try await connection.close() }
        try? group.syncShutdownGracefully()
    }

    /// Makes `incident` the schema unqualified names resolve to.
    func setIncident(_ incident: String) throws {
        try execute("SET search_path TO " + IncidentName.quoted(try IncidentName.validated(incident)))
    }

    /// Runs statements that return no rows of interest (DDL, SET, BEGIN...): text SQL, no parameters.
    func execute(_ sql: String) throws {
        try run { connection, logger in
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        }
    }

    /// Runs `body` on the connection and waits for it; a PostgreSQL error becomes a `TeamStoreError`.
    @discardableResult
    func run<T>(_ body: @escaping @Sendable (PostgresConnection, Logger) async throws -> T) throws -> T {
        let connection = self.connection, logger = self.logger, url = self.url
        do {
            return try Self.blocking { try await body(connection, logger) }
        } catch let error as TeamStoreError {
            throw error
        } catch {
            throw Self.describe(error, url: url)
        }
    }

    /// Runs an async closure to its end from synchronous code.
    static func blocking<T>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let outcome = UncheckedTransfer<Result<T, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            do { outcome.value = .success(try await body()) } catch { outcome.value = .failure(error) }
            done.signal()
        }
        done.wait()
        return try outcome.value!.get()
    }

    /// A PostgreSQL or network error as a message the user can act on (server errors keep the server's words).
    static func describe(_ error: any Error, url: TeamStoreURL) -> any Error {
        let server = "\(url.host):\(url.port)"
        guard let error = error as? PSQLError else {
            if let error = error as? PostgresTransactionError {
                return describe(error.closureError ?? error.commitError ?? error.beginError ?? error.rollbackError ?? error, url: url)
            }
            if error is TeamStoreError || error is CancellationError { return error }
            return TeamStoreError.unreachable(server: server, reason: "\(error)")
        }
        switch error.code {
        case .connectionError, .serverClosedConnection, .uncleanShutdown, .sslUnsupported, .failedToAddSSLHandler:
            return TeamStoreError.unreachable(server: server, reason: error.underlying.map { "\($0)" } ?? "\(error.code)")
        case .authMechanismRequiresPassword:
            return TeamStoreError.authenticationFailed(server: server, user: url.user, reason: "it asks for a password and none was found")
        case .unsupportedAuthMechanism, .saslError:
            return TeamStoreError.authenticationFailed(server: server, user: url.user, reason: "\(error.code)")
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            let message = [error.serverInfo?[.message], error.serverInfo?[.detail], error.serverInfo?[.hint]]
                .compactMap { $0 }.joined(separator: " ")
            if state.hasPrefix("28") { return TeamStoreError.authenticationFailed(server: server, user: url.user, reason: message) }
            return TeamStoreError.server(message: message + (state.isEmpty ? "" : " (SQLSTATE \(state))"))
        default:
            return TeamStoreError.server(message: "\(error.code)")
        }
    }
}

/// A value handed between the waiting caller and the task that works for it (see `TeamStoreConnection`).
final class UncheckedTransfer<Value>: @unchecked Sendable {
    var value: Value

    init(_ value: Value) {
        self.value = value
    }
}
