import TrailExplain
import TrailModel

/// The incident report for tickets (Markdown) and for automation (JSON: the explain contract plus the summary).
public enum TextReports {
    public static func markdown(_ report: IncidentReport) -> String {
        let explanation = report.explanation
        var output = "# Managed identity incident report\n\nGenerated \(report.generatedAt.iso8601) by mitrail \(ToolVersion.current). Times are UTC.\n\n"
        output += "## Summary\n\n"
        output += "- **Failures**: \(explanation.failureCount), in \(explanation.episodes.count) episode(s): "
            + "\(explanation.ongoingCount) ongoing, \(explanation.resolvedCount) resolved; "
            + "\(explanation.unexplainedFailureCount) unexplained\n"
        if let (first, last) = report.span { output += "- **Time span**: \(first.iso8601) to \(last.iso8601)\n" }
        output += "- **Identities involved**: \(report.identitiesInvolved.map { "`\($0)`" }.joined(separator: ", "))\n"
        output += "- **Evidence**: \(report.sources.count) sources, \(report.recordCount) records (appendix)\n\n"
        output += "| diagnosis | ongoing | resolved |\n| --- | ---: | ---: |\n"
        for row in report.episodesByDiagnosis { output += "| `\(row.code.rawValue)` | \(row.ongoing) | \(row.resolved) |\n" }
        let body = ExplainOutput.markdown(explanation)
        if let start = body.range(of: "\n## ") { output += "\n# Episodes\n" + body[start.lowerBound...].replacingOccurrences(of: "\n## ", with: "\n## ") }
        output += "\n## Appendix: sources\n\n| # | source | format | records | observed at | SHA-256 |\n| ---: | --- | --- | ---: | --- | --- |\n"
        for source in report.sources {
            output += "| \(source.id) | `\(source.path)` | \(source.format) | \(source.counts.stored) | \(source.observedAt ?? "") (\(source.observedAtOrigin)) | `\(source.sha256)` |\n"
        }
        return output
    }

    public static func json(_ report: IncidentReport) -> JSONValue {
        guard case .object(var members) = ExplainOutput.json(report.explanation) else { return .null }
        let explanation = report.explanation
        members.insert(("summary", .object([
            ("generatedAt", .time(report.generatedAt)),
            ("toolVersion", .string(ToolVersion.current)),
            ("failureCount", .integer(Int64(explanation.failureCount))),
            ("episodeCount", .integer(Int64(explanation.episodes.count))),
            ("ongoing", .integer(Int64(explanation.ongoingCount))),
            ("resolved", .integer(Int64(explanation.resolvedCount))),
            ("unexplainedFailures", .integer(Int64(explanation.unexplainedFailureCount))),
            ("firstFailure", .time(report.span?.0)),
            ("lastFailure", .time(report.span?.1)),
            ("byDiagnosis", .array(report.episodesByDiagnosis.map { row in
                .object([("diagnosis", .string(row.code.rawValue)), ("ongoing", .integer(Int64(row.ongoing))), ("resolved", .integer(Int64(row.resolved)))])
            })),
            ("identities", .array(report.identitiesInvolved.map(JSONValue.string))),
        ])), at: 0)
        members.append(("sources", .array(report.sources.map { source in
            .object([("id", .integer(source.id)), ("path", .string(source.path)), ("format", .string(source.format)),
                     ("sha256", .string(source.sha256)), ("size", .integer(source.size)), ("records", .integer(Int64(source.counts.stored))),
                     ("observedAt", .string(source.observedAt)), ("observedAtOrigin", .string(source.observedAtOrigin))])
        })))
        return .object(members)
    }
}
