import TrailModel

/// What explain says about assignments made to groups: the sentences of reasons, the evidence, the fix.
extension RoleCheck {
    /// Assignments to groups that would grant the permission, with the principal's membership verdict.
    var groupGrants: [(AccessVerdict.Consideration, GroupMembershipVerdict)] {
        verdict.considered.compactMap { consideration in
            guard let membership = consideration.membership, !consideration.reason.contains(" has no ") else { return nil }
            return (consideration, membership)
        }
    }

    /// " Storage Blob Data Reader at … is assigned to group grp-readers (…), which it was not a member of: …"
    var notMemberGroupsSentence: String {
        groupGrants.compactMap { consideration, membership in
            guard case .notMember(let why, _) = membership.answer else { return nil }
            return " \(consideration.roleName ?? "A role") at \(consideration.assignment.scope?.original ?? "the scope") is assigned to group "
                + "\(membership.describeGroup(membership.groupID)), which it was not a member of at \(at): \(why)."
        }.joined()
    }

    /// " Storage Blob Data Reader at … is assigned to group grp-readers (…); whether it was a member … is not in the evidence."
    var unknownGroupsSentence: String {
        groupGrants.compactMap { consideration, membership in
            guard consideration.grants == nil, !membership.isMember, !membership.isKnownNotMember else { return nil }
            let detail: String
            if case .possible(let why, _) = membership.answer { detail = "not known (\(why))" } else { detail = "not in the evidence" }
            return " \(consideration.roleName ?? "A role") at \(consideration.assignment.scope?.original ?? "the scope") is assigned to group "
                + "\(membership.describeGroup(membership.groupID)); whether \(membership.principalID) was a member of it at \(at) is \(detail)."
        }.joined()
    }

    /// " It holds Storage Blob Data Reader at … through group grp-readers: uami → grp-readers (direct member, … --> list:2)."
    var memberGroupsSentence: String {
        groupGrants.compactMap { consideration, membership in
            guard consideration.grants == true, membership.isMember else { return nil }
            let steps = membership.path.map { step in
                "\(membership.describeGroup(step.groupID)) (\(step.summary)\(step.evidence.map { " --> \($0)" } ?? ""))"
            }
            return " It holds \(consideration.roleName ?? "the role") at \(consideration.assignment.scope?.original ?? "the scope") through group "
                + "\(membership.describeGroup(membership.groupID)): \(([membership.principalID] + steps).joined(separator: " → "))."
        }.joined()
    }

    /// The membership records the verdict rests on (lists, checks, audit events), for an episode's evidence.
    var groupEvidence: [EvidenceReference] {
        groupGrants.flatMap { $0.1.evidence }.uniqued()
    }

    /// "   # or add it to group grp-readers, which holds … there: az ad group member add --group ID --member-id PRINCIPAL",
    /// beside a direct assignment, for each group that would grant the permission and does not contain the principal.
    func joinGroupFix(principal: String?) -> String {
        groupGrants.compactMap { consideration, membership in
            guard membership.isKnownNotMember, consideration.assignment.inForce(at: at) == .yes else { return nil }
            return "   # or add it to group \(membership.groupName ?? membership.groupID), which holds \(consideration.roleName ?? "the role") there: "
                + FixCommands.addGroupMember(group: membership.groupID, member: principal)
        }.joined()
    }
}

extension FixCommands {
    /// `az ad group member add` for a principal (a managed identity's service principal).
    static func addGroupMember(group: String, member: String?) -> String {
        "az ad group member add --group \(group) --member-id \(member ?? "<principal-id>")"
    }
}
