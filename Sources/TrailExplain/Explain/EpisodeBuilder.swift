import TrailModel

/// Groups diagnosed failures into episodes and finds what ended each one.
struct EpisodeBuilder {
    let context: ExplainContext

    func episodes(_ diagnosed: [(Failure, Diagnosis)]) -> [Episode] {
        var groups: [String: [(Failure, Diagnosis)]] = [:]
        var order: [String] = []
        for item in diagnosed {
            let key = groupKey(item.1)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(item)
        }
        var episodes: [Episode] = []
        for key in order {
            let items = (groups[key] ?? []).sorted { ($0.0.time ?? .distantPast) < ($1.0.time ?? .distantPast) }
            episodes += split(items)
        }
        return Self.ordered(Self.foldPropagationDelays(episodes))
    }

    /// Episodes of the same diagnosis, identity and scope.
    func groupKey(_ diagnosis: Diagnosis) -> String {
        let identity = diagnosis.identity
        // `identity.key`, with resource IDs normalized once per text.
        let identityKey = identity.principalID ?? identity.resourceID.map { context.scopes.normalized($0) } ?? identity.clientID ?? "-"
        return [diagnosis.code.rawValue, identityKey, diagnosis.scope.map { context.scopes.normalized($0) } ?? "-"].joined(separator: "§")
    }

    /// Episodes by first failure, then diagnosis code (the first failure worked out once per episode, not per comparison).
    static func ordered(_ episodes: [Episode]) -> [Episode] {
        episodes.map { ($0.firstFailure ?? .distantPast, $0) }
            .sorted { ($0.0, $0.1.code) < ($1.0, $1.1.code) }
            .map(\.1)
    }

    /// Builds the same episodes as `episodes(_:)` from diagnosed failures given one at a time, in time order: only the
    /// episodes are kept, not every failure's diagnosis (a store can hold a million failures of a few episodes).
    struct Incremental {
        let builder: EpisodeBuilder
        private var groups: [String: Int] = [:]
        private var runs: [Run] = []

        /// One group's episodes, and the one still open with the time resolution was last looked for.
        struct Run {
            var episodes: [Episode] = []
            var current: Episode?
            var resolvedAfter: Timestamp?
        }

        init(context: ExplainContext) {
            builder = EpisodeBuilder(context: context)
        }

        mutating func add(_ failure: Failure, _ diagnosis: Diagnosis) {
            let key = builder.groupKey(diagnosis)
            let index: Int
            if let known = groups[key] {
                index = known
            } else {
                index = runs.count
                groups[key] = index
                runs.append(Run())
            }
            builder.add(failure, diagnosis, to: &runs[index])
        }

        func episodes() -> [Episode] {
            EpisodeBuilder.ordered(EpisodeBuilder.foldPropagationDelays(runs.flatMap { $0.episodes + ($0.current.map { [$0] } ?? []) }))
        }
    }

    /// Failures that came inside the propagation window of the change that resolved an episode of the same
    /// identity and scope belong to that episode (flagged, `contributing: rbac-propagation-delay`), not to an
    /// episode of their own: the rules diagnose them `rbac-propagation-delay` because the grant is there by then.
    static func foldPropagationDelays(_ episodes: [Episode]) -> [Episode] {
        var result = episodes
        var folded: Set<Int> = []
        for (index, delay) in episodes.enumerated() where delay.code == .rbacPropagationDelay {
            guard let target = result.indices.first(where: { candidate in
                let episode = result[candidate]
                guard episode.code != .rbacPropagationDelay, !folded.contains(candidate), let fixed = episode.resolvedAt,
                      episode.diagnosis.identity.key == delay.diagnosis.identity.key, related(episode.diagnosis.scope, delay.diagnosis.scope)
                else { return false }
                return delay.failures.allSatisfy { failure in
                    guard let time = failure.time else { return false }
                    return time >= fixed && time.millisecondsSince1970 - fixed.millisecondsSince1970 <= episode.propagationWindow
                }
            }) else { continue }
            result[target].failures = (result[target].failures + delay.failures).sorted { ($0.time ?? .distantPast) < ($1.time ?? .distantPast) }
            result[target].failuresInPropagationWindow += delay.failures.count
            folded.insert(index)
        }
        return result.enumerated().filter { !folded.contains($0.offset) }.map(\.element)
    }

