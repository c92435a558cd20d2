import Foundation
import TrailModel
import TrailStore
import XCTest

/// The forensics incident (Fixtures/incidents/forensics, see its README) ingested once through the
/// built binary into a store that the query tests only read.
enum ForensicsIncident {
    static let observedAt = [("before", "2026-03-04T08:00:00Z"), ("after", "2026-03-04T12:00:00Z"),
                             ("errors-1030", "2026-03-04T10:30:00Z"), ("logs", "2026-03-04T12:00:00Z")]

    struct BuildFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// The store, built on first use, or why it could not be.
    static let store: Result<URL, BuildFailure> = {
        do { return .success(try build()) } catch { return .failure(BuildFailure(description: "\(error)")) }
    }()

    static func database() throws -> URL {
        try store.get()
    }

    private static func build() throws -> URL {
        let workspace = TestPaths.temporaryDirectory("forensics")
        let incident = TestPaths.fixtures.appendingPathComponent("incidents/forensics")
        for item in try FileManager.default.contentsOfDirectory(atPath: incident.path) {
            try FileManager.default.copyItem(at: incident.appendingPathComponent(item), to: workspace.appendingPathComponent(item))
        }
        let db = workspace.appendingPathComponent("forensics.db")
        for (folder, time) in observedAt {
            let run = try Mitrail.run(["ingest", folder, "--observed-at", time], db: db, currentDirectory: workspace)
            // logs/ holds one truncated token request line on purpose: exit 1, one reject.
            guard run.status == 0 || (folder == "logs" && run.status == 1) else {
                throw BuildFailure(description: "ingest \(folder) exited \(run.status): \(run.stderr)")
            }
        }
        return db
    }

    /// Runs a named query through the library and returns its rows by column name (NULL as "").
    static func rows(_ name: String, _ parameters: [String: String] = [:]) throws -> [[String: String]] {
        let store = try EvidenceStore(path: try database().path, mode: .readOnly)
        var columns: [String] = []
        var rows: [[String: String]] = []
        try store.run(try NamedQuery.require(name), parameters: parameters, columns: { columns = $0 }) { values in
            rows.append(Dictionary(zip(columns, values.map(\.displayText)), uniquingKeysWith: { first, _ in first }))
        }
        return rows
    }
}
