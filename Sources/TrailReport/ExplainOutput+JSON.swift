import TrailExplain
import TrailModel

/// `explain --format json`: DESIGN.md's output contract.
extension ExplainOutput {
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
            ("failureCount", .integer(Int64(episode.failureCount))),
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
        return .object([
            ("failure", .string(group.what)),
            ("kind", .string(group.kind)),
            ("identity", identityJSON(group.diagnosis.identity)),
            ("scope", .string(group.diagnosis.scope)),
            ("firstFailure", .time(group.firstFailure)),
            ("lastFailure", .time(group.lastFailure)),
            ("failureCount", .integer(Int64(group.failureCount))),
            ("reason", .string(group.diagnosis.reason)),
            ("missingEvidence", .array(group.diagnosis.missingEvidence.map(JSONValue.string))),
            ("evidence", .array(group.sampledFailures.prefix(5).map { EvidenceJSON.reference($0.evidence) })),
        ])
    }

    /// The identity's IDs; `inferredFrom` only when the failure did not name the identity and explain inferred it.
    static func identityJSON(_ identity: IdentityReference) -> JSONValue {
        var members: [(String, JSONValue)] = [("resourceId", .string(identity.resourceID)), ("clientId", .string(identity.clientID)),
                                              ("principalId", .string(identity.principalID))]
        if let why = identity.inferredFrom { members.append(("inferredFrom", .string(why))) }
        return .object(members)
    }
}
