import Foundation
import TrailModel

/// Verdicts already evaluated, by principal, action, scope and stretch of time (see `ExplainContext.roleCheck`).
final class RoleCheckCache: @unchecked Sendable {
    struct Question: Hashable {
        var principal: String
        var action: String
        var isDataAction: Bool
        var scope: String
    }

    /// What one question needs: the history cut to the assignments it considers, and their change points.
    struct Relevant {
        var history: RoleAssignmentHistory
        var changePoints: [Timestamp]
        var verdicts: [Stretch: RoleCheckFacts] = [:]
    }

    /// Where a time falls among the change points: how many lie before it, and whether it is one of them.
    struct Stretch: Hashable {
        var before: Int
        var isChangePoint: Bool
    }

    private let history: RoleAssignmentHistory
    /// When membership answers can change: a verdict through a group holds only between two of them.
    private let membershipChangePoints: [Timestamp]
    private var questions: [Question: Relevant] = [:]
    private let lock = NSLock()

    init(history: RoleAssignmentHistory, memberships: GroupMembershipHistory = .empty) {
        self.history = history
        membershipChangePoints = memberships.changePoints
    }

    /// The cached verdict (and what the rules read from it) for the question at `time`, else the one `evaluate`
    /// gives (with the cut history once there is one), cached.
    func facts(_ question: Question, at time: Timestamp, evaluate: (RoleAssignmentHistory?) -> AccessVerdict) -> RoleCheckFacts {
        lock.lock()
        let known = questions[question]
        lock.unlock()
        if var relevant = known {
            let stretch = Self.stretch(of: time, among: relevant.changePoints)
            if let cached = relevant.verdicts[stretch] { return cached }
            let facts = RoleCheckFacts(evaluate(relevant.history))
            relevant.verdicts[stretch] = facts
            lock.lock()
            questions[question] = relevant
            lock.unlock()
            return facts
        }
        let facts = RoleCheckFacts(evaluate(nil))
        var cut = history
        var seen = Set<String>()
        cut.assignments = facts.verdict.considered.map(\.assignment).filter { seen.insert($0.key).inserted }
        let groups = facts.verdict.considered.contains { $0.membership != nil }
        var relevant = Relevant(history: cut, changePoints: Self.changePoints(cut, adding: groups ? membershipChangePoints : []))
        relevant.verdicts[Self.stretch(of: time, among: relevant.changePoints)] = facts
        lock.lock()
        questions[question] = relevant
        lock.unlock()
        return facts
    }

    static func changePoints(_ history: RoleAssignmentHistory, adding extra: [Timestamp] = []) -> [Timestamp] {
        var points = Set(history.snapshots.map(\.observedAt) + extra)
        for assignment in history.assignments {
            for interval in assignment.intervals {
                switch interval.start {
                case .exactly(let time), .noLaterThan(let time): points.insert(time)
                case .between(let first, let second): points.formUnion([first, second])
                }
                switch interval.end {
                case .exactly(let time): points.insert(time)
                case .between(let first, let second): points.formUnion([first, second])
                case .notEnded: break
                }
            }
        }
        return points.sorted()
    }

    static func stretch(of time: Timestamp, among changePoints: [Timestamp]) -> Stretch {
        var low = 0, high = changePoints.count
        while low < high {
            let middle = (low + high) / 2
            if changePoints[middle] < time { low = middle + 1 } else { high = middle }
        }
        return Stretch(before: low, isChangePoint: low < changePoints.count && changePoints[low] == time)
    }
}

extension AccessVerdict {
    /// The same verdict asked at another time of the same stretch: only the time it names changes.
    func restamped(at time: Timestamp) -> AccessVerdict {
        guard time != at else { return self }
        var verdict = self
        let old = at.iso8601, new = time.iso8601
        verdict.missingEvidence = missingEvidence.map { $0.replacingOccurrences(of: old, with: new) }
        verdict.at = time
        return verdict
    }
}

/// The access verdict and what it implies for a diagnosis.
struct RoleCheck: Sendable {
    let verdict: AccessVerdict
    let at: Timestamp
    /// What the rules read from the verdict, shared by every time of the same stretch (see `RoleCheckCache`).
    let facts: RoleCheckFacts

    init(verdict: AccessVerdict, at: Timestamp, facts: RoleCheckFacts? = nil) {
        self.verdict = verdict
        self.at = at
        self.facts = facts ?? RoleCheckFacts(verdict)
    }

