import ArgumentParser
import TrailStore
import TrailTeamStore

/// The store a read command reads: an SQLite file, or one incident of a team store on PostgreSQL.
struct ReadStoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The evidence store: an SQLite file, or an incident of a team store (postgres://USER@HOST[:PORT]/DB?incident=NAME; password from PGPASSWORD or ~/.pgpass).",
        valueName: "path-or-url"))
    var db: String?

    var path: String { db ?? EvidenceStore.defaultPath() }

    var isTeamStore: Bool { TeamStoreURL.isTeamStore(path) }

    /// The store, opened for reading.
    func openReader() throws -> any EvidenceReader {
        if isTeamStore { return try TeamStoreReader(url: TeamStoreURL(path)) }
        return try EvidenceStore(path: path, mode: .readOnly)
    }
}
