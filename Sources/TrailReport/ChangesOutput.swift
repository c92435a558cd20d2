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
        var changes: [Change] = []
        for assignment in assignments {
            for interval in assignment.intervals {
                switch interval.start {
                case .exactly(let time):
                    changes.append(Change(time: time, what: "created", detail: "", assignment: assignment, evidence: interval.startEvidence))
                case .between(let absent, let present):
                    changes.append(Change(time: present, what: "created", detail: "between \(absent) and \(present) (absent, then present in snapshots)",
                                          assignment: assignment, evidence: interval.startEvidence))
                case .noLaterThan(let present):
                    changes.append(Change(time: present, what: "present", detail: "in a snapshot at \(present); created earlier, time not in the evidence",
                                          assignment: assignment, evidence: interval.startEvidence))
                }
                switch interval.end {
                case .exactly(let time):
                    changes.append(Change(time: time, what: "deleted", detail: assignment.deletedBy.map { "by \($0)" } ?? "",
                                          assignment: assignment, evidence: interval.endEvidence))
                case .between(let present, let absent):
                    changes.append(Change(time: absent, what: "removed", detail: "between \(present) and \(absent) (present, then absent from snapshots)",
                                          assignment: assignment, evidence: interval.endEvidence))
                case .notEnded: break
                }
            }
        }
        return changes.filter { change in since.map { change.time >= $0 } ?? true }.sorted { ($0.time, $0.what) < ($1.time, $1.what) }
    }

    public static func text(_ changes: [Change], roleName: (RoleAssignmentHistory.Assignment) -> String) -> String {
        guard !changes.isEmpty else { return "No role assignment changes match.\n" }
        var output = ""
        for change in changes {
            let assignment = change.assignment
            output += "\(change.time)  \(change.what.padding(toLength: 8, withPad: " ", startingAt: 0)) \(roleName(assignment))"
            output += " for \(assignment.principalID ?? assignment.principalName ?? "?")"
            output += assignment.principalType.map { " (\($0))" } ?? ""
            output += assignment.isOrphaned ? " [orphaned: principal no longer resolves]" : ""
            output += "\n    at \(assignment.scope?.original ?? "?")"
            if !change.detail.isEmpty { output += "\n    \(change.detail)" }
            if let evidence = change.evidence ?? assignment.evidence.first { output += "\n    --> \(evidence)" }
            output += "\n"
        }
        return output
    }

    public static func json(_ changes: [Change], roleName: (RoleAssignmentHistory.Assignment) -> String) -> JSONValue {
        .object([("changes", .array(changes.map { change in
            let assignment = change.assignment
            return .object([
                ("time", .time(change.time)), ("change", .string(change.what)), ("detail", .string(change.detail.isEmpty ? nil : change.detail)),
                ("assignmentId", .string(assignment.assignmentID)), ("principalId", .string(assignment.principalID)),
                ("principalType", .string(assignment.principalType)), ("orphaned", .bool(assignment.isOrphaned)),
                ("role", .string(roleName(assignment))), ("roleDefinitionGuid", .string(assignment.roleGUID)),
                ("scope", .string(assignment.scope?.original)),
                ("evidence", (change.evidence ?? assignment.evidence.first).map(EvidenceJSON.reference) ?? .null),
            ])
        }))])
    }
}
