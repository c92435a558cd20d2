import TrailModel

/// Failures with the same diagnosis, identity and scope, from the first to the last, and what ended them.
public struct Episode: Sendable {
    public enum Status: String, Sendable { case ongoing, resolved }

    public var diagnosis: Diagnosis
    public var failures: [Failure]
    public var status: Status = .ongoing
    public var resolvedAt: Timestamp?
    /// The change that ended it: a role assignment, a configuration change, a successful request.
    public var resolvedBy: String?
    public var resolutionEvidence: EvidenceReference?
    /// Failures that came after the fix but inside its propagation window.
    public var failuresInPropagationWindow = 0
    /// How long after the fix failures still count as its propagation (milliseconds): 10 minutes for a role
    /// assignment, 24 hours for a group membership change.
    public var propagationWindow = ExplainContext.propagationWindow

    public var code: DiagnosisCode { diagnosis.code }
    public var firstFailure: Timestamp? { failures.compactMap(\.time).min() }
    public var lastFailure: Timestamp? { failures.compactMap(\.time).max() }
    public var nodes: [String] { Array(Set(failures.compactMap(\.node))).sorted() }
    public var tasks: [String] { Array(Set(failures.compactMap(\.task))).sorted() }

    /// Secondary findings, the rules' and the episode's own.
    public var contributing: [DiagnosisCode] {
        var codes = diagnosis.contributing
        if failuresInPropagationWindow > 0, code != .rbacPropagationDelay, !codes.contains(.rbacPropagationDelay) {
            codes.append(.rbacPropagationDelay)
        }
        return codes
    }

    /// The failures' records (the first few and the last, each with the other records that show the same failure),
    /// then the records the diagnosis rests on.
    public var evidence: [EvidenceReference] {
        let shown = failures.count <= 6 ? Array(failures) : Array(failures.prefix(5)) + [failures[failures.count - 1]]
        let records = shown.flatMap { [$0.evidence] + $0.alsoSeenIn }
        var seen = Set<EvidenceReference>()
        return (records + diagnosis.supporting).filter { seen.insert($0).inserted }
    }
}

/// Failures explain could not attribute, grouped by what failed and what evidence is missing.
public struct UnexplainedGroup: Sendable {
    public var diagnosis: Diagnosis
    public var failures: [Failure]
    public var what: String { failures.first?.what ?? "?" }
}