    var grantsToOthers: [AccessVerdict.Consideration] { facts.grantsToOthers }
    var controlPlaneOnly: [AccessVerdict.Consideration] { facts.controlPlaneOnly }
    var heldRoles: [String] { facts.heldRoles }
    var endedGrants: [(String, Timestamp, String?)] { facts.endedGrants }

    /// The granting assignment and when it started, when it started shortly before the time asked about.
    func recentGrant(within window: Int64) -> (RoleAssignmentHistory.Assignment, Timestamp)? {
        for consideration in facts.granting {
            for interval in consideration.assignment.intervals where interval.inForce(at: at) == .yes {
                let start = interval.knownFrom
                if case .exactly = interval.start, at.millisecondsSince1970 - start.millisecondsSince1970 <= window {
                    return (consideration.assignment, start)
                }
            }
        }
        return nil
    }
}

/// What the rules read from one verdict, worked out once: every time of the same stretch of the history gives
/// the same answers (the assignments' in-force states do not change inside a stretch).
final class RoleCheckFacts: @unchecked Sendable {
    let verdict: AccessVerdict

    init(_ verdict: AccessVerdict) {
        self.verdict = verdict
    }

    /// The principal's own assignments among those considered.
    lazy var own: [AccessVerdict.Consideration] = {
        let principals = Set(verdict.principalIDs.map { $0.lowercased() })
        return verdict.considered.filter { ($0.assignment.principalID.map(principals.contains) ?? false) || $0.membership?.isMember == true }
    }()

    /// The considered assignments that grant.
    lazy var granting: [AccessVerdict.Consideration] = verdict.considered.filter { $0.grants == true }

    /// Granting assignments held by other principals at the scope, in force at the time.
    lazy var grantsToOthers: [AccessVerdict.Consideration] = {
        let principals = Set(verdict.principalIDs.map { $0.lowercased() })
        return verdict.considered.filter { consideration in
            !(consideration.assignment.principalID.map(principals.contains) ?? false)
                && consideration.reason.hasPrefix("assigned to another principal")
                && consideration.assignment.inForce(at: verdict.at) == .yes
        }
    }()

    /// The first of `grantsToOthers` that is orphaned or held by one of `principals`: the index of each
    /// principal's first one, worked out once, so that a question asked for every failure does not walk them all.
    func firstGrantToOther(orphanedOr principals: Set<String>) -> AccessVerdict.Consideration? {
        let candidates = principals.compactMap { firstGrantByPrincipal[$0] } + (firstOrphanedGrant.map { [$0] } ?? [])
        return candidates.min().map { grantsToOthers[$0] }
    }

    private lazy var firstGrantByPrincipal: [String: Int] = {
        var first: [String: Int] = [:]
        for (index, consideration) in grantsToOthers.enumerated() {
            if let principal = consideration.assignment.principalID, first[principal] == nil { first[principal] = index }
        }
        return first
    }()

    private lazy var firstOrphanedGrant: Int? = grantsToOthers.firstIndex { $0.assignment.isOrphaned }

    /// The principal's own assignments at the scope or above, in force at the time or with no known start:
    /// what it "holds" in the catalog's sense.
    lazy var held: [AccessVerdict.Consideration] = own.filter { consideration in
        guard !consideration.reason.hasPrefix("scope ") else { return false }
        switch consideration.assignment.inForce(at: verdict.at) {
        case .yes, .unknown: return true
        case .notYetCreated, .ended, .never: return false
        }
    }

    /// The held assignments whose roles have only control-plane actions.
    lazy var controlPlaneOnly: [AccessVerdict.Consideration] = held.filter { $0.controlPlaneOnly && $0.grants == false }

    /// The names of the roles held, whatever they grant.
    lazy var heldRoles: [String] = held.compactMap(\.roleName).uniqued()

    /// The principal's assignments at the scope or above that would grant the permission but had ended by the time:
    /// role name, when it ended, and who deleted it when an Activity Log says.
    lazy var endedGrants: [(String, Timestamp, String?)] = own.compactMap { consideration in
        guard consideration.reason.contains("would grant it, but the assignment was gone"),
              case .ended(let ended) = consideration.assignment.inForce(at: verdict.at) else { return nil }
        return (consideration.roleName ?? "role", ended, consideration.assignment.deletedBy)
    }
}
