import TrailModel

/// Failures with the same diagnosis, identity and scope, from the first to the last, and what ended them.
///
/// An episode does not keep every failure (a store can hold a million of one episode): it keeps their count, their
/// first and last time, the distinct nodes and tasks, and a bounded sample in time order: the first `sampleSize`
/// failures (the evidence lines, the timeline's points) and the last one.
public struct Episode: Sendable {
    public enum Status: String, Sendable { case ongoing, resolved }

    public var diagnosis: Diagnosis
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
    /// How many failures the episode holds.
    public private(set) var failureCount = 0
    /// The earliest and latest time of its failures (failures without a time aside).
    public private(set) var firstFailure: Timestamp?
    public private(set) var lastFailure: Timestamp?
    /// How many of its failures have no time.
    public private(set) var untimedFailureCount = 0
    /// The first `sampleSize` failures, in time order.
    public private(set) var sampledFailures: [Failure] = []
    /// The last failure added (the latest: failures come in time order).
    public private(set) var finalFailure: Failure?
    private var nodeSet: Set<String> = []
    private var taskSet: Set<String> = []

    /// How many of the first failures an episode keeps: the timeline draws at most this many points per episode.
    public static let sampleSize = 500

    public init(diagnosis: Diagnosis, failures: [Failure] = []) {
        self.diagnosis = diagnosis
        for failure in failures { add(failure) }
    }

    public var code: DiagnosisCode { diagnosis.code }
    public var nodes: [String] { nodeSet.sorted() }
    public var tasks: [String] { taskSet.sorted() }
    /// The episode's first failure.
    public var firstRecord: Failure? { sampledFailures.first }

    /// Takes the episode's next failure, which comes no earlier than those it holds.
    public mutating func add(_ failure: Failure) {
        failureCount += 1
        if let time = failure.time {
            firstFailure = min(firstFailure ?? time, time)
            lastFailure = max(lastFailure ?? time, time)
        } else {
            untimedFailureCount += 1
        }
        if let node = failure.node { nodeSet.insert(node) }
        if let task = failure.task { taskSet.insert(task) }
        if sampledFailures.count < Self.sampleSize { sampledFailures.append(failure) }
        finalFailure = failure
    }

    /// Takes the failures of another episode, as if both episodes' failures were sorted together by time (a stable
    /// sort: of two failures at the same time, this episode's comes first).
    mutating func absorb(_ other: Episode) {
        failureCount += other.failureCount
        untimedFailureCount += other.untimedFailureCount
        firstFailure = [firstFailure, other.firstFailure].compactMap { $0 }.min()
        lastFailure = [lastFailure, other.lastFailure].compactMap { $0 }.max()
        nodeSet.formUnion(other.nodeSet)
        taskSet.formUnion(other.taskSet)
        // The first failures of the merged order are among the first of each; sorted the same way as all of them.
        sampledFailures = Array((sampledFailures + other.sampledFailures).sorted { ($0.time ?? .distantPast) < ($1.time ?? .distantPast) }
            .prefix(Self.sampleSize))
        if let theirs = other.finalFailure {
            if let ours = finalFailure, (ours.time ?? .distantPast) > (theirs.time ?? .distantPast) { return }
            finalFailure = theirs
        }
    }

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
        let shown = failureCount <= 6 ? sampledFailures : Array(sampledFailures.prefix(5)) + (finalFailure.map { [$0] } ?? [])
        let records = shown.flatMap { [$0.evidence] + $0.alsoSeenIn }
        var seen = Set<EvidenceReference>()
        return (records + diagnosis.supporting).filter { seen.insert($0).inserted }
    }
}

/// Failures explain could not attribute, grouped by what failed and what evidence is missing: their count, first and
/// last time, and the first `sampleSize` of them (the evidence lines shown).
public struct UnexplainedGroup: Sendable {
    public var diagnosis: Diagnosis
    public private(set) var failureCount = 0
    public private(set) var firstFailure: Timestamp?
    public private(set) var lastFailure: Timestamp?
    /// The first failures of the group, in the order they came.
    public private(set) var sampledFailures: [Failure] = []

    /// How many of the first failures a group keeps as its evidence.
    public static let sampleSize = 5

    public init(diagnosis: Diagnosis, failure: Failure) {
        self.diagnosis = diagnosis
        add(failure)
    }

    public var what: String { sampledFailures.first?.what ?? "?" }
    public var kind: String? { sampledFailures.first?.kind }

    public mutating func add(_ failure: Failure) {
        failureCount += 1
        if let time = failure.time {
            firstFailure = min(firstFailure ?? time, time)
            lastFailure = max(lastFailure ?? time, time)
        }
        if sampledFailures.count < Self.sampleSize { sampledFailures.append(failure) }
    }
}
