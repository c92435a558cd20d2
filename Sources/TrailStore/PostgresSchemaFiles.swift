import GRDB

/// The PostgreSQL side of the schema, embedded like the migrations (`migrations/postgres/`): the functions the
/// twins call, the team store's own tables, and one twin per view (`views/NAME.sql`, the view's SQLite name).
///
/// The tables themselves are not written here: the team store derives them from the SQLite store's own tables.
public enum PostgresSchemaFiles {
    static let folder = "migrations/postgres/"

    /// `migrations/postgres/NAME.sql` (outside `views/`), nil when there is none.
    public static func file(_ name: String) -> String? {
        EmbeddedFiles.all.first { $0.name == folder + name + ".sql" }?.text
    }

    /// The view twins by view name.
    public static let views: [String: String] = Dictionary(EmbeddedFiles.all.compactMap { file -> (String, String)? in
        guard file.name.hasPrefix(folder + "views/"), file.name.hasSuffix(".sql") else { return nil }
        return (String(file.name.dropFirst(folder.count + 6).dropLast(4)), file.text)
    }, uniquingKeysWith: { first, _ in first })
}

extension EvidenceStore {
    /// Runs `body` in one read transaction: every statement sees the store as it was when the first one ran,
    /// whatever another process ingests meanwhile (the team store copies a store from one such snapshot).
    public func readSnapshot<T>(_ body: (Database) throws -> T) throws -> T {
        try queue.read(body)
    }
}
