import Foundation
import XCTest

/// `mitrail report` on the demo incident: golden Markdown and JSON, and an HTML page that needs nothing from outside.
final class ReportTests: XCTestCase {
    var workspace: URL!
    var db: URL!
    /// 2026-03-04T12:00:00Z, so that "generated at" is stable.
    let environment = ["SOURCE_DATE_EPOCH": "1772625600"]

    override func setUpWithError() throws {
        workspace = TestPaths.temporaryDirectory(name)
        db = workspace.appendingPathComponent("store.db")
        try FileManager.default.copyItem(at: TestPaths.packageRoot.appendingPathComponent("demo/evidence"), to: workspace.appendingPathComponent("evidence"))
        let ingest = try Mitrail.run(["ingest", "evidence", "--observed-at", "2026-03-04T11:00:00Z"], db: db, currentDirectory: workspace)
        XCTAssertEqual(ingest.status, 0, ingest.stderr)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: workspace)
    }

    func testMarkdownAndJSONReportsMatchGolden() throws {
        for (format, file) in [("markdown", "demo-report.md"), ("json", "demo-report.json")] {
            let run = try Mitrail.run(["report", "--format", format], db: db, environment: environment, currentDirectory: workspace)
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertFalse(run.stdout.contains(workspace.path), "the report names sources as given, not temporary paths")
            try GoldenFile.assert(run.stdout, matches: "report/\(file)", "the \(format) report changed")
        }
    }

    func testHTMLReportIsOneSelfContainedFile() throws {
        let out = workspace.appendingPathComponent("incident.html")
        let run = try Mitrail.run(["report", "-o", out.path], db: db, environment: environment, currentDirectory: workspace)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("report written to"), run.stderr)
        let html = try String(contentsOf: out, encoding: .utf8)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        for needed in ["<svg", "node-identity-lacks-storage-role", "Appendix: sources", "az role assignment create", "evidence/batch/tasks.json",
                       "Generated 2026-03-04T12:00:00.000Z"] {
            XCTAssertTrue(html.contains(needed), "the report lacks \(needed)")
        }
        for forbidden in ["<script", "<link", "src=\"http", "href=\"http", "@import", "url(http"] {
            XCTAssertFalse(html.contains(forbidden), "the report loads something from outside: \(forbidden)")
        }
        // Every opened element of the kinds the renderer writes is closed.
        for tag in ["section", "article", "table", "svg", "details", "figure"] {
            XCTAssertEqual(html.components(separatedBy: "<\(tag)").count, html.components(separatedBy: "</\(tag)>").count, "unbalanced <\(tag)>")
        }
    }

    func testUnwritableOutputIsAUsageError() throws {
        let run = try Mitrail.run(["report", "-o", workspace.appendingPathComponent("missing/dir/report.html").path], db: db)
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("Cannot write"), run.stderr)
    }
}
