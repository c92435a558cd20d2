import TrailExplain
import TrailModel

/// The path from a principal through its groups to an assignment made to a group, step by step with the
/// evidence of each step, for `access`, `changes` and explain.
public enum GroupPathOutput {
    /// The path lines under an assignment in `access`: identity → group (→ group) → assignment, or what is unknown.
    public static func text(_ membership: GroupMembershipVerdict, assignment: RoleAssignmentHistory.Assignment) -> String {
        var output = "    path: \(membership.principalID)\n"
        switch membership.answer {
        case .member(let steps):
            for step in steps {
                output += "      → member of group \(membership.describeGroup(step.groupID)): \(step.summary)"
                output += step.evidence.map { " --> \($0)" } ?? ""
                output += "\n"
            }
        case .possible(let why, let evidence):
            output += "      ? group \(membership.describeGroup(membership.groupID)): \(why)"
            output += evidence.first.map { " --> \($0)" } ?? ""
            output += "\n"
        case .notMember(let why, let evidence):
            output += "      ✗ group \(membership.describeGroup(membership.groupID)): not a member (\(why))"
            output += evidence.first.map { " --> \($0)" } ?? ""
            output += "\n"
        case .noEvidence:
            output += "      ? group \(membership.describeGroup(membership.groupID)): no membership evidence\n"
        }
        output += "      → \(assignment.roleName ?? assignment.roleGUID ?? "role") at \(assignment.scope?.original ?? "?")"
        output += assignment.evidence.first.map { " --> \($0)" } ?? ""
        return output + "\n"
    }

    public static func json(_ membership: GroupMembershipVerdict) -> JSONValue {
        .object([
            ("groupId", .string(membership.groupID)),
            ("groupName", .string(membership.groupName)),
            ("principalId", .string(membership.principalID)),
            ("membership", .string(membership.state)),
            ("path", .array(membership.path.map { step in
                .object([
                    ("memberId", .string(step.memberID)), ("groupId", .string(step.groupID)),
                    ("relation", .string(step.membership.relation.rawValue)), ("how", .string(step.summary)),
                    ("evidence", step.evidence.map(EvidenceJSON.reference) ?? .null),
                ])
            })),
            ("evidence", .array(membership.evidence.map(EvidenceJSON.reference))),
        ])
    }
}

extension GroupPathOutput {
    /// `mitrail identities`: one line per group the principals were seen in, with its periods and evidence.
    static func groupsText(of principals: [String], memberships: GroupMembershipHistory) -> String {
        var output = ""
        for membership in principals.flatMap({ memberships.memberships(ofMember: $0) }) {
            output += "  group         \(line(membership, memberships))\n"
            // The groups it is in through this one, one level up.
            for outer in memberships.memberships(ofMember: membership.groupID) {
                output += "                through it, \(line(outer, memberships))\n"
            }
        }
        return output
    }

    static func line(_ membership: GroupMembershipHistory.Membership, _ memberships: GroupMembershipHistory) -> String {
        "\(memberships.describeGroup(membership.groupID)): " + (membership.relation == .direct ? "direct member" : "member (transitively)")
            + ", \(AccessOutput.intervals(membership.intervals, snapshot: "membership list"))"
            + (membership.addedBy.map { ", added by \($0)" } ?? "") + (membership.removedBy.map { ", removed by \($0)" } ?? "")
            + (membership.evidence.first.map { " --> \($0)" } ?? "")
    }

    static func groupsJSON(of principals: [String], memberships: GroupMembershipHistory) -> JSONValue {
        .array(principals.flatMap { memberships.memberships(ofMember: $0) }.map { membership in
            let unnamed = membership.groupID.hasPrefix("unnamed:")
            return .object([
                ("groupId", .string(unnamed ? nil : membership.groupID)),
                ("groupName", .string(memberships.groupNames[membership.groupID])),
                ("principalId", .string(membership.memberID)),
                ("relation", .string(membership.relation.rawValue)),
                ("inGroup", .string(AccessOutput.intervals(membership.intervals, snapshot: "membership list"))),
                ("seenAt", .array(membership.seenAt.map { .time($0) })),
                ("evidence", .array(membership.evidence.map(EvidenceJSON.reference))),
            ])
        })
    }
}
