import TrailExplain
import TrailModel

/// The incident report as one self-contained HTML page: no script, no external font, style or image.
/// It works offline and prints.
public enum HTMLReport {
    public static func render(_ report: IncidentReport) -> String {
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Managed identity incident report</title>
            <style>\(style)</style>
            </head>
            <body>
            <header><h1>Managed identity incident report</h1>
            <p class="meta">Generated \(report.generatedAt.iso8601) by mitrail \(ToolVersion.current)\(windowText(report)). Times are UTC.</p></header>

            """
        page += summary(report)
        let svg = TimelineSVG.render(report)
        if !svg.isEmpty {
            page += "<section><h2>Time line</h2>\n<figure>\(svg)<figcaption>One lane per episode: failures as dots, the fix as a green bar, "
                + "its 10-minute propagation window shaded.</figcaption></figure></section>\n"
        }
        page += "<section><h2>Episodes</h2>\n"
        if report.explanation.episodes.isEmpty { page += "<p>No episode: no failure could be attributed to a cause.</p>\n" }
        for (index, episode) in report.explanation.episodes.enumerated() { page += card(episode, number: index + 1) }
        page += "</section>\n"
        if !report.explanation.unexplained.isEmpty { page += unexplained(report) }
        page += appendix(report)
        return page + "</body>\n</html>\n"
    }

    static func windowText(_ report: IncidentReport) -> String {
        switch report.window {
        case (nil, nil): return ""
        case let (since, until): return ", for failures from \(since?.iso8601 ?? "the start") to \(until?.iso8601 ?? "the end")"
        }
    }

    static func summary(_ report: IncidentReport) -> String {
        let episodes = report.explanation.episodes
        let ongoing = report.explanation.ongoingCount
        let unexplained = report.explanation.unexplainedFailureCount
        var html = "<section class=\"summary\"><h2>Summary</h2>\n<div class=\"tiles\">\n"
        html += tile("\(report.explanation.failureCount)", "failures")
        html += tile("\(ongoing)", "ongoing episodes", alert: ongoing > 0)
        html += tile("\(episodes.count - ongoing)", "resolved episodes")
        html += tile("\(unexplained)", "unexplained failures", alert: unexplained > 0)
        html += "</div>\n<table><tr><th>Diagnosis</th><th>Ongoing</th><th>Resolved</th></tr>\n"
        for row in report.episodesByDiagnosis {
            html += "<tr><td><code>\(row.code.rawValue)</code></td><td>\(row.ongoing)</td><td>\(row.resolved)</td></tr>\n"
        }
        html += "</table>\n<dl>"
        if let (first, last) = report.span { html += "<dt>Time span</dt><dd>\(first.iso8601) to \(last.iso8601)</dd>" }
        html += "<dt>Identities involved</dt><dd>\(report.identitiesInvolved.map { "<code>\(HTML.escape($0))</code>" }.joined(separator: ", "))</dd>"
        html += "<dt>Evidence</dt><dd>\(report.sources.count) sources, \(report.recordCount) records (appendix)</dd></dl></section>\n"
        return html
    }

    static func tile(_ value: String, _ label: String, alert: Bool = false) -> String {
        "<div class=\"tile\(alert ? " alert" : "")\"><span class=\"value\">\(value)</span><span class=\"label\">\(label)</span></div>\n"
    }

    static func card(_ episode: Episode, number: Int) -> String {
        let diagnosis = episode.diagnosis
        var html = "<article class=\"card \(episode.status.rawValue)\">\n<h3><span class=\"number\">\(number)</span> <code>\(diagnosis.code.rawValue)</code> "
            + "<span class=\"status \(episode.status.rawValue)\">\(episode.status.rawValue)</span></h3>\n"
        html += "<p class=\"finding\">\(HTML.escape(diagnosis.finding)).</p>\n<p>\(HTML.escape(diagnosis.reason))</p>\n<table class=\"facts\">\n"
        func row(_ name: String, _ value: String?) { if let value, !value.isEmpty { html += "<tr><th>\(name)</th><td>\(value)</td></tr>\n" } }
        row("Identity", [diagnosis.identity.resourceID, diagnosis.identity.principalID.map { "principal \($0)" },
                         diagnosis.identity.clientID.map { "client \($0)" }].compactMap { $0 }.map { "<code>\(HTML.escape($0))</code>" }.joined(separator: "<br>"))
        row("Scope", diagnosis.scope.map { "<code>\(HTML.escape($0))</code>" })
        row("Failures", "\(episode.failureCount), from \(episode.firstFailure?.iso8601 ?? "?") to \(episode.lastFailure?.iso8601 ?? "?")")
        row("Nodes", episode.nodes.isEmpty ? nil : episode.nodes.map { "<code>\(HTML.escape($0))</code>" }.joined(separator: ", "))
        row("Tasks", episode.tasks.isEmpty ? nil : HTML.escape(episode.tasks.joined(separator: ", ")))
        row("Missing", diagnosis.missingRole.map { "\(HTML.escape($0)) (<code>\(HTML.escape(diagnosis.missingAction ?? ""))</code>)" })
        row("Also", episode.contributing.isEmpty ? nil : episode.contributing.map { "<code>\($0.rawValue)</code>" }.joined(separator: ", "))
        if episode.status == .resolved {
            row("Resolved", HTML.escape((episode.resolvedAt.map { "\($0.iso8601): " } ?? "") + (episode.resolvedBy ?? ""))
                + (episode.failuresInPropagationWindow > 0 ? " (\(episode.failuresInPropagationWindow) failure(s) inside its propagation window)" : ""))
        }
        html += "</table>\n<details open><summary>Evidence</summary><table class=\"evidence\"><tr><th>Source</th><th>Line</th></tr>\n"
        let evidence = (episode.resolutionEvidence.map { [$0] } ?? []) + episode.evidence
        for reference in evidence {
            html += "<tr><td><code>\(HTML.escape(reference.source))</code>\(reference == episode.resolutionEvidence ? " <em>(the fix)</em>" : "")</td>"
                + "<td>\(reference.line.map(String.init) ?? "")</td></tr>\n"
        }
        html += "</table></details>\n"
        if let fix = diagnosis.fix { html += "<p class=\"fixlabel\">Fix</p><pre class=\"fix\"><code>\(HTML.escape(fix))</code></pre>\n" }
        return html + "</article>\n"
    }

    static func unexplained(_ report: IncidentReport) -> String {
        var html = "<section><h2>Unexplained failures</h2>\n"
        for group in report.explanation.unexplained {
            html += "<article class=\"card unexplained\"><h3><code>\(HTML.escape(group.what))</code> &times; \(group.failureCount)</h3>\n"
            html += "<p>\(HTML.escape(group.diagnosis.reason))</p><p>Evidence that would explain it:</p><ul>"
            html += group.diagnosis.missingEvidence.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul>\n<p class=\"small\">"
            html += group.sampledFailures.prefix(5).map { "<code>\(HTML.escape($0.evidence.description))</code>" }.joined(separator: " ") + "</p></article>\n"
        }
        return html + "</section>\n"
    }

    static func appendix(_ report: IncidentReport) -> String {
        var html = "<section class=\"appendix\"><h2>Appendix: sources</h2>\n<table><tr><th>#</th><th>Source</th><th>Format</th><th>Records</th>"
            + "<th>Observed at</th><th>SHA-256</th></tr>\n"
        for source in report.sources {
            html += "<tr><td>\(source.id)</td><td><code>\(HTML.escape(source.path))</code></td><td>\(HTML.escape(source.format))</td>"
                + "<td>\(source.counts.stored)</td><td>\(source.observedAt.map { HTML.escape($0) } ?? "") (\(HTML.escape(source.observedAtOrigin)))</td>"
                + "<td class=\"hash\"><code>\(HTML.escape(source.sha256))</code></td></tr>\n"
        }
        return html + "</table></section>\n"
    }

    static let style = """
        body{font:15px/1.5 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1d2330;max-width:1000px;margin:24px auto;padding:0 20px;background:#fff}
        h1{font-size:26px;margin:0}h2{font-size:19px;border-bottom:2px solid #e3e5ea;padding-bottom:4px;margin-top:32px}h3{font-size:16px;margin:0 0 8px}
        .meta{color:#5b6475;margin-top:4px}code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-all}
        .tiles{display:flex;gap:12px;flex-wrap:wrap;margin-bottom:12px}.tile{flex:1;min-width:150px;border:1px solid #e3e5ea;border-radius:8px;padding:10px 14px;background:#f7f8fa}
        .tile .value{display:block;font-size:26px;font-weight:600}.tile .label{color:#5b6475}.tile.alert{border-color:#f2b8b5;background:#fdeceb}.tile.alert .value{color:#b3261e}
        table{border-collapse:collapse;width:100%;margin:8px 0}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eceef2;vertical-align:top}th{color:#5b6475;font-weight:600}
        dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}dt{color:#5b6475}dd{margin:0}
        .card{border:1px solid #e3e5ea;border-left:5px solid #ef6c00;border-radius:8px;padding:14px 18px;margin:14px 0;break-inside:avoid;background:#fff}
        .card.ongoing{border-left-color:#c62828}.card.unexplained{border-left-color:#6b7280}.number{display:inline-block;min-width:22px;color:#5b6475}
        .status{font-size:12px;text-transform:uppercase;letter-spacing:.05em;padding:2px 8px;border-radius:10px;margin-left:6px}
        .status.ongoing{background:#fdeceb;color:#b3261e}.status.resolved{background:#e6f4ea;color:#1e7b34}
        .finding{font-weight:600}.facts th{width:110px}.evidence td:last-child{width:60px}
        .fixlabel{font-weight:600;margin:10px 0 2px}pre.fix{background:#1d2330;color:#e8eaf0;padding:10px 12px;border-radius:6px;white-space:pre-wrap;word-break:break-all}
        pre.fix code{color:inherit}figure{margin:0}figcaption{color:#5b6475;font-size:13px}svg.timeline{width:100%;height:auto;border:1px solid #eceef2;border-radius:6px}
        svg .lane{font:12px ui-monospace,Menlo,Consolas,monospace;fill:#1d2330}svg .tick{font:11px sans-serif;fill:#5b6475}
        .hash code{font-size:11px}.small{font-size:13px}details summary{cursor:pointer;color:#5b6475}
        @media print{body{margin:0;max-width:none}.card{break-inside:avoid}details{display:block}a{color:inherit}}
        """
}
