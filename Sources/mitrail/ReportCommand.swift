import ArgumentParser
import Foundation
import TrailExplain
import TrailModel
import TrailReport
import TrailStore

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the incident report a support engineer sends: HTML (one self-contained file), Markdown or JSON.",
        discussion: """
            The report has a summary (episodes by status and diagnosis, identities involved, time span, evidence \
            ingested), a time line (failures per episode over time, the fixes and their propagation windows), one card \
            per episode (story, evidence with source and line, the fix command) and an appendix of the sources with \
            their SHA-256. The HTML needs no network: no script, font, style sheet or image is loaded from anywhere, \
            and it prints. With $SOURCE_DATE_EPOCH set, the report says it was generated then (reproducible output).

            Examples:
              mitrail report -o incident.html
              mitrail report --format markdown --since 2026-03-04T00:00:00Z > incident.md
            """
    )

    enum Format: String, CaseIterable, ExpressibleByArgument { case html, markdown, json }

    /// Now, or `$SOURCE_DATE_EPOCH` (seconds) for a reproducible report.
    static func generationTime() -> Timestamp {
        if let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap(Double.init) {
            return Timestamp(secondsSince1970: epoch)
        }
        return .now
    }

    @OptionGroup var store: ReadStoreOptions
    @OptionGroup var window: TimeWindowOptions

    @Option(name: .long, help: "Output format.")
    var format: Format = .html

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"),
            completion: .file())
    var output: String?

    func run() throws {
        let evidence = try store.openReader()
        printError(StoreFile.readingLine(evidence))
        let report = try IncidentReport(store: evidence, filter: ExplainFilter(since: try window.sinceTime(), until: try window.untilTime()),
                                        now: Self.generationTime())
        let text: String
        switch format {
        case .html: text = HTMLReport.render(report)
        case .markdown: text = TextReports.markdown(report)
        case .json: text = TextReports.json(report).rendered() + "\n"
        }
        if let output {
            do {
                try text.write(toFile: output, atomically: true, encoding: .utf8)
            } catch {
                throw ValidationError("Cannot write \(output): \(error.localizedDescription)")
            }
            printError("report written to \(output)")
        } else {
            print(text, terminator: "")
        }
    }
}
