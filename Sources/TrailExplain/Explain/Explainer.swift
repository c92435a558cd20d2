import TrailModel
import TrailStore

/// The story of every failure: diagnosis, episodes over time, evidence and fix.
public struct Explanation: Sendable {
    public var episodes: [Episode]
    public var unexplained: [UnexplainedGroup]
    public var failureCount: Int

    /// Episodes whose evidence ends while failing.
    public var ongoingCount: Int { episodes.reduce(0) { $0 + ($1.status == .ongoing ? 1 : 0) } }
    /// Episodes that ended: the evidence shows them fixed or the failures stopping.
    public var resolvedCount: Int { episodes.count - ongoingCount }
    /// Failures no rule explains, over every unexplained group.
    public var unexplainedFailureCount: Int { unexplained.reduce(0) { $0 + $1.failureCount } }
}

/// What to explain.
public struct ExplainFilter: Sendable {
    public var since: Timestamp?
    public var until: Timestamp?
    /// An identity's name, resource, client or principal ID.
    public var identity: String?
    public var pool: String?

    public init(since: Timestamp? = nil, until: Timestamp? = nil, identity: String? = nil, pool: String? = nil) {
        self.since = since
        self.until = until
        self.identity = identity
        self.pool = pool
    }
}

public enum Explainer {
    /// Every rule, most specific first: the first that recognises a failure gives its diagnosis.
    static let rules: [any DiagnosisRule] = [
        ARMPolicyDeniedRule(),
        IMDSMetadataHeaderMissingRule(), IMDSIdentityAmbiguousRule(), IMDSIdentityNotFoundRule(), IMDSInvalidResourceRule(),
        IMDSThrottledRule(), IMDSTransientRule(),
        TokenAudienceMismatchRule(), TokenExpiredRule(),
        KeyvaultAccessMissingRule(),
        NodeIdentityReferenceMissingRule(), NodeIdentityNotInPoolRule(),
        RBACPropagationDelayRule(), RoleAssignedToOtherPrincipalRule(),
        AutostorageAccountIdentityLacksRoleRule(), NodeIdentityLacksStorageRoleRule(), StorageDataRoleMissingRule(),
        ARMAuthorizationFailedRule(),
    ]

    static let contributingRules: [any ContributingRule] = [ControlPlaneRoleOnlyRule()]

    public static func explain(store: any EvidenceReader, filter: ExplainFilter = ExplainFilter()) throws -> Explanation {
        try explain(store: store, filter: filter, memoised: true)
    }

    /// `memoised: false` diagnoses every failure on its own: the reference the memo is tested against.
    static func explain(store: any EvidenceReader, filter: ExplainFilter, memoised: Bool) throws -> Explanation {
        var context = try ExplainContext(store: store)
        // One failure seen through several records counts once; the normal protocol (a bearer challenge answered,
        // a blob not found) is no permission failure.
        var failures = try Failure.all(in: store)
        SameFailure.merge(&failures)
        context.noteTokenRequests(failures)
        failures.removeAll { failure in
            if let since = filter.since, (failure.time ?? .distantPast) < since { return true }
            if let until = filter.until, (failure.time ?? .distantPast) > until { return true }
            return NormalProtocol.isNotAPermissionFailure(failure, successes: context.successfulOperations)
        }
        let memo = memoised ? DiagnosisMemo(context: context) : nil
        // Failures in time order (the query's order) are grouped into episodes as they come; otherwise (a time the
        // query orders differently than explain does) they are gathered and grouped at the end, the same way.
        let inTimeOrder = zip(failures, failures.dropFirst()).allSatisfy { ($0.time ?? .distantPast) <= ($1.time ?? .distantPast) }
        var episodes = EpisodeBuilder.Incremental(context: context)
        var explained: [EpisodeBuilder.Diagnosed] = []
        var unexplainedGroups = UnexplainedGrouping(scopes: context.scopes)
        var count = 0
        for failure in failures {
            let (assessment, exact) = memo?.assessment(of: failure) { assess($0, in: context) }
                ?? (assess(failure, in: context), true)
            // The pool the failure names, else the one it was placed in (agent log lines name theirs only at the start).
            if let pool = filter.pool, assessment.pool?.lowercased() != pool.lowercased() { continue }
            let diagnosis = assessment.diagnosis
            if let identity = filter.identity, !matches(identity, diagnosis: diagnosis, failure: failure, context: context) { continue }
            count += 1
            if diagnosis.code == .unexplained {
                unexplainedGroups.add(failure, diagnosis, exact: exact)
            } else if inTimeOrder {
                episodes.add(EpisodeBuilder.Diagnosed(failure: failure, diagnosis: diagnosis, exact: exact))
            } else {
                explained.append(EpisodeBuilder.Diagnosed(failure: failure, diagnosis: diagnosis, exact: exact))
            }
        }
        let built = inTimeOrder ? episodes.episodes() : EpisodeBuilder(context: context).episodes(explained)
        return Explanation(episodes: built, unexplained: unexplainedGroups.groups(in: context), failureCount: count)
    }

    /// A failure's facts, diagnosis and contributing findings, and the pool it was placed in.
    static func assess(_ failure: Failure, in context: ExplainContext) -> Assessment {
        let facts = FailureFacts.make(failure, context: context)
        var diagnosis = diagnose(facts, in: context)
        for rule in contributingRules where rule.applies(to: diagnosis, facts: facts) && !diagnosis.contributing.contains(rule.code) {
            diagnosis.contributing.append(rule.code)
        }
        return Assessment(pool: failure.pool ?? facts.pool?.name, diagnosis: diagnosis)
    }

