import TrailModel

/// `.failuresStop`: an IMDS episode (throttled, transient, header missing, invalid resource, identity not found or
/// ambiguous) ends when its failures stop, not at the first success: on every node of the episode, its last
/// failure is followed by a successful token request on that node for the same identity and resource. A success
/// between two failures resolves nothing (the later failure looks again), and evidence that ends while failing
/// leaves the episode ongoing. No propagation window: nothing has to propagate.
public enum FailuresStop {
    /// Which successful request shows the request working.
    public enum Match: Sendable, Equatable {
        /// A token for the same identity and `resource` (a request or success that names none matches any).
        case sameRequest
        /// A token for the same identity and the audience of the service the failing `resource` pointed at (a
        /// wrong `resource` was the failure: only the request with the service's audience shows the fix).
        case serviceAudience
        /// A token for the same `resource`, for any identity: the fix of an identity not found or ambiguous is
        /// to ask for another identity, or to name one.
        case sameResourceAnyIdentity
    }

    /// Where each node of one episode stands: the first matching success after its last failure, or none yet.
    struct Progress {
        /// Node (or "" for failures that name none) → the success after its last failure, nil while still failing.
        var successByNode: [String: Failure?] = [:]
        var failingNodes = 0
        /// The latest of the nodes' successes: the episode's end once no node is failing.
        var latest: Failure?

        /// Takes the episode's next failure (in time order) and says whether the episode has ended, and when.
        mutating func add(_ failure: Failure, match: Match, context: ExplainContext) -> Resolution? {
            guard let time = failure.time else { return resolution }
            let node = failure.node ?? ""
            let known = successByNode[node]
            // The first success after an earlier failure of the node, if it comes after this one, is the first after it too.
            if let success = known ?? nil, let at = success.time, time < at { return resolution }
            if known == nil || known! != nil { failingNodes += 1 }
            let success = FailuresStop.firstSuccess(after: time, like: failure, match: match, context: context)
            successByNode[node] = .some(success)
            if let success {
                failingNodes -= 1
                if latest == nil || (latest!.time ?? .distantPast) < (success.time ?? .distantPast) { latest = success }
            }
            return resolution
        }

        var resolution: Resolution? {
            guard failingNodes == 0, let latest else { return nil }
            return Resolution(at: latest.time, by: FailuresStop.describe(latest, nodes: successByNode.count), evidence: latest.evidence)
        }
    }

    /// The first successful token request on the failure's node after `time` for the same identity and resource.
    static func firstSuccess(after time: Timestamp, like failure: Failure, match: Match, context: ExplainContext) -> Failure? {
        let wanted: String?
        switch match {
        case .sameRequest, .sameResourceAnyIdentity: wanted = failure.resource
        case .serviceAudience:
            guard let audience = tokenAudience(forServiceAt: failure.resource) else { return nil }
            wanted = audience
        }
        let anyIdentity = match == .sameResourceAnyIdentity
        return context.firstSuccessfulTokenRequest(after: time, node: failure.node) { success in
            (wanted == nil || success.resource == nil || sameResource(success.resource, wanted))
                && (anyIdentity || sameRequestedIdentity(success, failure))
        }
    }

    /// The success asked for the identity the failure asked for: the same client ID, resource ID or object ID
    /// (in the request or the token's claims). A request that named no identity matches any success, and a
    /// success that names none any request.
    static func sameRequestedIdentity(_ success: Failure, _ failure: Failure) -> Bool {
        if failure.clientID == nil && failure.identityResourceID == nil && failure.principalID == nil { return true }
        if let client = failure.clientID, success.clientID == client { return true }
        if let principal = failure.principalID, success.principalID == principal { return true }
        if let resource = failure.identityResourceID, let other = success.identityResourceID, ARMScope(resource) == ARMScope(other) { return true }
        return success.clientID == nil && success.identityResourceID == nil && success.principalID == nil
    }

    static func describe(_ success: Failure, nodes: Int) -> String {
        "a successful token request on \(success.node ?? "the node")" + (success.resource.map { " for \($0)" } ?? "")
            + (nodes > 1 ? ", the last of \(nodes) nodes to stop failing" : "") + ", and no failure of the kind after it"
    }
}
