import TrailExplain
import TrailModel

/// `explain --format markdown`: for a ticket.
extension ExplainOutput {
    public static func markdown(_ explanation: Explanation) -> String {
        var output = "# Managed identity failures\n\n" + summary(explanation) + ".\n"
        for (index, episode) in explanation.episodes.enumerated() {
            let diagnosis = episode.diagnosis
            output += "\n## \(index + 1). `\(diagnosis.code.rawValue)` (\(episode.status.rawValue))\n\n\(diagnosis.finding).\n\n"
            output += "- **Why**: \(diagnosis.reason)\n"
            output += "- **Failures**: \(episode.failureCount), from \(episode.firstFailure.map(\.iso8601) ?? "?") to \(episode.lastFailure.map(\.iso8601) ?? "?")"
            output += episode.nodes.isEmpty ? "\n" : " on \(list(episode.nodes))\n"
            if let identity = diagnosis.identity.resourceID ?? diagnosis.identity.principalID { output += "- **Identity**: `\(identity)`\n" }
            if let scope = diagnosis.scope { output += "- **Scope**: `\(scope)`\n" }
            if let role = diagnosis.missingRole { output += "- **Missing**: \(role) (`\(diagnosis.missingAction ?? "")`)\n" }
            if !episode.contributing.isEmpty { output += "- **Also**: \(episode.contributing.map { "`\($0.rawValue)`" }.joined(separator: ", "))\n" }
            if episode.status == .resolved { output += "- **Resolved**: \(episode.resolvedAt.map { "\($0.iso8601), " } ?? "")\(episode.resolvedBy ?? "")\n" }
            output += "- **Evidence**: " + episode.evidence.map { "`\($0)`" }.joined(separator: ", ") + "\n"
            if let fix = diagnosis.fix { output += "\n```sh\n\(fix)\n```\n" }
        }
        if !explanation.unexplained.isEmpty {
            output += "\n## Unexplained\n\n"
            for group in explanation.unexplained {
                output += "- **\(group.what)** (\(group.failureCount)): \(group.diagnosis.reason) Missing: "
                    + group.diagnosis.missingEvidence.joined(separator: "; ") + ". Evidence: "
                    + group.sampledFailures.prefix(3).map { "`\($0.evidence)`" }.joined(separator: ", ") + "\n"
            }
        }
        return output
    }
}