    /// Scopes on one branch: one contains the other.
    static func related(_ first: String?, _ second: String?) -> Bool {
        guard let first, let second else { return first == nil && second == nil }
        let a = ARMScope(first), b = ARMScope(second)
        return a.contains(b) || b.contains(a)
    }

    /// One episode per run of failures; a failure after the fix (beyond its propagation window) starts a new one.
    func split(_ items: [(Failure, Diagnosis)]) -> [Episode] {
        var run = Incremental.Run()
        for (failure, diagnosis) in items { add(failure, diagnosis, to: &run) }
        return run.episodes + (run.current.map { [$0] } ?? [])
    }

    /// The next failure of one group's run (failures come in time order).
    func add(_ failure: Failure, _ diagnosis: Diagnosis, to run: inout Incremental.Run) {
        // A propagation delay's resolution (its grant) precedes its failures: "after the fix" does not apply to it.
        if diagnosis.code != .rbacPropagationDelay, let fixed = run.current?.resolvedAt, let time = failure.time, time > fixed {
            if time.millisecondsSince1970 - fixed.millisecondsSince1970 <= run.current!.propagationWindow {
                run.current!.failures.append(failure)
                run.current!.failuresInPropagationWindow += 1
                return
            }
            run.episodes.append(run.current!)
            run.current = nil
        }
        if run.current == nil {
            run.current = Episode(diagnosis: diagnosis, failures: [])
            run.resolvedAfter = nil
        }
        run.current!.failures.append(failure)
        guard let last = failure.time else { return }
        // What ends an episode is the first change after its last failure. For the changes that depend only on the
        // episode and that time, a later failure that still comes before the change found (or after a time no change
        // followed) finds the same one: no need to look again for each of thousands of failures.
        if Self.resolutionDependsOnlyOnTime(run.current!.code), let after = run.resolvedAfter, after <= last,
           run.current!.resolvedAt.map({ last < $0 }) ?? true {
            return
        }
        resolve(&run.current!, after: last, failure: failure)
        run.resolvedAfter = last
    }

    /// Codes whose resolution is the first change after a time among changes fixed by the episode (not by its failures).
    static func resolutionDependsOnlyOnTime(_ code: DiagnosisCode) -> Bool {
        switch code {
        case .rbacPropagationDelay, .imdsInvalidResource, .imdsIdentityAmbiguous, .imdsIdentityNotFound, .imdsMetadataHeaderMissing,
             .imdsThrottled, .imdsTransient:
            return false
        case .keyvaultAccessMissing, .tokenAudienceMismatch, .tokenExpired, .unexplained, .controlPlaneRoleOnly:
            return true
        default:
            return true
        }
    }

