import TrailModel

/// Groups diagnosed failures into episodes and finds what ended each one.
struct EpisodeBuilder {
    let context: ExplainContext

    func episodes(_ diagnosed: [(Failure, Diagnosis)]) -> [Episode] {
        var groups: [String: [(Failure, Diagnosis)]] = [:]
        var order: [String] = []
        for item in diagnosed {
            let key = [item.1.code.rawValue, item.1.identity.key, item.1.scope.map(Self.groupingScope) ?? "-"].joined(separator: "§")
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(item)
        }
        var episodes: [Episode] = []
        for key in order {
            let items = (groups[key] ?? []).sorted { ($0.0.time ?? .distantPast) < ($1.0.time ?? .distantPast) }
            episodes += split(items)
        }
        return episodes.sorted { ($0.firstFailure ?? .distantPast, $0.code) < ($1.firstFailure ?? .distantPast, $1.code) }
    }

    /// Failures on different containers of one storage account are one story: grouped by the account.
    static func groupingScope(_ scope: String) -> String {
        let parsed = ARMScope(scope)
        return (parsed.resourceScope(namespace: "Microsoft.Storage", type: "storageAccounts") ?? parsed).normalized
    }

    /// The diagnosis an episode shows: the first one, widened to the storage account when its failures
    /// were on several containers (so that the fix covers them all).
    static func representative(_ items: [(Failure, Diagnosis)]) -> Diagnosis {
        let first = items[0].1
        let scopes = Set(items.compactMap { $0.1.scope.map { ARMScope($0).normalized } })
        guard scopes.count > 1 else { return first }
        return items.map(\.1).min { ($0.scope?.count ?? .max) < ($1.scope?.count ?? .max) } ?? first
    }

    /// One episode per run of failures; a failure after the fix (beyond its propagation window) starts a new one.
    func split(_ items: [(Failure, Diagnosis)]) -> [Episode] {
        var episodes: [Episode] = []
        var current: Episode?
        for (failure, diagnosis) in items {
            if var episode = current, let fixed = episode.resolvedAt, let time = failure.time, time > fixed {
                if time.millisecondsSince1970 - fixed.millisecondsSince1970 <= ExplainContext.propagationWindow {
                    episode.failures.append(failure)
                    episode.failuresInPropagationWindow += 1
                    current = episode
                    continue
                }
                episodes.append(episode)
                current = nil
            }
            if current == nil { current = Episode(diagnosis: Self.representative(items), failures: []) }
            current?.failures.append(failure)
            if var episode = current, let last = failure.time { resolve(&episode, after: last, failure: failure) ; current = episode }
        }
        if let current { episodes.append(current) }
        return episodes
    }

    /// Looks for the change after `time` that ends the episode.
    func resolve(_ episode: inout Episode, after time: Timestamp, failure: Failure) {
        let found: (Timestamp?, String, EvidenceReference?)?
        switch episode.code {
        case .nodeIdentityReferenceMissing: found = referenceSet(episode, after: time)
        case .nodeIdentityNotInPool: found = identityAddedToPool(episode, after: time)
        case .rbacPropagationDelay: found = (nil, "the role assignment took effect (no failure after its propagation window)", nil)
        case .imdsIdentityAmbiguous, .imdsIdentityNotFound, .imdsMetadataHeaderMissing, .imdsInvalidResource, .imdsThrottled, .imdsTransient:
            found = successfulRequest(after: time, node: failure.node)
        case .keyvaultAccessMissing, .tokenAudienceMismatch, .tokenExpired, .unexplained, .controlPlaneRoleOnly:
            found = nil
        default: found = grantingAssignment(episode, after: time)
        }
        if let (at, by, evidence) = found {
            episode.status = .resolved
            episode.resolvedAt = at
            episode.resolvedBy = by
            episode.resolutionEvidence = evidence
        } else {
            episode.status = .ongoing
            (episode.resolvedAt, episode.resolvedBy, episode.resolutionEvidence) = (nil, nil, nil)
        }
    }

