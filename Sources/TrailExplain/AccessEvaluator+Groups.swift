import TrailModel

/// What the membership evidence says about the principal and the group a role assignment was made to.
public struct GroupMembershipVerdict: Sendable {
    public var groupID: String
    public var groupName: String?
    /// The principal the answer is about (the first of those asked that the answer holds for).
    public var principalID: String
    public var at: Timestamp
    public var answer: MembershipAnswer
    /// The commands that would settle a `possible` or `noEvidence` answer.
    public var missingEvidence: [String] = []
    /// Display names of the groups on the path, by ID.
    public var groupNames: [String: String] = [:]

    /// "grp-readers (00000000-…)" for a group on the path, else its ID.
    public func describeGroup(_ id: String) -> String {
        (id == groupID ? groupName : nil).map { "\($0) (\(id))" } ?? groupNames[id].map { "\($0) (\(id))" } ?? id
    }

    public var isMember: Bool {
        if case .member = answer { return true }
        return false
    }

    public var isKnownNotMember: Bool {
        if case .notMember = answer { return true }
        return false
    }

    /// The path from the principal up to the group, when it was a member.
    public var path: [MembershipStep] {
        if case .member(let steps) = answer { return steps }
        return []
    }

    /// `member`, `possible`, `not-member` or `no-evidence`, for JSON.
    public var state: String {
        switch answer {
        case .member: return "member"
        case .possible: return "possible"
        case .notMember: return "not-member"
        case .noEvidence: return "no-evidence"
        }
    }

    /// The records the answer rests on: each step's, or those that show it was not a member.
    public var evidence: [EvidenceReference] {
        switch answer {
        case .member(let steps): return steps.compactMap(\.evidence)
        case .notMember(_, let evidence), .possible(_, let evidence): return evidence
        case .noEvidence: return []
        }
    }
}

extension AccessEvaluator {
    /// The membership verdict when `assignment` was made to a group, for the best-placed of `principals`
    /// (a member wins, then "possible", then "no evidence"; "not a member" only when it holds for every one).
    func groupMembership(of assignment: RoleAssignmentHistory.Assignment, principals: [String], at time: Timestamp) -> GroupMembershipVerdict? {
        guard let group = assignment.principalID, assignment.principalType?.lowercased() == "group" || memberships.isGroup(group) else { return nil }
        let verdicts = principals.sorted().map { principal in
            GroupMembershipVerdict(groupID: group, groupName: memberships.groupNames[group] ?? assignment.principalName, principalID: principal,
                                   at: time, answer: memberships.answer(member: principal, group: group, at: time))
        }
        func rank(_ verdict: GroupMembershipVerdict) -> Int {
            switch verdict.answer {
            case .member: return 0
            case .possible: return 1
            case .noEvidence: return 2
            case .notMember: return 3
            }
        }
        guard var best = verdicts.min(by: { rank($0) < rank($1) }) else { return nil }
        for step in best.path { best.groupNames[step.groupID] = memberships.groupNames[step.groupID] }
        if !best.isMember && !best.isKnownNotMember {
            best.missingEvidence = verdicts.filter { !$0.isKnownNotMember }.map {
                memberships.settlingEvidence(member: $0.principalID, group: group, at: time)
            }
        }
        return best
    }

    /// Rewrites a consideration of an assignment to a group, reasoned as if the principal held it, with what
    /// the membership says: a member keeps its verdict ("via group"); unknown membership turns a grant into
    /// "cannot tell"; a known non-member does not get it.
    func applyGroup(_ group: GroupMembershipVerdict, to consideration: inout AccessVerdict.Consideration, missing: inout [String]) {
        consideration.membership = group
        let name = "group " + (group.groupName.map { "\($0) (\(group.groupID))" } ?? group.groupID)
        switch group.answer {
        case .member(let steps):
            consideration.reason += " via \(name): " + ([group.principalID] + steps.map { group.describeGroup($0.groupID) }).joined(separator: " → ")
        case .possible(let why, _) where consideration.grants != false:
            consideration.grants = nil
            missing += group.missingEvidence
            consideration.reason = "assigned to \(name): \(consideration.reason); whether \(group.principalID) was a member at \(group.at) is not known: \(why)"
        case .noEvidence where consideration.grants != false:
            consideration.grants = nil
            missing += group.missingEvidence
            consideration.reason = "assigned to \(name): \(consideration.reason); whether \(group.principalID) was a member at \(group.at) is not in the evidence"
        case .notMember(let why, _):
            consideration.grants = false
            consideration.reason = "assigned to \(name), which \(group.principalID) was not a member of at \(group.at): \(why)"
        case .possible, .noEvidence:
            consideration.reason = "assigned to \(name): \(consideration.reason)"
        }
    }
}