    /// The first rule's diagnosis, with the rule's resolution strategy; `unexplained` when no rule applies.
    static func diagnose(_ facts: FailureFacts, in context: ExplainContext) -> Diagnosis {
        for rule in rules {
            guard var diagnosis = rule.diagnose(facts, in: context) else { continue }
            diagnosis.resolution = rule.resolution
            return diagnosis
        }
        return unexplained(facts)
    }

    /// The diagnosis when no rule applies: what is known, and the evidence that would settle it.
    static func unexplained(_ facts: FailureFacts) -> Diagnosis {
        var missing = facts.needs
        var reason = "No diagnosis in the catalog matches this failure with the evidence at hand."
        if let check = facts.check {
            switch check.verdict.verdict {
            case .unknown:
                missing += check.verdict.missingEvidence
                var configuration = ""
                if facts.usesAutoStorage, let account = facts.account, let pool = facts.pool, let reference = facts.identityResourceID, pool.hasIdentity(reference) {
                    configuration = "\(facts.identity.displayName) is the node identity reference of \(account.name) and an identity of pool \(pool.name): "
                        + "the configuration is right, so only its roles can explain the failure. "
                }
                reason = configuration + "Whether \(facts.identity.displayName) held \(facts.permission?.action.name ?? "the permission") at \(facts.scope ?? "the scope") "
                    + "is not known from the role assignments in the evidence." + check.unknownGroupsSentence
            case .granted:
                reason = "The role assignments grant \(facts.identity.displayName) \(facts.permission?.action.name ?? "the permission") at the time: "
                    + "the failure has another cause (a network rule, a SAS or key problem, a deny assignment)." + check.memberGroupsSentence
                missing.append("the storage account's network rules and StorageBlobLogs for the request")
            case .notGranted:
                break
            }
        } else if facts.failure.isBatchNodeFailure, let account = facts.account, !account.usesManagedIdentityForAutoStorage, facts.usesAutoStorage {
            reason = "Autostorage of \(account.name) uses \(account.autoStorageMode ?? "storage keys"), so no managed identity is involved in reaching it."
        } else if facts.identity.principalID == nil, facts.permission != nil, let resourceID = facts.identity.resourceID {
            // (An identity the evidence does not name at all is covered by the configuration it needs.)
            missing.append("the principal ID of \(facts.identity.displayName) (az identity show --ids \(resourceID))")
        }
        if missing.isEmpty { missing.append("the request's full error response, and the configuration of what was called") }
        return Diagnosis.unexplained(facts.failure, identity: facts.identity, scope: facts.scope, reason: reason, missing: Array(Set(missing)).sorted())
    }

    static func matches(_ text: String, diagnosis: Diagnosis, failure: Failure, context: ExplainContext) -> Bool {
        let needle = text.lowercased()
        let ids = [diagnosis.identity.resourceID?.lowercased(), diagnosis.identity.clientID, diagnosis.identity.principalID,
                   failure.principalID, failure.clientID, failure.identityResourceID?.lowercased()].compactMap { $0 }
        if ids.contains(needle) { return true }
        return context.identities.contains { identity in
            identity.matches(text) && ids.contains { identity.matches($0) }
        }
    }

    /// Groups unexplained failures by what failed, the identity, the scope and the kind of evidence missing. Missing
    /// evidence often names a time ("a role assignment list ... taken at or after T"): failures that differ only in it
    /// share a group, which keeps the latest failure's wording (evidence taken after it covers them all).
    struct UnexplainedGrouping {
        /// Scopes and identity resource IDs normalized once per text (every failure's key names them).
        let scopes: ScopeParser
        private var positions: [String: Int] = [:]
        private var built: [UnexplainedGroup] = []
        /// Each group's latest failure time so far (a failure without a time counts as the distant past).
        private var latest: [Timestamp] = []
        /// The failure whose wording each group shows, with its diagnosis when it was worked out for that failure
        /// (nil: a memoised one, worked out again at the end).
        private var wording: [(Failure, Diagnosis?)] = []
        /// Missing evidence without its times, by its text: thousands of failures miss the same evidence.
        private var timeless: [String: String] = [:]

        init(scopes: ScopeParser) {
            self.scopes = scopes
        }

        mutating func add(_ failure: Failure, _ diagnosis: Diagnosis, exact: Bool = true) {
            let missing = diagnosis.missingEvidence.map { text in
                if let known = timeless[text] { return known }
                let without = Explainer.withoutTimes(text)
                timeless[text] = without
                return without
            }.joined(separator: "|")
            let key = [failure.kind, failure.what, diagnosis.identity.key(scopes), diagnosis.scope.map { scopes.normalized($0) } ?? "-", missing]
                .joined(separator: "§")
            let time = failure.time ?? .distantPast
            guard let index = positions[key] else {
                positions[key] = built.count
                built.append(UnexplainedGroup(diagnosis: diagnosis, failure: failure))
                latest.append(time)
                wording.append((failure, exact ? diagnosis : nil))
                return
            }
            built[index].add(failure)
            // The wording of the latest failure: one no earlier than every failure of the group.
            if failure.time != nil, latest[index] <= time { wording[index] = (failure, exact ? diagnosis : nil) }
            latest[index] = max(latest[index], time)
        }

        /// The groups, each with its wording failure's own diagnosis.
        func groups(in context: ExplainContext) -> [UnexplainedGroup] {
            zip(built, wording).map { group, wording in
                var group = group
                group.diagnosis = wording.1 ?? Explainer.assess(wording.0, in: context).diagnosis
                return group
            }
        }
    }

    /// The text with its ISO 8601 times replaced by `T`.
    static func withoutTimes(_ text: String) -> String {
        text.replacing(#/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?/#, with: "T")
    }
}
