import ArgumentParser
import TrailModel
import TrailReport
import TrailStore
import TrailTeamStore

struct IncidentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incidents",
        abstract: "List the incidents of a team store, with their counts and time spans.",
        discussion: """
            Each incident is a store pushed with `mitrail push`: its sources and records, the time span of its \
            records, the store schema version it was pushed with, and its last push.

              mitrail incidents --db postgres://analyst@teamdb.internal/mitrail
            """
    )

    @Option(name: .long, help: ArgumentHelp("The team store: postgres://USER@HOST[:PORT]/DATABASE.", valueName: "url"))
    var db: String

    @Option(name: .long, help: "Output format.")
    var format: TabularFormat = .table

    func run() throws {
        let incidents = try TeamStoreIncidents.list(url: TeamStoreURL(db))
        let columns = ["incident", "sources", "records", "rejected", "first_time", "last_time", "schema_version", "last_push", "store_file"]
        let rows: [[TabularValue]] = incidents.map { incident in
            [.text(incident.name), .integer(incident.sources), .integer(incident.records), .integer(incident.rejected),
             incident.firstTime.map(TabularValue.text) ?? .null, incident.lastTime.map(TabularValue.text) ?? .null,
             .integer(incident.schemaVersion), incident.lastPushAt.map(TabularValue.text) ?? .null,
             incident.storeFile.map(TabularValue.text) ?? .null]
        }
        print(TabularWriter.render(format: format, columns: columns, rows: rows), terminator: "")
    }
}