    /// Looks for the change after `time` that ends the episode.
    func resolve(_ episode: inout Episode, after time: Timestamp, failure: Failure) {
        let found: (Timestamp?, String, EvidenceReference?)?
        switch episode.code {
        case .nodeIdentityReferenceMissing: found = referenceSet(episode, after: time)
        case .nodeIdentityNotInPool: found = identityAddedToPool(episode, after: time)
        case .rbacPropagationDelay: found = grantTookEffect(episode, last: time) ?? membershipTookEffect(episode, last: time)
        case .imdsInvalidResource:
            // Only a token for the audience the wrong value pointed at shows the fix; a token for another service does not.
            found = tokenAudience(forServiceAt: failure.resource).flatMap { successfulRequest(after: time, node: failure.node, resource: $0) }
        case .imdsIdentityAmbiguous, .imdsIdentityNotFound, .imdsMetadataHeaderMissing, .imdsThrottled, .imdsTransient:
            found = successfulRequest(after: time, node: failure.node, resource: failure.resource)
        case .keyvaultAccessMissing, .tokenAudienceMismatch, .tokenExpired, .unexplained, .controlPlaneRoleOnly:
            found = nil
        default: found = grantingAssignmentOrMembership(&episode, after: time)
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
        for assignment in context.assignments(of: principal) {
            guard let assigned = assignment.scope, assigned.contains(context.scopes.scope(scope)),
                  context.catalog.role(guid: assignment.roleGUID, name: assignment.roleName)?.permissions.grants(action) == true else { continue }
            for interval in assignment.intervals where interval.knownFrom > time {
                if best == nil || interval.knownFrom < best!.0 { best = (interval.knownFrom, assignment, interval) }
            }
        }
        guard let (start, assignment, interval) = best else { return nil }
        let role = context.catalog.role(guid: assignment.roleGUID, name: assignment.roleName)?.name ?? "a role"
        var text = "role assignment \(assignment.assignmentID?.split(separator: "/").last.map(String.init) ?? assignment.key): \(role) at \(assignment.scope?.original ?? scope)"
        switch interval.start {
        case .exactly:
            let creator = assignment.createdBy ?? interval.startEvidence.flatMap { context.writeCallers[$0] }
            text += creator.map { " created by \($0)" } ?? ""
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

    /// The first successful token request on the node after `time`, for the same resource when the failure names one.
    func successfulRequest(after time: Timestamp, node: String?, resource: String?) -> (Timestamp?, String, EvidenceReference?)? {
        guard let success = context.firstSuccessfulTokenRequest(after: time, node: node, where: { success in
            resource == nil || success.resource == nil || sameResource(success.resource, resource)
        }) else { return nil }
        return (success.time, "a successful token request on \(success.node ?? "the node")" + (success.resource.map { " for \($0)" } ?? ""),
                success.evidence)
    }

    /// A propagation delay ends when the grant takes effect: resolved by the granting assignment when every failure
    /// came within the usual propagation window after it; failures later than that (a cached token) leave it ongoing.
    /// `last` is the episode's last failure (failures are added in time order).
    func grantTookEffect(_ episode: Episode, last: Timestamp) -> (Timestamp?, String, EvidenceReference?)? {
        let diagnosis = episode.diagnosis
        guard let principal = diagnosis.identity.principalID, let scope = diagnosis.scope else { return nil }
        var grant: (Timestamp, RoleAssignmentHistory.Assignment, AssignmentInterval)?
        for assignment in context.assignments(of: principal) {
            guard let assigned = assignment.scope, assigned.contains(context.scopes.scope(scope)) || context.scopes.scope(scope).contains(assigned) else { continue }
            for interval in assignment.intervals where interval.inForce(at: last) == .yes {
                guard case .exactly(let created) = interval.start, created <= last else { continue }
                if grant == nil || created > grant!.0 { grant = (created, assignment, interval) }
            }
        }
        guard let (created, assignment, interval) = grant,
              last.millisecondsSince1970 - created.millisecondsSince1970 <= ExplainContext.propagationWindow else { return nil }
        let role = context.catalog.role(guid: assignment.roleGUID, name: assignment.roleName)?.name ?? "a role"
        let creator = assignment.createdBy ?? interval.startEvidence.flatMap { context.writeCallers[$0] }
        return (created, "role assignment \(assignment.assignmentID?.split(separator: "/").last.map(String.init) ?? assignment.key): \(role) at "
                    + "\(assignment.scope?.original ?? scope)" + (creator.map { " created by \($0)" } ?? "")
                    + "; every failure came within the usual 10-minute propagation window after it", interval.startEvidence ?? assignment.evidence.first)
    }
}
