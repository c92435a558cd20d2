import Foundation

/// A fixture incident ingested as its manifest says, into a fresh folder (relative paths, as a user would).
enum IncidentWorkspace {
    static func ingest(_ name: String) throws -> (URL, URL) {
        guard let manifest = try ExplainEndToEndTests.manifests().first(where: { $0.0 == name })?.1 else {
            throw PostgresServer.Failure(description: "no manifest for \(name)")
        }
        let workspace = TestPaths.temporaryDirectory("teamstore-\(name)")
        let source = ExplainEndToEndTests.incidents.appendingPathComponent(name)
        for item in try FileManager.default.contentsOfDirectory(atPath: source.path) where item != "incident.json" && item != "README.md" {
            try FileManager.default.copyItem(at: source.appendingPathComponent(item), to: workspace.appendingPathComponent(item))
        }
        let db = workspace.appendingPathComponent("store.db")
        for step in manifest.ingest {
            let run = try Mitrail.run(["ingest"] + step.paths + (step.observedAt.map { ["--observed-at", $0] } ?? []) + (step.options ?? []), db: db,
                                      currentDirectory: workspace)
            guard run.status == 0 else { throw PostgresServer.Failure(description: "ingest \(name) \(step.paths): \(run.stderr)") }
        }
        return (workspace, db)
    }
}
