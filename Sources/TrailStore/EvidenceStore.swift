import Foundation
import CSQLiteSetup
import GRDB
import TrailModel

/// The SQLite file that holds all evidence of an investigation.
///
/// Opened for writing (`ingest`), the store is created with owner-only
/// permissions, switched to WAL so that readers never wait, and migrated to
/// the latest schema. Opened read-only (`sql`, `query`, `report`) it is never
/// changed, and a store written by a newer mitrail is refused either way.
public final class EvidenceStore: Sendable {
    public enum Mode: Sendable { case readWrite, readOnly }

    public let path: String
    public let mode: Mode
    let queue: DatabaseQueue

    /// How long a connection waits for another one's lock before it fails.
    static let busyTimeoutSeconds = 30

    /// The default store path: `$MITRAIL_DB`, else `./mitrail.db`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment["MITRAIL_DB"], !path.isEmpty { return path }
        return "mitrail.db"
    }

    /// GRDB serializes every use of a connection, so SQLite's own mutex around each call is paid for nothing
    /// (it was a tenth of the ingest writer thread's time): set once, before the first connection opens.
    static let multiThreadMode: Int32 = mitrail_sqlite_use_multithread()

    public init(path: String, mode: Mode, now: Timestamp = .now) throws {
        self.path = path
        self.mode = mode
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(TimeInterval(Self.busyTimeoutSeconds))
        configuration.label = "mitrail"
        _ = Self.multiThreadMode
        switch mode {
        case .readOnly:
            guard FileManager.default.fileExists(atPath: path) else { throw StoreError.databaseMissing(path: path) }
            configuration.readonly = true
        case .readWrite:
            try Self.createOwnerOnlyFile(at: path)
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                // 8 MiB of page cache: every index of `records` grows at its end (the digest leads with the time),
                // so a small cache holds the pages inserts touch, and memory stays bounded (bench/run measures both).
                try db.execute(sql: "PRAGMA cache_size = -8192")
            }
        }
        do {
            queue = try Self.openQueue(path: path, mode: mode, configuration: configuration)
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: error.message ?? "\(error.resultCode)")
        }
        switch mode {
        case .readOnly: try queue.read { try Migrator.checkCompatible($0, path: path, mustBeCurrent: true) }
        case .readWrite: try Migrator.migrate(queue, path: path, now: now.iso8601)
        }
    }

    /// The schema version the store is at.
    public func schemaVersion() throws -> Int {
        try queue.read(Migrator.appliedVersion)
    }

    /// The schema as SQLite reports it: one `CREATE` statement per object, sorted by type and name.
    public func schemaDump() throws -> String {
        try queue.read { db in
            try String.fetchAll(db, sql: """
                SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name
                """).joined(separator: ";\n\n") + ";\n"
        }
    }

    /// Opens the connection. A WAL store read from a folder the user cannot write, with no -wal file
    /// beside it (so that nobody is writing it), cannot get the -shm file SQLite wants: it is opened
    /// as immutable instead (a URI filename, which SQLite builds with SQLITE_USE_URI accept).
    static func openQueue(path: String, mode: Mode, configuration: Configuration) throws -> DatabaseQueue {
        do {
            return try DatabaseQueue(path: path, configuration: configuration)
        } catch let error as DatabaseError where mode == .readOnly
                    && [.SQLITE_READONLY, .SQLITE_CANTOPEN].contains(error.resultCode) && !hasWriteAheadLog(path) {
            var allowed = CharacterSet.urlPathAllowed
            allowed.remove(charactersIn: "?#%")
            guard let escaped = path.addingPercentEncoding(withAllowedCharacters: allowed) else { throw error }
            return try DatabaseQueue(path: "file:" + escaped + "?immutable=1", configuration: configuration)
        }
    }

    /// True when a -wal file with content lies beside the store: a writer is (or was) at work.
    static func hasWriteAheadLog(_ path: String) -> Bool {
        writeAheadLogSize(path) > 0
    }

    /// The size of the -wal file beside the store (0 when there is none). After a mitrail command that
    /// wrote, it is 0 unless another program held the store: then the store file alone may miss changes.
    public var writeAheadLogBytes: Int { Self.writeAheadLogSize(path) }

    static func writeAheadLogSize(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? Int ?? 0
    }

    /// Creates an empty file readable by its owner only, unless the file exists already.
    static func createOwnerOnlyFile(at path: String) throws {
        let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        if descriptor >= 0 {
            close(descriptor)
        } else if errno != EEXIST {
            throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
    }
}

extension EvidenceStore {
    /// The schema version of the store at `path`, read without migrating it; nil when there is no store there.
    public static func schemaVersion(at path: String) throws -> Int? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try openQueue(path: path, mode: .readOnly, configuration: configuration)
        return try queue.read { db in
            try Migrator.checkCompatible(db, path: path)
            return try Migrator.appliedVersion(db)
        }
    }

    /// How many records the store holds.
    public func recordCount() throws -> Int {
        try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM records") ?? 0 }
    }
}
