import TrailStore

/// What `mitrail export` prints: what the copy holds and what was checked.
public enum ExportText {
    public static func render(_ summary: ExportSummary, store: String) -> String {
        var output = "exported \(store) to \(summary.path): \(plural(summary.sources, "source")), \(plural(summary.records, "record")), "
            + "\(plural(summary.rejects, "reject")), schema version \(summary.schemaVersion), \(IngestText.size(summary.size))\n"
        output += "checked: SQLite's integrity check ok; every source has as many records and rejects as in the store"
        output += summary.unchainedSources > 0
            ? "; \(plural(summary.unchainedSources, "source")) without a record chain (ingested by an older mitrail) not checked record by record\n"
            : "; record chains walked\n"
        for source in summary.sourcesWithProblems {
            output += "problem: source #\(source.id) \(source.path): \(source.problems.joined(separator: "; ")) (in the store too: `mitrail verify` says so)\n"
        }
        for source in summary.sourcesInProgress {
            output += "incomplete: source #\(source.id) \(source.path) was being ingested: export again once the ingest has finished\n"
        }
        output += "The copy is one file: send it as it is. It opens in sqlite3, Datasette and `mitrail ... --db \(summary.path)`; "
            + "`mitrail verify --db \(summary.path)` checks it again.\n"
        return output
    }

    /// True when the copy holds problems or incomplete sources (exit status 1).
    public static func hasFindings(_ summary: ExportSummary) -> Bool {
        !summary.sourcesWithProblems.isEmpty || !summary.sourcesInProgress.isEmpty
    }

    static func plural(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}
