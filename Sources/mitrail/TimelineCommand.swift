import ArgumentParser
import Foundation
import TrailExplain
import TrailModel
import TrailReport
import TrailStore

struct TimelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "Print every event in time order with its source: failures, token requests, role changes, configuration snapshots.",
        discussion: """
            Times are UTC. An event whose time came from its neighbour or from a snapshot says so (time origin \
            `neighbour`, `snapshot`); events with no time come last.

            Examples:
              mitrail timeline --pool pool-fixture --since 2026-03-04T10:00:00Z
              mitrail timeline --identity uami-pool --format json
            """
    )

    @OptionGroup var store: ReadStoreOptions

    @Option(name: .long, help: ArgumentHelp("Only events of this identity (name, resource, client or principal ID).", valueName: "identity"))
    var identity: String?

    @Option(name: .long, help: ArgumentHelp("Only events of this pool.", valueName: "pool"))
    var pool: String?

    @OptionGroup var window: TimeWindowOptions

    @Option(name: .long, help: "Output format.")
    var format: ExplainFormat = .text

    func run() throws {
        let evidence = try store.openReader()
        let arguments: [String: String?] = [
            "since": try window.sinceTime()?.iso8601,
            "until": try window.untilTime()?.iso8601,
            "pool": pool,
            "ids": try identityIDs(evidence),
        ]
        guard let query = NamedQuery.named("timeline_events") else { return }
        var columns: [String] = []
        var count = 0
        if format == .json { print("[", terminator: "") }
        try evidence.runNamed(query, arguments: arguments, columns: { columns = $0 }) { row in
            let values = Dictionary(zip(columns, row), uniquingKeysWith: { first, _ in first })
            switch format {
            case .text: print(TimelineText.line(values))
            case .json:
                print(count == 0 ? "\n  " : ",\n  ", terminator: "")
                let object = TabularWriter.render(format: .ndjson, columns: columns, rows: [row])
                print(object.trimmingCharacters(in: .newlines), terminator: "")
            }
            count += 1
        }
        if format == .json { print(count == 0 ? "]" : "\n]") }
        if format == .text && count == 0 { print("No events match.") }
    }

    /// The IDs of the identity named, as a JSON array for the query (nil for all identities).
    func identityIDs(_ evidence: any EvidenceReader) throws -> String? {
        guard let identity else { return nil }
        let matches = try IdentityResolver.resolve(store: evidence).filter { $0.matches(identity) }
        var ids = Set([identity.lowercased()])
        for match in matches {
            if let resourceID = match.resourceID { ids.insert(resourceID.lowercased()) }
            for generation in match.generations {
                [generation.clientID, generation.principalID].compactMap { $0 }.forEach { ids.insert($0) }
            }
        }
        return "[" + ids.sorted().map(JSONText.quoted).joined(separator: ",") + "]"
    }
}
