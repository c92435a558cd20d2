import TrailExplain
import TrailModel

/// `explain` as text for a terminal: the summary line, then each episode and unexplained group.
extension ExplainOutput {
    public static func text(_ explanation: Explanation) -> String {
        guard explanation.failureCount > 0 else { return "No failures in the evidence.\n" }
        var output = summary(explanation) + "\n"
        for (index, episode) in explanation.episodes.enumerated() {
            output += "\n" + episodeText(episode, number: index + 1)
        }
        for group in explanation.unexplained {
            output += "\n" + unexplainedText(group)
        }
        return output
    }

    static func summary(_ explanation: Explanation) -> String {
        "\(explanation.failureCount) failure\(explanation.failureCount == 1 ? "" : "s"): \(explanation.episodes.count) episode\(explanation.episodes.count == 1 ? "" : "s") "
            + "(\(explanation.ongoingCount) ongoing, \(explanation.resolvedCount) resolved), \(explanation.unexplainedFailureCount) unexplained"
    }

    static func episodeText(_ episode: Episode, number: Int) -> String {
        let diagnosis = episode.diagnosis
        var output = "\(episode.status == .ongoing ? "error" : "resolved"): [\(diagnosis.code.rawValue)] \(diagnosis.finding)\n"
        output += "  reason: \(diagnosis.reason)\n"
        output += "  failures: \(episode.failureCount) from \(episode.firstFailure.map(\.iso8601) ?? "?") to \(episode.lastFailure.map(\.iso8601) ?? "?")"
        if !episode.nodes.isEmpty { output += " on \(list(episode.nodes))" }
        if !episode.tasks.isEmpty { output += ", tasks \(list(episode.tasks))" }
        output += "\n"
        if !episode.contributing.isEmpty { output += "  also: \(episode.contributing.map(\.rawValue).joined(separator: ", "))\n" }
        if episode.status == .resolved {
            output += "  resolved: \(episode.resolvedAt.map { "at \($0.iso8601) by " } ?? "")\(episode.resolvedBy ?? "?")"
            if episode.failuresInPropagationWindow > 0 {
                let window = episode.propagationWindow == ExplainContext.propagationWindow ? "its propagation window"
                    : "its \(episode.propagationWindow / 3_600_000)-hour propagation window"
                output += " (\(episode.failuresInPropagationWindow) failure\(episode.failuresInPropagationWindow == 1 ? "" : "s") came within \(window))"
            }
            output += "\n"
            if let evidence = episode.resolutionEvidence { output += "   --> \(evidence) (fix)\n" }
        }
        for evidence in episode.evidence { output += "   --> \(evidence)\n" }
        if let fix = diagnosis.fix { output += "  fix: \(fix)\n" }
        return output
    }

    static func unexplainedText(_ group: UnexplainedGroup) -> String {
        var output = "unexplained: \(group.what) (\(group.failureCount) failure\(group.failureCount == 1 ? "" : "s"))\n"
        output += "  reason: \(group.diagnosis.reason)\n"
        for evidence in group.sampledFailures.prefix(5).map(\.evidence) { output += "   --> \(evidence)\n" }
        output += "  help: this evidence would explain it:\n"
        for item in group.diagnosis.missingEvidence { output += "    - \(item)\n" }
        return output
    }

    static func list(_ items: [String]) -> String {
        items.count <= 3 ? items.joined(separator: ", ") : items.prefix(3).joined(separator: ", ") + " and \(items.count - 3) more"
    }
}
