import TrailExplain
import TrailModel
import TrailStore

/// Everything a support engineer sends a customer: the explanation plus the summary and the sources it rests on.
public struct IncidentReport: Sendable {
    public var explanation: Explanation
    public var sources: [SourceSummary]
    public var identities: [ResolvedIdentity]
    public var generatedAt: Timestamp
    public var window: (since: Timestamp?, until: Timestamp?)

    public init(store: any EvidenceReader, filter: ExplainFilter = ExplainFilter(), now: Timestamp = .now) throws {
        explanation = try Explainer.explain(store: store, filter: filter)
        sources = try store.sources()
        identities = try IdentityResolver.resolve(store: store)
        generatedAt = now
        window = (filter.since, filter.until)
    }

    /// The first and last failure of every episode and unexplained group.
    public var span: (Timestamp, Timestamp)? {
        let times = explanation.episodes.flatMap { [$0.firstFailure, $0.lastFailure].compactMap { $0 } }
            + explanation.unexplained.flatMap { [$0.firstFailure, $0.lastFailure].compactMap { $0 } }
            + explanation.episodes.compactMap(\.resolvedAt)
        guard let first = times.min(), let last = times.max() else { return nil }
        return (first, last)
    }

    /// Episodes counted by diagnosis code and status, for the summary.
    public var episodesByDiagnosis: [(code: DiagnosisCode, ongoing: Int, resolved: Int)] {
        var counts: [DiagnosisCode: (Int, Int)] = [:]
        for episode in explanation.episodes {
            var count = counts[episode.code] ?? (0, 0)
            if episode.status == .ongoing { count.0 += 1 } else { count.1 += 1 }
            counts[episode.code] = count
        }
        return counts.keys.sorted().map { ($0, counts[$0]!.0, counts[$0]!.1) }
    }

    /// The identities the episodes are about, by display name.
    public var identitiesInvolved: [String] {
        Array(Set(explanation.episodes.map(\.diagnosis.identity.displayName))).sorted()
    }

    public var recordCount: Int { sources.reduce(0) { $0 + $1.counts.stored } }
}
