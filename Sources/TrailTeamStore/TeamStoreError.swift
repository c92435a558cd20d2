import Foundation

/// What can go wrong pushing to or reading from a team store. No message ever holds a password.
public enum TeamStoreError: LocalizedError, Equatable {
    case badURL(String, reason: String)
    case passwordInURL
    case badIncidentName(String)
    case noIncidentNamed
    case unreachable(server: String, reason: String)
    case authenticationFailed(server: String, user: String, reason: String)
    case server(message: String)
    case incidentMissing(name: String, known: [String])
    case storeChanged(problems: [String])
    case otherStore(incident: String, reason: String)
    case schemaVersionMismatch(incident: String, incidentVersion: Int, knownVersion: Int)
    case viewWithoutTwin(name: String)
    case unsupportedValue(table: String, column: String, reason: String)
    case storeUnreadable(path: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .badURL(let text, let reason):
            return "'\(Self.withoutPassword(text))' is not a team store URL: \(reason). "
                + "Please give postgres://USER@HOST[:PORT]/DATABASE[?incident=NAME]."
        case .passwordInURL:
            return "The team store URL holds a password. Please remove it from the URL and set PGPASSWORD, "
                + "or put it in ~/.pgpass (hostname:port:database:username:password, mode 0600)."
        case .badIncidentName(let name):
            return "'\(name)' is not an incident name. Please use lower-case letters, digits and _, starting with a letter "
                + "(at most 63), and not pg_..., public or information_schema."
        case .noIncidentNamed:
            return "The team store URL names no incident. Please add ?incident=NAME (`mitrail incidents --db URL` lists them), "
                + "or pass --all-incidents to `mitrail query`."
        case .unreachable(let server, let reason):
            return "Cannot reach the team store at \(server): \(reason). Please check the host and port, and that PostgreSQL "
                + "accepts TCP connections there (listen_addresses, pg_hba.conf)."
        case .authenticationFailed(let server, let user, let reason):
            return "The team store at \(server) refused user \(user): \(reason). Please check the user, and the password in "
                + "PGPASSWORD or ~/.pgpass."
        case .server(let message):
            return "The team store answered: \(message)"
        case .incidentMissing(let name, let known):
            return "The team store has no incident '\(name)'. Known: \(known.isEmpty ? "none" : known.joined(separator: ", ")). "
                + "Push one with `mitrail push --db STORE --to URL`."
        case .storeChanged(let problems):
            return "The store no longer holds what was ingested, so it is not pushed: "
                + problems.prefix(5).joined(separator: "; ") + (problems.count > 5 ? "; and \(problems.count - 5) more" : "")
                + ". Run `mitrail verify` for the whole list, and ingest the evidence again into a new store."
        case .otherStore(let incident, let reason):
            return "The incident '\(incident)' in the team store was pushed from another store (\(reason)). "
                + "Please push this one with --incident NEWNAME."
        case .schemaVersionMismatch(let incident, let incidentVersion, let knownVersion):
            return "The incident '\(incident)' has store schema version \(incidentVersion) and this mitrail reads \(knownVersion). "
                + "Please use the mitrail that pushed it, or push the incident again under a new name from an upgraded store."
        case .viewWithoutTwin(let name):
            return "The view \(name) has no PostgreSQL version in this mitrail (migrations/postgres/views/\(name).sql), "
                + "so the incident cannot be pushed complete. Please use a mitrail whose team store has it."
        case .unsupportedValue(let table, let column, let reason):
            return "\(table).\(column) holds a value the team store cannot keep: \(reason)."
        case .storeUnreadable(let path, let reason):
            return "Cannot read the store \(path): \(reason)."
        }
    }

    /// The URL with any password cut out, for messages.
    static func withoutPassword(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "REDACTED"
        return components.string ?? "postgres://..."
    }
}
