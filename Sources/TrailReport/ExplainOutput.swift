import TrailExplain
import TrailModel

/// `mitrail explain`: one explanation rendered as text (lnav-style), JSON (the output contract) or Markdown.
public enum ExplainOutput {
    // MARK: JSON (DESIGN.md's output contract)

    public static func json(_ explanation: Explanation) -> JSONValue {
        .object([
            ("episodes", .array(explanation.episodes.map(episodeJSON))),
            ("unexplained", .array(explanation.unexplained.map(unexplainedJSON))),
        ])
    }

    static func episodeJSON(_ episode: Episode) -> JSONValue {
        let diagnosis = episode.diagnosis
        return .object([
            ("diagnosis", .string(diagnosis.code.rawValue)),
            ("status", .string(episode.status.rawValue)),
            ("identity", identityJSON(diagnosis.identity)),
            ("scope", .string(diagnosis.scope)),
            ("firstFailure", .time(episode.firstFailure)),
            ("lastFailure", .time(episode.lastFailure)),
            ("failureCount", .integer(Int64(episode.failures.count))),
            ("resolvedAt", .time(episode.resolvedAt)),
            ("resolvedBy", .string(episode.resolvedBy)),
            ("contributing", .array(episode.contributing.map { .string($0.rawValue) })),
            ("missing", diagnosis.missingRole == nil && diagnosis.missingAction == nil ? .null
                : .object([("role", .string(diagnosis.missingRole)), ("action", .string(diagnosis.missingAction))])),
            ("evidence", .array(episode.evidence.map(EvidenceJSON.reference))),
            ("fix", .string(diagnosis.fix)),
            ("finding", .string(diagnosis.finding)),
            ("reason", .string(diagnosis.reason)),
            ("nodes", .array(episode.nodes.map(JSONValue.string))),
            ("tasks", .array(episode.tasks.map(JSONValue.string))),
            ("failuresInPropagationWindow", .integer(Int64(episode.failuresInPropagationWindow))),
            ("missingEvidence", .array(diagnosis.missingEvidence.map(JSONValue.string))),
        ])
    }

    static func unexplainedJSON(_ group: UnexplainedGroup) -> JSONValue {
        let times = group.failures.compactMap(\.time)
        return .object([
            ("failure", .string(group.what)),
            ("kind", .string(group.failures.first?.kind)),
            ("identity", identityJSON(group.diagnosis.identity)),
            ("scope", .string(group.diagnosis.scope)),
            ("firstFailure", .time(times.min())),
            ("lastFailure", .time(times.max())),
            ("failureCount", .integer(Int64(group.failures.count))),
            ("reason", .string(group.diagnosis.reason)),
            ("missingEvidence", .array(group.diagnosis.missingEvidence.map(JSONValue.string))),
            ("evidence", .array(group.failures.prefix(5).map { EvidenceJSON.reference($0.evidence) })),
        ])
    }

    /// The identity's IDs; `inferredFrom` only when the failure did not name the identity and explain inferred it.
    static func identityJSON(_ identity: IdentityReference) -> JSONValue {
        var members: [(String, JSONValue)] = [("resourceId", .string(identity.resourceID)), ("clientId", .string(identity.clientID)),
                                              ("principalId", .string(identity.principalID))]
        if let why = identity.inferredFrom { members.append(("inferredFrom", .string(why))) }
        return .object(members)
    }

    // MARK: Text

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
        let ongoing = explanation.episodes.filter { $0.status == .ongoing }.count
        let unexplained = explanation.unexplained.reduce(0) { $0 + $1.failures.count }
        return "\(explanation.failureCount) failure\(explanation.failureCount == 1 ? "" : "s"): \(explanation.episodes.count) episode\(explanation.episodes.count == 1 ? "" : "s") "
            + "(\(ongoing) ongoing, \(explanation.episodes.count - ongoing) resolved), \(unexplained) unexplained"
    }

    static func episodeText(_ episode: Episode, number: Int) -> String {
        let diagnosis = episode.diagnosis
        var output = "\(episode.status == .ongoing ? "error" : "resolved"): [\(diagnosis.code.rawValue)] \(diagnosis.finding)\n"
        output += "  reason: \(diagnosis.reason)\n"
        output += "  failures: \(episode.failures.count) from \(episode.firstFailure.map(\.iso8601) ?? "?") to \(episode.lastFailure.map(\.iso8601) ?? "?")"
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
        var output = "unexplained: \(group.what) (\(group.failures.count) failure\(group.failures.count == 1 ? "" : "s"))\n"
        output += "  reason: \(group.diagnosis.reason)\n"
        for evidence in group.failures.prefix(5).map(\.evidence) { output += "   --> \(evidence)\n" }
        output += "  help: this evidence would explain it:\n"
        for item in group.diagnosis.missingEvidence { output += "    - \(item)\n" }
        return output
    }

    static func list(_ items: [String]) -> String {
        items.count <= 3 ? items.joined(separator: ", ") : items.prefix(3).joined(separator: ", ") + " and \(items.count - 3) more"
    }

    // MARK: Markdown

    public static func markdown(_ explanation: Explanation) -> String {
        var output = "# Managed identity failures\n\n" + summary(explanation) + ".\n"
        for (index, episode) in explanation.episodes.enumerated() {
            let diagnosis = episode.diagnosis
            output += "\n## \(index + 1). `\(diagnosis.code.rawValue)` (\(episode.status.rawValue))\n\n\(diagnosis.finding).\n\n"
            output += "- **Why**: \(diagnosis.reason)\n"
            output += "- **Failures**: \(episode.failures.count), from \(episode.firstFailure.map(\.iso8601) ?? "?") to \(episode.lastFailure.map(\.iso8601) ?? "?")"
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
                output += "- **\(group.what)** (\(group.failures.count)): \(group.diagnosis.reason) Missing: "
                    + group.diagnosis.missingEvidence.joined(separator: "; ") + ". Evidence: "
                    + group.failures.prefix(3).map { "`\($0.evidence)`" }.joined(separator: ", ") + "\n"
            }
        }
        return output
    }
}
