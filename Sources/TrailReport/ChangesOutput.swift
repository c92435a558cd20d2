import TrailExplain
import TrailModel

/// `mitrail changes`: the history of role assignments, one line per change, in time order.
public enum ChangesOutput {
    public struct Change: Sendable {
        public var time: Timestamp
        /// `created`, `deleted`, `created between`, `removed between`, `seen`.
        public var what: String
        public var detail: String
        public var assignment: RoleAssignmentHistory.Assignment
        /// The record that shows the change.
        public var evidence: EvidenceReference?
    }

    /// The changes of the assignments, optionally from `since` on.
    public static func changes(_ assignments: [RoleAssignmentHistory.Assignment], roleNames: (RoleAssignmentHistory.Assignment) -> String,
                               since: Timestamp?) -> [Change] {
        let words = IntervalWords(start: "created", end: "deleted", snapshots: "snapshots", absentFrom: "snapshots")
        let changes = assignments.flatMap { assignment in
            intervalChanges(assignment.intervals, words: words, endedBy: assignment.deletedBy).map {
                Change(time: $0.time, what: $0.what, detail: $0.detail, assignment: assignment, evidence: $0.evidence)
            }
        }
        return changes.filter { change in since.map { change.time >= $0 } ?? true }.sorted { ($0.time, $0.what) < ($1.time, $1.what) }
    }

    /// How a kind of period is spoken of: a role assignment is created and deleted, seen in snapshots; a membership
    /// is added and removed, seen in membership lists.
    struct IntervalWords {
        var start: String
        var end: String
        var snapshots: String
        var absentFrom: String
        var startedBy: String? = nil
    }

    /// One change per start and end of the periods: exact ones, and "between" where the evidence cannot pin the time.
    static func intervalChanges(_ intervals: [AssignmentInterval], words: IntervalWords, endedBy: String?)
        -> [(time: Timestamp, what: String, detail: String, evidence: EvidenceReference?)] {
        var changes: [(time: Timestamp, what: String, detail: String, evidence: EvidenceReference?)] = []
        let snapshot = String(words.snapshots.dropLast())
        for interval in intervals {
            switch interval.start {
            case .exactly(let time):
                changes.append((time, words.start, words.startedBy.map { "by \($0)" } ?? "", interval.startEvidence))
            case .between(let absent, let present):
                changes.append((present, words.start, "between \(absent) and \(present) (absent, then present in \(words.snapshots))", interval.startEvidence))
            case .noLaterThan(let present):
                changes.append((present, "present", "in a \(snapshot) at \(present); \(words.start) earlier, time not in the evidence", interval.startEvidence))
            }
            switch interval.end {
            case .exactly(let time):
                changes.append((time, words.end, endedBy.map { "by \($0)" } ?? "", interval.endEvidence))
            case .between(let present, let absent):
                changes.append((absent, "removed", "between \(present) and \(absent) (present, then absent from \(words.absentFrom))", interval.endEvidence))
            case .notEnded: break
            }
        }
        return changes
    }

    /// Role assignment changes and group membership changes, in one time order; under an assignment to a group,
    /// the path from `principal` (or the group's known members).
    public static func text(_ changes: [Change], memberships membershipChanges: [MembershipChangesOutput.Change] = [],
                            groups: GroupMembershipHistory = .empty, principal: String? = nil,
                            roleName: (RoleAssignmentHistory.Assignment) -> String) -> String {
        guard !changes.isEmpty || !membershipChanges.isEmpty else { return "No role assignment changes match.\n" }
        var lines: [(Timestamp, Int, String)] = []
        for change in changes {
            let assignment = change.assignment
            var output = "\(change.time)  \(change.what.padding(toLength: 8, withPad: " ", startingAt: 0)) \(roleName(assignment))"
            output += " for \(assignment.principalID ?? assignment.principalName ?? "?")"
            output += assignment.principalType.map { " (\($0))" } ?? ""
            output += assignment.isOrphaned ? " [orphaned: principal no longer resolves]" : ""
            output += "\n    at \(assignment.scope?.original ?? "?")"
            output += MembershipChangesOutput.groupLines(assignment, principal: principal, memberships: groups)
            if !change.detail.isEmpty { output += "\n    \(change.detail)" }
            if let evidence = change.evidence ?? assignment.evidence.first { output += "\n    --> \(evidence)" }
            lines.append((change.time, lines.count, output + "\n"))
        }
        for change in membershipChanges {
            lines.append((change.time, lines.count, MembershipChangesOutput.text(change, memberships: groups) + "\n"))
        }
        return lines.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2).joined()
    }

    public static func json(_ changes: [Change], memberships membershipChanges: [MembershipChangesOutput.Change] = [],
                            groups: GroupMembershipHistory = .empty, roleName: (RoleAssignmentHistory.Assignment) -> String) -> JSONValue {
        var items: [(Timestamp, Int, JSONValue)] = changes.enumerated().map { index, change in
            let assignment = change.assignment
            return (change.time, index, .object([
                ("time", .time(change.time)), ("change", .string(change.what)), ("detail", .string(change.detail.isEmpty ? nil : change.detail)),
                ("assignmentId", .string(assignment.assignmentID)), ("principalId", .string(assignment.principalID)),
                ("principalType", .string(assignment.principalType)), ("orphaned", .bool(assignment.isOrphaned)),
                ("role", .string(roleName(assignment))), ("roleDefinitionGuid", .string(assignment.roleGUID)),
                ("scope", .string(assignment.scope?.original)),
                ("evidence", (change.evidence ?? assignment.evidence.first).map(EvidenceJSON.reference) ?? .null),
            ]))
        }
        for change in membershipChanges {
            items.append((change.time, items.count, MembershipChangesOutput.json(change, memberships: groups)))
        }
        return .object([("changes", .array(items.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)))])
    }
}
