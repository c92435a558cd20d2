import TrailExplain
import TrailModel

/// `mitrail access`: the verdict, every assignment considered and why, and the evidence that is missing.
public enum AccessOutput {
    public static func text(_ verdict: AccessVerdict) -> String {
        var output = "\(verdict.verdict.rawValue): "
        output += "\(verdict.principalIDs.joined(separator: " or ")) \(verdict.verdict == .granted ? "could" : verdict.verdict == .notGranted ? "could not" : "may or may not")"
        output += " perform \(verdict.action.isDataAction ? "data action" : "action") \(verdict.action.name)\n"
        output += "  at \(verdict.scope.original)\n  on \(verdict.at)\n"
        if verdict.considered.isEmpty {
            output += "\nNo role assignment of this principal, and none at this scope that would grant it, is in the evidence.\n"
        } else {
            output += "\nAssignments considered:\n"
            for consideration in verdict.considered {
                let mark = consideration.grants == true ? "+" : consideration.grants == nil ? "?" : "-"
                output += "  \(mark) \(consideration.roleName ?? consideration.assignment.roleGUID ?? "?") at \(consideration.assignment.scope?.original ?? "?")"
                output += " (\(consideration.assignment.principalID ?? "?"))\n"
                output += "    \(consideration.reason)\n"
                output += "    in force: \(intervals(consideration.assignment))\n"
                if let evidence = consideration.assignment.evidence.first { output += "    --> \(evidence)\n" }
                if let membership = consideration.membership { output += GroupPathOutput.text(membership, assignment: consideration.assignment) }
            }
        }
        if let snapshot = verdict.coveringSnapshot, verdict.verdict == .notGranted {
            output += "\nBased on the role assignment list \(snapshot.source) taken at \(snapshot.observedAt), which covers this subscription.\n"
        }
        if !verdict.missingEvidence.isEmpty {
            output += "\nEvidence that would settle it:\n"
            for item in verdict.missingEvidence { output += "  - \(item)\n" }
        }
        return output
    }

    public static func json(_ verdict: AccessVerdict) -> JSONValue {
        .object([
            ("verdict", .string(verdict.verdict.rawValue)),
            ("principalId", verdict.principalIDs.count == 1 ? .string(verdict.principalIDs[0]) : .array(verdict.principalIDs.map(JSONValue.string))),
            ("action", .string(verdict.action.name)),
            ("isDataAction", .bool(verdict.action.isDataAction)),
            ("scope", .string(verdict.scope.original)),
            ("at", .time(verdict.at)),
            ("assignments", .array(verdict.considered.map { consideration in
                let assignment = consideration.assignment
                let interval = assignment.intervals.first
                return .object([
                    ("id", .string(assignment.assignmentID ?? assignment.key)),
                    ("principalId", .string(assignment.principalID)),
                    ("role", .string(consideration.roleName)),
                    ("scope", .string(assignment.scope?.original)),
                    ("grants", consideration.grants.map(JSONValue.bool) ?? .null),
                    ("reason", .string(consideration.reason)),
                    ("validFrom", .time(interval.flatMap(exactStart))),
                    ("validTo", .time(interval.flatMap(exactEnd))),
                    ("inForce", .string(intervals(assignment))),
                    ("evidence", .array(assignment.evidence.map(EvidenceJSON.reference))),
                    ("viaGroup", consideration.membership.map(GroupPathOutput.json) ?? .null),
                ])
            })),
            ("coveringSnapshot", verdict.coveringSnapshot.map { snapshot in
                .object([("source", .string(snapshot.source)), ("observedAt", .time(snapshot.observedAt))])
            } ?? .null),
            ("missingEvidence", .array(verdict.missingEvidence.map(JSONValue.string))),
        ])
    }

    static func exactStart(_ interval: AssignmentInterval) -> Timestamp? {
        if case .exactly(let time) = interval.start { return time }
        return nil
    }

    static func exactEnd(_ interval: AssignmentInterval) -> Timestamp? {
        if case .exactly(let time) = interval.end { return time }
        return nil
    }

    /// The assignment's periods in words: "from 2026-...Z (createdOn), removed between ... and ...".
    public static func intervals(_ assignment: RoleAssignmentHistory.Assignment) -> String {
        intervals(assignment.intervals)
    }

    /// The same for any periods (a group membership's too: its snapshots are membership lists).
    public static func intervals(_ periods: [AssignmentInterval], snapshot: String = "snapshot") -> String {
        guard !periods.isEmpty else { return "no time is known" }
        return periods.map { interval in
            let start: String
            switch interval.start {
            case .exactly(let time): start = "from \(time)"
            case .between(let absent, let present): start = "created between \(absent) and \(present)"
            case .noLaterThan(let present): start = "since before \(present) (first \(snapshot))"
            }
            switch interval.end {
            case .exactly(let time): return start + ", until \(time) (deleted)"
            case .between(let present, let absent): return start + ", removed between \(present) and \(absent)"
            case .notEnded: return start + ", not ended in the evidence"
            }
        }.joined(separator: "; ")
    }
}
