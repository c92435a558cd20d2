import ArgumentParser
import Foundation
import TrailExplain
import TrailIngest
import TrailModel
import TrailReport
import TrailStore

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Ingest a bundled sample incident into a temporary store and show what mitrail sees.",
        discussion: """
            The sample evidence (fake IDs) is built into the binary. With --db the store is kept so that you can \
            explore it: `mitrail demo --db demo.db && mitrail sql --db demo.db "SELECT * FROM timeline"`.
            """
    )

    @Option(name: .long, help: ArgumentHelp("Keep the demo store at this path (default: a temporary file, removed afterwards).", valueName: "path"))
    var db: String?

    func run() throws {
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("mitrail-demo-\(ProcessInfo.processInfo.processIdentifier)")
        defer { try? FileManager.default.removeItem(at: workspace) }
        let evidenceFolder = workspace.appendingPathComponent("evidence")
        for file in EmbeddedFiles.all where file.name.hasPrefix("demo/evidence/") {
            let target = workspace.appendingPathComponent(String(file.name.dropFirst("demo/".count)))
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try file.text.write(to: target, atomically: true, encoding: .utf8)
        }
        let storePath = db.map { URL(fileURLWithPath: $0).path } ?? workspace.appendingPathComponent("demo.db").path
        try StoreFile.writing(at: storePath) { store in
            // Read from inside the workspace, so that sources are named evidence/... as a user would name them.
            let previousDirectory = FileManager.default.currentDirectoryPath
            _ = FileManager.default.changeCurrentDirectoryPath(workspace.path)
            defer { _ = FileManager.default.changeCurrentDirectoryPath(previousDirectory) }
            let observedAt = "2026-03-04T11:00:00Z"
            print("$ mitrail ingest \(evidenceFolder.lastPathComponent) --observed-at \(observedAt)")
            let reporter = IngestReporter(quiet: false)
            let outcomes = try IngestCommand.ingest(
                paths: [evidenceFolder.lastPathComponent], into: store,
                options: IngestOptions(observedAt: TimestampParser.parse(observedAt), toolVersion: ToolVersion.current),
                reporter: reporter)
            reporter.printTotal(outcomes)
            print("\n$ mitrail explain")
            print(ExplainOutput.text(try Explainer.explain(store: store)))
        }
        if let db {
            print("The store is kept at \(db). Try: mitrail timeline --db \(db), mitrail explain --db \(db) --format json, mitrail identities --db \(db)")
        } else {
            print("Next: `mitrail demo --db demo.db` keeps the store to explore; `mitrail ingest PATH...` reads your own evidence.")
        }
    }
}
