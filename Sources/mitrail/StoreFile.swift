import Foundation
import TrailStore
import TrailTeamStore

/// What the commands say about the store file itself: which one they read, and whether it is complete on its own.
enum StoreFile {
    /// Opens the store for writing, runs `body`, then checkpoints, however `body` ends (its exit status is kept).
    static func writing<Result>(at path: String, _ body: (EvidenceStore) throws -> Result) throws -> Result {
        let store = try EvidenceStore(path: path, mode: .readWrite)
        defer { complete(store) }
        return try body(store)
    }

    /// Moves every change into the store file; when another program prevents it, says so and what to do.
    static func complete(_ store: EvidenceStore) {
        do {
            if case .blocked = try store.checkpoint() { printError(incompleteNote(store.path)) }
        } catch {
            printError("note: could not checkpoint \(store.path): \(error.localizedDescription). " + whatToDo(store.path))
        }
    }

    static func incompleteNote(_ path: String) -> String {
        "note: \(path) alone does not hold every record yet: another program has the store open (a Datasette, an sqlite3 shell, "
            + "another mitrail), so the latest changes wait in \(path)-wal. " + whatToDo(path)
    }

    static func whatToDo(_ path: String) -> String {
        "Close that program, and the next `mitrail ingest` completes the file; to send the store now, run "
            + "`mitrail export --db \(path) COPY.db` (one complete file)."
    }

    /// The line `sources` and `report` print on standard error: the store file they read, as an absolute path, or
    /// the team store incident (its URL, which never holds a password).
    static func readingLine(_ reader: any EvidenceReader) -> String {
        if let team = reader as? TeamStoreReader { return "store: " + team.connection.url.with(incident: team.incident).description }
        guard let store = reader as? EvidenceStore else { return "store: ?" }
        return readingLine(store)
    }

    static func readingLine(_ store: EvidenceStore) -> String {
        let path = URL(fileURLWithPath: store.path).standardizedFileURL.path
        guard store.writeAheadLogBytes > 0 else { return "store: \(path)" }
        return "store: \(path) (its -wal file is not empty: another program may be writing it, or held it open at the end of an "
            + "ingest; to send the store, use `mitrail export`, not a copy of the file)"
    }
}
