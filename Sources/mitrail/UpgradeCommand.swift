import ArgumentParser
import TrailStore

struct UpgradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upgrade",
        abstract: "Upgrade a store written by an earlier mitrail to this version's schema, in place.",
        discussion: """
            Commands that only read (explain, query, report, verify, ...) refuse a store written by an earlier mitrail, because upgrading it changes the file. This command applies the migrations it lacks, each in its own transaction, and keeps every record with its provenance, raw text and record chain; `mitrail verify` checks it afterwards. Copy the file first if you want to keep the old one: an upgraded store cannot be read by the earlier mitrail. A store that is already current is left as it is.

            Exit status: 0 upgraded or already current; 2 no store there, or a store mitrail cannot read.
            """
    )

    @OptionGroup var store: StoreOptions

    func run() throws {
        _ = try store.sqlitePath(command: "upgrade")
        guard let before = try EvidenceStore.schemaVersion(at: store.path) else { throw StoreError.databaseMissing(path: store.path) }
        let evidence = try EvidenceStore(path: store.path, mode: .readWrite)
        let after = try evidence.schemaVersion()
        let records = try evidence.recordCount()
        if before == after {
            print("\(store.path) is already at schema version \(after): nothing to do (\(records) records)")
        } else {
            print("upgraded \(store.path) from schema version \(before) to \(after): \(records) records kept; `mitrail verify --db \(store.path)` checks them")
        }
    }
}
