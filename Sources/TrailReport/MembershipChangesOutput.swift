import TrailExplain
import TrailModel

/// `mitrail changes`: group membership changes next to role assignment changes, and what each assignment
/// to a group means for the principals the evidence shows in it.
public enum MembershipChangesOutput {
    public struct Change: Sendable {
        public var time: Timestamp
        /// `added`, `removed`, `present`.
        public var what: String
        public var detail: String
        public var membership: GroupMembershipHistory.Membership
        public var evidence: EvidenceReference?
    }

    /// The changes of the memberships, optionally from `since` on, in time order.
    public static func changes(_ memberships: [GroupMembershipHistory.Membership], since: Timestamp?) -> [Change] {
        let changes = memberships.flatMap { membership in
            let words = ChangesOutput.IntervalWords(start: "added", end: "removed", snapshots: "membership lists", absentFrom: "a complete list",
                                                    startedBy: membership.addedBy)
            return ChangesOutput.intervalChanges(membership.intervals, words: words, endedBy: membership.removedBy).map {
                Change(time: $0.time, what: $0.what, detail: $0.detail, membership: membership, evidence: $0.evidence)
            }
        }
        return changes.filter { change in since.map { change.time >= $0 } ?? true }.sorted { ($0.time, $0.what) < ($1.time, $1.what) }
    }

    /// One change as the text output's lines (without the trailing newline).
    static func text(_ change: Change, memberships: GroupMembershipHistory) -> String {
        let membership = change.membership
        var output = "\(change.time)  \(change.what.padding(toLength: 8, withPad: " ", startingAt: 0)) \(membership.memberID)"
        output += [membership.memberType, membership.memberName].compactMap { $0 }.isEmpty ? ""
            : " (" + [membership.memberType, membership.memberName].compactMap { $0 }.joined(separator: " ") + ")"
        output += change.what == "removed" ? " from" : change.what == "added" ? " to" : " in"
        output += " group \(memberships.describeGroup(membership.groupID))"
        output += membership.relation == .transitive ? " (transitively)" : ""
        if !change.detail.isEmpty { output += "\n    \(change.detail)" }
        if let evidence = change.evidence ?? membership.evidence.first { output += "\n    --> \(evidence)" }
        return output
    }

    static func json(_ change: Change, memberships: GroupMembershipHistory) -> JSONValue {
        let membership = change.membership
        return .object([
            ("time", .time(change.time)), ("change", .string("member-" + change.what)), ("detail", .string(change.detail.isEmpty ? nil : change.detail)),
            ("groupId", .string(membership.groupID.hasPrefix("unnamed:") ? nil : membership.groupID)),
            ("groupName", .string(memberships.groupNames[membership.groupID])),
            ("memberId", .string(membership.memberID)), ("memberType", .string(membership.memberType)),
            ("relation", .string(membership.relation.rawValue)),
            ("evidence", (change.evidence ?? membership.evidence.first).map(EvidenceJSON.reference) ?? .null),
        ])
    }

    /// The lines under an assignment to a group: the path from `principal` when it was in the group, else the
    /// members the evidence shows in it.
    static func groupLines(_ assignment: RoleAssignmentHistory.Assignment, principal: String?, memberships: GroupMembershipHistory) -> String {
        guard let group = assignment.principalID, assignment.principalType?.lowercased() == "group" || memberships.isGroup(group) else { return "" }
        var output = "\n    group \(memberships.describeGroup(group))"
        if let principal, let path = pathEver(from: principal, to: group, memberships: memberships) {
            output += ": \(principal)"
            for step in path {
                output += "\n      → member of \(memberships.describeGroup(step.groupID)): \(AccessOutput.intervals(step.intervals, snapshot: "membership list"))"
                output += step.evidence.first.map { " --> \($0)" } ?? ""
            }
            return output
        }
        let members = memberships.memberships(inGroup: group)
        output += members.isEmpty ? "; no membership evidence for it"
            : "; members in the evidence: " + members.map { [$0.memberID, $0.memberName].compactMap { $0 }.joined(separator: " ") }.uniqued().joined(separator: ", ")
        return output
    }

    /// The memberships leading from `principal` up to `group` at any time (through nested groups), if the evidence has one.
    static func pathEver(from principal: String, to group: String, memberships: GroupMembershipHistory,
                         visited: Set<String> = []) -> [GroupMembershipHistory.Membership]? {
        guard visited.count < 8 else { return nil }
        for membership in memberships.memberships(ofMember: principal) where !visited.contains(membership.groupID) {
            if membership.groupID == group { return [membership] }
            if let rest = pathEver(from: membership.groupID, to: group, memberships: memberships, visited: visited.union([principal])) {
                return [membership] + rest
            }
        }
        return nil
    }

    /// The groups `principal` was ever in, through nesting.
    public static func groupsEver(of principal: String, memberships: GroupMembershipHistory) -> Set<String> {
        var found: Set<String> = []
        var queue = [principal.lowercased()]
        while let next = queue.popLast() {
            for membership in memberships.memberships(ofMember: next) where found.insert(membership.groupID).inserted {
                queue.append(membership.groupID)
            }
        }
        return found
    }
}
