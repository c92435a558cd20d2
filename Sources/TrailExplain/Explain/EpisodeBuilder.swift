import TrailModel

/// Groups diagnosed failures into episodes and finds what ended each one.
struct EpisodeBuilder {
    let context: ExplainContext

    /// A failure and its diagnosis; `exact` is false for one the memo gave (right but for the wording).
    struct Diagnosed {
        var failure: Failure
        var diagnosis: Diagnosis
        var exact = true
    }

    func episodes(_ diagnosed: [Diagnosed]) -> [Episode] {
        var groups: [String: [Diagnosed]] = [:]
        var order: [String] = []
        for item in diagnosed {
            let key = groupKey(item.diagnosis)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(item)
        }
        var episodes: [Episode] = []
        for key in order {
            let items = (groups[key] ?? []).sorted { ($0.failure.time ?? .distantPast) < ($1.failure.time ?? .distantPast) }
            episodes += split(items)
        }
        return Self.ordered(Self.foldPropagationDelays(episodes))
    }

    /// Episodes of the same diagnosis, identity and scope.
    func groupKey(_ diagnosis: Diagnosis) -> String {
        [diagnosis.code.rawValue, diagnosis.identity.key(context.scopes), diagnosis.scope.map { context.scopes.normalized($0) } ?? "-"]
            .joined(separator: "§")
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
        /// The run of each diagnosis's code, identity and scope as written: a look-up of those instead of building
        /// the group key (which normalizes them) for every failure.
        private var runsByDiagnosis: [DiagnosisGroup: Int] = [:]
        private var runs: [Run] = []

        /// What `groupKey` reads of a diagnosis, as written.
        struct DiagnosisGroup: Hashable {
            var code: DiagnosisCode
            var identity: IdentityReference
            var scope: String?
        }

        /// One group's episodes, and the one still open with the time resolution was last looked for.
        struct Run {
            var episodes: [Episode] = []
            var current: Episode?
            var resolvedAfter: Timestamp?
            /// Where the open episode's nodes stand, for `.failuresStop`.
            var stopping = FailuresStop.Progress()
        }

        init(context: ExplainContext) {
            builder = EpisodeBuilder(context: context)
        }

        mutating func add(_ item: Diagnosed) {
            let group = DiagnosisGroup(code: item.diagnosis.code, identity: item.diagnosis.identity, scope: item.diagnosis.scope)
            let index: Int
            if let known = runsByDiagnosis[group] {
                index = known
            } else {
                let key = builder.groupKey(item.diagnosis)
                if let known = groups[key] {
                    index = known
                } else {
                    index = runs.count
                    groups[key] = index
                    runs.append(Run())
                }
                runsByDiagnosis[group] = index
            }
            builder.add(item, to: &runs[index])
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
        for (index, delay) in episodes.enumerated() where delay.diagnosis.resolution == .grantTookEffect {
            guard let target = result.indices.first(where: { candidate in
                let episode = result[candidate]
                guard episode.diagnosis.resolution == .grantingRoleAssignment, !folded.contains(candidate), let fixed = episode.resolvedAt,
                      episode.diagnosis.identity.key == delay.diagnosis.identity.key, related(episode.diagnosis.scope, delay.diagnosis.scope)
                else { return false }
                // Every failure has a time, none before the fix, none after the window: the first and last say it.
                return delay.untimedFailureCount == 0 && (delay.firstFailure.map { $0 >= fixed } ?? true)
                    && (delay.lastFailure.map { $0.millisecondsSince1970 - fixed.millisecondsSince1970 <= episode.propagationWindow } ?? true)
            }) else { continue }
            result[target].absorb(delay)
            result[target].failuresInPropagationWindow += delay.failureCount
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

    /// One episode per run of failures; a failure after the end its strategy found may start a new one.
    func split(_ items: [Diagnosed]) -> [Episode] {
        var run = Incremental.Run()
        for item in items { add(item, to: &run) }
        return run.episodes + (run.current.map { [$0] } ?? [])
    }

    /// The next failure of one group's run (failures come in time order).
    func add(_ item: Diagnosed, to run: inout Incremental.Run) {
        let failure = item.failure
        let strategy = item.diagnosis.resolution
        if let fixed = run.current?.resolvedAt, let time = failure.time, time > fixed {
            let elapsed = time.millisecondsSince1970 - fixed.millisecondsSince1970
            var closes = false
            switch strategy.laterFailure {
            case .insidePropagationWindowBelongs:
                if elapsed <= run.current!.propagationWindow {
                    run.current!.add(failure)
                    run.current!.failuresInPropagationWindow += 1
                    return
                }
                closes = true
            case .reopensWithinQuietPeriod: closes = elapsed > ResolutionStrategy.quietPeriod
            case .startsNewEpisode: closes = true
            case .belongs: break
            }
            if closes {
                run.episodes.append(run.current!)
                run.current = nil
            }
        }
        if run.current == nil {
            // A memoised diagnosis is worked out again for the failure itself: its wording may name its own time.
            run.current = Episode(diagnosis: item.exact ? item.diagnosis : Explainer.assess(failure, in: context).diagnosis)
            run.resolvedAfter = nil
            run.stopping = FailuresStop.Progress()
        }
        run.current!.add(failure)
        guard let last = failure.time else { return }
        if strategy.dependsOnlyOnTime, let after = run.resolvedAfter, after <= last, run.current!.resolvedAt.map({ last < $0 }) ?? true {
            return
        }
        let found = resolution(of: &run.current!, strategy: strategy, after: last, failure: failure, stopping: &run.stopping)
        if let found {
            run.current!.status = .resolved
            (run.current!.resolvedAt, run.current!.resolvedBy, run.current!.resolutionEvidence) = (found.at, found.by, found.evidence)
        } else {
            run.current!.status = .ongoing
            (run.current!.resolvedAt, run.current!.resolvedBy, run.current!.resolutionEvidence) = (nil, nil, nil)
        }
        run.resolvedAfter = last
    }

    /// The end of the episode after its failure at `time`, as the episode's strategy finds it (a grant also sets the
    /// episode's propagation window: 24 hours when it came through a group membership change).
    func resolution(of episode: inout Episode, strategy: ResolutionStrategy, after time: Timestamp, failure: Failure,
                    stopping: inout FailuresStop.Progress) -> Resolution? {
        switch strategy {
        case .grantingRoleAssignment: return grantingAssignmentOrMembership(&episode, after: time)
        case .grantTookEffect:
            return GrantTookEffect.find(for: episode.diagnosis, last: time, in: context) ?? membershipTookEffect(episode, last: time)
        case .configurationChange(.nodeIdentityReference): return ConfigurationChangeResolution.nodeIdentityReferenceSet(after: time, in: context)
        case .identityAttachedToPool: return ConfigurationChangeResolution.identityAttachedToPool(episode, after: time, in: context)
        case .failuresStop(let match): return stopping.add(failure, match: match, context: context)
        case .freshTokenThenSuccess: return FreshTokenThenSuccess.find(for: episode.diagnosis, last: failure, after: time, in: context)
        case .keyVaultGrantThenSuccess:
            return KeyVaultGrantThenSuccess.find(for: episode.diagnosis, failure: episode.firstRecord ?? failure, after: time, in: context)
        case .none: return nil
        }
    }
}
