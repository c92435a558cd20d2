import Foundation

/// What can go wrong opening, migrating or querying an evidence store.
public enum StoreError: LocalizedError, Equatable {
    case databaseMissing(path: String)
    case databaseTooNew(path: String, databaseVersion: Int, knownVersion: Int)
    case databaseTooOld(path: String, databaseVersion: Int, knownVersion: Int)
    case notAMitrailDatabase(path: String)
    case cannotOpen(path: String, reason: String)
    case migrationFailed(name: String, reason: String)
    case writeRefused
    case invalidQuery(reason: String)
    case unknownParameter(name: String, expected: [String])
    case missingParameter(name: String, expected: [String])
    case invalidParameter(name: String, value: String, reason: String)
    case unknownQuery(name: String, known: [String])
    case unreadableQueryFile(path: String, reason: String)
    case noPostgresTwin(name: String)
    case exportTargetExists(path: String)
    case exportOntoStore(path: String)
    case exportFailed(path: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .databaseMissing(let path):
            return "No evidence store at \(path). Run `mitrail ingest PATH...` first, or pass --db PATH."
        case .databaseTooNew(let path, let databaseVersion, let knownVersion):
            return "\(path) was written by a newer mitrail (schema version \(databaseVersion); this mitrail knows up to \(knownVersion)). Please upgrade mitrail to read it."
        case .databaseTooOld(let path, let databaseVersion, let knownVersion):
            return "\(path) was written by an earlier mitrail (schema version \(databaseVersion); this one reads \(knownVersion)). "
                + "Please upgrade it in place with `mitrail upgrade --db \(path)` (every record, its provenance and its chain are kept), "
                + "or ingest the original files into a new store."
        case .notAMitrailDatabase(let path):
            return "\(path) is an SQLite database that mitrail did not create. Please pass --db with a new file name, or with a store made by mitrail."
        case .cannotOpen(let path, let reason):
            return "Cannot open \(path): \(reason)"
        case .migrationFailed(let name, let reason):
            return "Migration \(name) failed and was rolled back: \(reason)"
        case .writeRefused:
            return "This statement would change the store, and queries are read-only. Please use a SELECT (or WITH ... SELECT) statement."
        case .invalidQuery(let reason):
            return "The query is not valid: \(reason)"
        case .unknownParameter(let name, let expected):
            return "Unknown parameter '\(name)'. Expected: \(expected.isEmpty ? "none" : expected.joined(separator: ", "))."
        case .missingParameter(let name, let expected):
            return "Missing parameter '\(name)'. Expected: \(expected.joined(separator: ", ")). Pass each with --param NAME=VALUE."
        case .invalidParameter(let name, let value, let reason):
            return "Parameter '\(name)' is '\(value)': \(reason). Please correct it."
        case .unknownQuery(let name, let known):
            return "No named query '\(name)'. Known: \(known.joined(separator: ", ")). `mitrail query --list` describes them."
        case .unreadableQueryFile(let path, let reason):
            return "Cannot read the query file \(path): \(reason)."
        case .noPostgresTwin(let name):
            return "The named query \(name) has no PostgreSQL version in this mitrail (queries/postgres/\(name).sql). "
                + "Please run it on the SQLite store, or pass your own --file."
        case .exportTargetExists(let path):
            return "\(path) exists already. Please choose another file name, or pass --force to replace it."
        case .exportOntoStore(let path):
            return "\(path) is the store itself. Please export to another file."
        case .exportFailed(let path, let reason):
            return "The copy \(path) was not written: \(reason). Nothing was left at \(path); please run `mitrail verify` on the store."
        }
    }
}
