import Foundation
import TrailModel

/// What explain keeps of one failure's diagnosis: the pool it was placed in (for `--pool`) and the diagnosis.
struct Assessment {
    var pool: String?
    var diagnosis: Diagnosis
}

/// Diagnoses worked out once per equivalence class of failures and reused: a million failures are a few hundred
/// classes.
///
/// A failure's diagnosis depends on its own fields and, through the evidence in force, on its time. The class key
/// is every field the facts, rules and unexplained wording read (everything but the record's identity and time, the
/// request IDs SameFailure uses, and the job and task, which no rule reads; of the request URL only what is read of
/// it, `URLFeatures`), and the stretch of time the failure's time falls in between two consecutive change points of
/// the evidence: role assignment interval bounds and list
/// times, membership bounds, lists and checks, configuration snapshot times, identity generations' first and last
/// sightings, and each of them plus every window a rule measures from one (propagation, token cache, group
/// membership). Inside a stretch every comparison a rule makes between the failure's time and the evidence comes
/// out the same, so the class's diagnosis is the same but for the wording that names the time itself (minutes
/// after a grant, the gap to the next token request, "taken at or after T"). That wording is never taken from the
/// memo: callers reuse a memoised diagnosis only for what groups and ends episodes (code, identity, scope,
/// resolution strategy, missing evidence without its times) and work out the full diagnosis again for the one
/// failure whose wording is shown (an episode's first, an unexplained group's latest).
///
/// Not memoised: failures without a time (their role check asks about "now"), policy denials (a reference per
/// failure), and a token that names its expiry carries it in the key with which side of it the failure falls.
final class DiagnosisMemo {
    struct Key: Hashable {
        var texts: [String?]
        var numbers: [Int64?]
        /// What is read of the request URL (every blob is its own URL; the rules read only these of it).
        var url: URLFeatures?
        var stretch: RoleCheckCache.Stretch
    }

    /// What the facts and rules read of a failure's request URL, and the parts of a diagnosis the memo keeps depend
    /// on: the host (`URL(string:)?.host`: the service scope, the storage account), the first
    /// path segment (the container, when the record names none), whether it is an http(s) URL (the service scope)
    /// and whether it names IMDS (a token request). Anything else of it (the blob, the query) is read only for
    /// wording the memo does not keep: the IMDS fix commands, the host named in a finding, the audience the
    /// audience-mismatch rule names in its reason and fix.
    struct URLFeatures: Hashable {
        var host: String?
        var firstPathSegment: String?
        var isHTTP: Bool
        var namesIMDS: Bool

        init(_ url: String) {
            let parsed = URL(string: url)
            host = parsed?.host
            firstPathSegment = parsed?.pathComponents.dropFirst().first
            isHTTP = url.hasPrefix("http")
            namesIMDS = url.containsBytes("169.254.169.254")
        }
    }

    /// Features by URL text: a URL's failures may repeat it (retries), and parsing costs more than a look-up.
    private var urlFeatures: [String: URLFeatures] = [:]

    let boundaries: [Timestamp]
    private var assessments: [Key: Assessment] = [:]
    /// How many failures were answered from the memo, and how many classes it holds (for tests).
    private(set) var hits = 0
    var classes: Int { assessments.count }

    init(context: ExplainContext) {
        boundaries = Self.boundaries(of: context)
    }

    /// Every time at which a rule's comparison of a failure's time with the evidence can change.
    static func boundaries(of context: ExplainContext) -> [Timestamp] {
        var points = RoleCheckCache.changePoints(context.history, adding: context.memberships.changePoints)
        points += context.configuration.accounts.compactMap(\.observedAt) + context.configuration.pools.compactMap(\.observedAt)
        for identity in context.identities {
            for generation in identity.generations { points += [generation.firstSeen, generation.lastSeen].compactMap { $0 } }
        }
        let windows = [ExplainContext.propagationWindow, ExplainContext.tokenCacheWindow, ExplainContext.groupMembershipWindow]
        var all = Set(points)
        for point in points {
            for window in windows { all.insert(point.adding(milliseconds: window)) }
        }
        return all.sorted()
    }

    /// The class of a failure, or nil when it is not memoised.
    func key(for failure: Failure) -> Key? {
        guard let time = failure.time, failure.policyDenial == nil else { return nil }
        let texts: [String?] = [
            failure.kind, failure.code, failure.message, failure.detail, failure.errorCodes, failure.state, failure.marker,
            failure.node, failure.pool, failure.account, failure.principalID, failure.clientID, failure.identityResourceID,
            failure.tokenAudience, failure.scope, failure.action, failure.targetResource, failure.resource,
            failure.container, failure.containerURL, failure.autoStorageContainer, failure.operationName, failure.method,
        ]
        let expiry = failure.tokenExpiresAt
        let numbers: [Int64?] = [
            failure.status.map(Int64.init), failure.metadataHeader.map { $0 ? 1 : 0 }, failure.noAnswer ? 1 : 0,
            expiry?.millisecondsSince1970, expiry.map { time > $0 ? 1 : 0 },
        ]
        return Key(texts: texts, numbers: numbers, url: failure.url.map(features), stretch: RoleCheckCache.stretch(of: time, among: boundaries))
    }

    private func features(_ url: String) -> URLFeatures {
        if let known = urlFeatures[url] { return known }
        let features = URLFeatures(url)
        urlFeatures[url] = features
        return features
    }

    /// The class's assessment, worked out with `assess` for its first failure; `exact` is true when it was worked
    /// out for this very failure (its wording is this failure's own).
    func assessment(of failure: Failure, _ assess: (Failure) -> Assessment) -> (assessment: Assessment, exact: Bool) {
        guard let key = key(for: failure) else { return (assess(failure), true) }
        if let known = assessments[key] {
            hits += 1
            return (known, false)
        }
        let assessment = assess(failure)
        assessments[key] = Self.withoutWording(assessment)
        return (assessment, true)
    }

    /// What the memo keeps: no finding, reason, fix or supporting records, which a reused diagnosis never shows
    /// (and the differential test would show if one did).
    static func withoutWording(_ assessment: Assessment) -> Assessment {
        var kept = assessment
        kept.diagnosis.finding = ""
        kept.diagnosis.reason = ""
        kept.diagnosis.fix = nil
        kept.diagnosis.missingRole = nil
        kept.diagnosis.missingAction = nil
        kept.diagnosis.supporting = []
        return kept
    }
}
