import Foundation

/// Where a team store is: `postgres://USER@HOST[:PORT]/DB[?incident=NAME&sslmode=MODE]`.
///
/// The password is never part of the URL (it would end up in shell histories and process lists): it comes from
/// `PGPASSWORD`, else the password file (`PGPASSFILE`, else `~/.pgpass`), as libpq users expect. A missing user
/// is `PGUSER`, else the login name; a missing port is `PGPORT`, else 5432.
public struct TeamStoreURL: Sendable, Equatable {
    public enum TLSMode: String, Sendable, CaseIterable {
        /// Plain TCP (the default: a team store on loopback or a private network).
        case disable
        /// TLS, with the server's certificate checked against the system's trust store.
        case require
    }

    public var user: String
    public var host: String
    public var port: Int
    public var database: String
    /// The incident (schema) the URL names, when it names one.
    public var incident: String?
    public var tls: TLSMode

    /// True when `text` is meant as a team store URL rather than an SQLite file path.
    public static func isTeamStore(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(user: String, host: String, port: Int = 5432, database: String, incident: String? = nil, tls: TLSMode = .disable) {
        self.user = user
        self.host = host
        self.port = port
        self.database = database
        self.incident = incident
        self.tls = tls
    }

    /// Parses the URL; the error says what is wrong and shows the expected form.
    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard Self.isTeamStore(text), let components = URLComponents(string: text) else { throw TeamStoreError.badURL(text, reason: "it is not a postgres:// URL") }
        if components.password != nil { throw TeamStoreError.passwordInURL }
        // Foundation keeps the brackets of an IPv6 literal ([::1]); PostgreSQL's host is the address itself.
        guard let host = components.host.map({ ($0.removingPercentEncoding ?? $0).trimmingCharacters(in: CharacterSet(charactersIn: "[]")) }),
              !host.isEmpty else {
            throw TeamStoreError.badURL(text, reason: "it names no host")
        }
        let database = String(components.percentEncodedPath.dropFirst()).removingPercentEncoding ?? ""
        guard !database.isEmpty, !database.contains("/") else { throw TeamStoreError.badURL(text, reason: "it names no database after the host") }
        var incident: String?
        var tls = TLSMode.disable
        for item in components.queryItems ?? [] {
            switch item.name {
            case "incident":
                guard let value = item.value, !value.isEmpty else { throw TeamStoreError.badURL(text, reason: "incident= is empty") }
                incident = try IncidentName.validated(value)
            case "sslmode":
                guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else {
                    throw TeamStoreError.badURL(text, reason: "sslmode must be disable or require")
                }
                tls = mode
            default:
                throw TeamStoreError.badURL(text, reason: "unknown parameter '\(item.name)' (known: incident, sslmode)")
            }
        }
        let environmentPort = environment["PGPORT"].flatMap(Int.init)
        guard let port = components.port ?? environmentPort ?? 5432 as Int?, (1...65535).contains(port) else {
            throw TeamStoreError.badURL(text, reason: "the port is not a number from 1 to 65535")
        }
        let user = components.user.map { $0.removingPercentEncoding ?? $0 } ?? environment["PGUSER"] ?? NSUserName()
        self.init(user: user, host: host, port: port, database: database, incident: incident, tls: tls)
    }

    /// The URL as the user may see it (never a password: it has none).
    public var description: String {
        "postgres://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)" + (incident.map { "?incident=\($0)" } ?? "")
    }

    /// The same store with another incident.
    public func with(incident: String?) -> TeamStoreURL {
        var copy = self
        copy.incident = incident
        return copy
    }
}