    /// The first role assignment for the principal, created after `time`, that grants the missing action at the scope.
    func grantingAssignment(_ episode: Episode, after time: Timestamp) -> (Timestamp?, String, EvidenceReference?)? {
        let diagnosis = episode.diagnosis
        guard let principal = diagnosis.identity.principalID, let actionName = diagnosis.missingAction, let scope = diagnosis.scope else { return nil }
        let action = RequiredAction(actionName, isDataAction: actionName.contains("/blobServices/") || actionName.contains("/secrets/"))
        var best: (Timestamp, RoleAssignmentHistory.Assignment, AssignmentInterval)?
        for assignment in context.history.assignments(of: principal) {
            guard let assigned = assignment.scope, assigned.contains(ARMScope(scope)),
                  context.catalog.role(guid: assignment.roleGUID, name: assignment.roleName)?.permissions.grants(action) == true else { continue }
            for interval in assignment.intervals where interval.knownFrom > time {
                if best == nil || interval.knownFrom < best!.0 { best = (interval.knownFrom, assignment, interval) }
            }
        }
        guard let (start, assignment, interval) = best else { return nil }
        let role = context.catalog.role(guid: assignment.roleGUID, name: assignment.roleName)?.name ?? "a role"
        var text = "role assignment \(assignment.assignmentID?.split(separator: "/").last.map(String.init) ?? assignment.key): \(role) at \(assignment.scope?.original ?? scope)"
        switch interval.start {
        case .exactly: text += assignment.createdBy.map { " created by \($0)" } ?? ""
        case .between(let absent, _): text += ", created between \(absent) and \(start)"
        case .noLaterThan: text += ", first seen at \(start)"
        }
        return (start, text, interval.startEvidence ?? assignment.evidence.first)
    }

    /// The first account snapshot after `time` with a node identity reference (or without managed identity autostorage).
    func referenceSet(_ episode: Episode, after time: Timestamp) -> (Timestamp?, String, EvidenceReference?)? {
        let names = Set(context.configuration.accounts.map(\.name))
        for name in names {
            for account in context.configuration.accounts(named: name, after: time) {
                if let reference = account.nodeIdentityReference {
                    return (account.observedAt, "node identity reference of \(account.name) set to \(reference.split(separator: "/").last ?? "") (seen in a snapshot at \(account.observedAt.map(\.iso8601) ?? "?"))", account.evidence)
                }
                if !account.usesManagedIdentityForAutoStorage {
                    return (account.observedAt, "autostorage of \(account.name) switched to \(account.autoStorageMode ?? "storage keys")", account.evidence)
                }
            }
        }
        return nil
    }

    /// The first pool snapshot after `time` whose identities include the identity (or an account reference changed to one of them).
    func identityAddedToPool(_ episode: Episode, after time: Timestamp) -> (Timestamp?, String, EvidenceReference?)? {
        guard let reference = episode.diagnosis.identity.resourceID, let poolName = episode.failures.first?.pool else { return nil }
        if let pool = context.configuration.pools(named: poolName, after: time).first(where: { $0.hasIdentity(reference) }) {
            return (pool.observedAt, "\(reference.split(separator: "/").last ?? "") added to pool \(pool.name)'s identities (seen in a snapshot at \(pool.observedAt.map(\.iso8601) ?? "?"))", pool.evidence)
        }
        for name in Set(context.configuration.accounts.map(\.name)) {
            let pool = context.configuration.pool(named: poolName, account: name, at: nil)
            if let account = context.configuration.accounts(named: name, after: time).first(where: { account in
                account.nodeIdentityReference.map { ref in ARMScope(ref) != ARMScope(reference) && (pool?.hasIdentity(ref) ?? false) } ?? false
            }) {
                return (account.observedAt, "node identity reference of \(account.name) changed to an identity of the pool", account.evidence)
            }
        }
        return nil
    }

    /// The first successful token request on the node after `time`.
    func successfulRequest(after time: Timestamp, node: String?) -> (Timestamp?, String, EvidenceReference?)? {
        guard let success = context.successfulTokenRequests.first(where: { ($0.time ?? .distantPast) > time && (node == nil || $0.node == node) })
        else { return nil }
        return (success.time, "a successful token request on \(success.node ?? "the node")", success.evidence)
    }
}
