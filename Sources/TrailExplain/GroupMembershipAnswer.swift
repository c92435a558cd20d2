import TrailModel

/// One step of the path from a principal up to the group an assignment names: `memberID` is in `groupID`.
public struct MembershipStep: Sendable {
    public var membership: GroupMembershipHistory.Membership
    /// The period in force at the time asked about.
    public var interval: AssignmentInterval?

    public var memberID: String { membership.memberID }
    public var groupID: String { membership.groupID }

    init(_ membership: GroupMembershipHistory.Membership, at time: Timestamp) {
        self.membership = membership
        interval = membership.interval(at: time)
    }

    /// The evidence the step rests on: what started the period in force, else the membership's first record.
    public var evidence: EvidenceReference? { interval?.startEvidence ?? membership.evidence.first }
}

/// Whether a principal was in a group at a time, transitively.
public enum MembershipAnswer: Sendable {
    /// It was: the path from the principal (first step) up to the group (last step).
    case member([MembershipStep])
    /// The evidence shows it in the group around that time but cannot place the change: why, and the records.
    case possible(String, [EvidenceReference])
    /// It was not: why, and the records that show it.
    case notMember(String, [EvidenceReference])
    /// No evidence says either way.
    case noEvidence
}

extension GroupMembershipHistory {
    /// Paths longer than this are not followed (nested groups rarely go deeper).
    static let maximumDepth = 8

    /// Whether `member` was in `group` at `time`: directly, through a group nested in it, or through a group the
    /// member is in; `notMember` only when a complete list (or a check) taken at or after the time covers it.
    public func answer(member: String, group: String, at time: Timestamp) -> MembershipAnswer {
        var known: [String: MembershipAnswer] = [:]
        return answer(Self.normalizedID(member), Self.normalizedID(group), time, visited: [], known: &known)
    }

    /// `visited` holds the pairs on the path being followed (a cycle ends there); `known` the answers already worked
    /// out during this question, so that wide nesting is not walked again for every path that reaches it.
    func answer(_ member: String, _ group: String, _ time: Timestamp, visited: Set<String>, known: inout [String: MembershipAnswer]) -> MembershipAnswer {
        let key = member + ">" + group
        if let answer = known[key] { return answer }
        // Back at a pair on the path (groups nested in a cycle): whatever it holds, the walk above finds it.
        if visited.contains(key) { return .notMember("", []) }
        guard visited.count < Self.maximumDepth else { return .noEvidence }
        let answer = answerOnce(member, group, time, visited: visited.union([key]), known: &known)
        known[key] = answer
        return answer
    }

    func answerOnce(_ member: String, _ group: String, _ time: Timestamp, visited: Set<String>, known: inout [String: MembershipAnswer]) -> MembershipAnswer {
        var possible: [String] = []
        var possibleEvidence: [EvidenceReference] = []
        var notes: [String] = []
        for relation in [Relation.direct, .transitive] {
            guard let membership = membership(of: member, in: group, relation) else { continue }
            switch membership.inForce(at: time) {
            case .yes: return .member([MembershipStep(membership, at: time)])
            case .unknown(let why):
                possible.append("\(member) in \(describeGroup(group)): \(Self.membershipWording(why))")
                possibleEvidence += membership.evidence.prefix(1)
            case .notYetCreated(let why): notes.append("its membership began later (\(Self.membershipWording(why)))")
            case .ended(let ended): notes.append("its membership had ended by \(ended)")
            case .never: break
            }
        }
        var nestedSettled = true
        for nested in memberships(inGroup: group) where nested.relation == .direct && nested.memberID != member && isGroup(nested.memberID) {
            let state = nested.inForce(at: time)
            guard state == .yes || Self.isUnknown(state) else { continue }
            switch answer(member, nested.memberID, time, visited: visited, known: &known) {
            case .member(let path) where state == .yes: return .member(path + [MembershipStep(nested, at: time)])
            case .member(let path):
                possible.append("\(member) is in \(describeGroup(nested.memberID)), whose membership of \(describeGroup(group)) is not placed in time")
                possibleEvidence += path.compactMap(\.evidence) + nested.evidence.prefix(1)
            case .possible(let why, let evidence):
                possible.append(why)
                possibleEvidence += evidence
            case .notMember: break
            case .noEvidence: nestedSettled = false
            }
        }
        var outerSettled = true
        for outer in memberships(ofMember: member) where outer.relation == .direct && outer.groupID != group && isGroup(outer.groupID) {
            let state = outer.inForce(at: time)
            guard state == .yes || Self.isUnknown(state) else { continue }
            switch answer(outer.groupID, group, time, visited: visited, known: &known) {
            case .member(let path) where state == .yes: return .member([MembershipStep(outer, at: time)] + path)
            case .member(let path):
                possible.append("\(describeGroup(outer.groupID)) is in \(describeGroup(group)), and \(member)'s membership of it is not placed in time")
                possibleEvidence += outer.evidence.prefix(1) + path.compactMap(\.evidence)
            case .possible(let why, let evidence):
                possible.append(why)
                possibleEvidence += evidence
            case .notMember: break
            case .noEvidence: outerSettled = false
            }
        }
        if !possible.isEmpty { return .possible(possible.uniqued().joined(separator: "; "), possibleEvidence.uniqued()) }
        guard let (why, evidence) = coverage(member, group, time, nestedSettled: nestedSettled, outerSettled: outerSettled) else { return .noEvidence }
        return .notMember(([why] + notes).joined(separator: "; "), evidence)
    }

    /// An interval's words for an assignment, said of a membership: lists instead of snapshots, added instead of created.
    static func membershipWording(_ text: String) -> String {
        text.replacingOccurrences(of: "a snapshot", with: "a membership list").replacingOccurrences(of: "created", with: "added")
    }

    static func isUnknown(_ state: InForce) -> Bool {
        if case .unknown = state { return true }
        return false
    }

    /// The evidence, taken at or after `time`, that the member was not in the group: a complete transitive list of
    /// the group or of the member's groups, a check that said no, or a complete direct list when every nested
    /// group (or every group of the member) is settled too.
    func coverage(_ member: String, _ group: String, _ time: Timestamp, nestedSettled: Bool, outerSettled: Bool) -> (String, [EvidenceReference])? {
        let later = lists.filter { $0.complete && $0.observedAt >= time }
        if let list = later.first(where: { $0.relation == .transitive && ($0.subject == .group(group) || $0.subject == .member(member)) }) {
            return ("not in \(describe(list)), taken at \(list.observedAt)", [list.evidence])
        }
        if let check = checks.first(where: { !$0.isMember && $0.groupID == group && $0.memberID == member && $0.time >= time }) {
            return ("az ad group member check said it was not a member at \(check.time)", [check.evidence])
        }
        if nestedSettled, let list = later.first(where: { $0.relation == .direct && $0.subject == .group(group) }) {
            let nested = memberships(inGroup: group).contains { isGroup($0.memberID) }
            return ("not in \(describe(list)), taken at \(list.observedAt)" + (nested ? ", nor in the groups nested in it" : ""), [list.evidence])
        }
        if outerSettled, let list = later.first(where: { $0.relation == .direct && $0.subject == .member(member) }) {
            return ("\(describeGroup(group)) is not among \(describe(list)), taken at \(list.observedAt), nor contains them", [list.evidence])
        }
        return nil
    }

    /// "the complete transitive member list of group grp-readers (…)", "the complete list of 00000000-…'s groups".
    func describe(_ list: List) -> String {
        let kind = list.relation == .transitive ? "transitive " : ""
        let named = list.subjectOrigin.hasPrefix("file-name") ? " (named by its file name)" : ""
        switch list.subject {
        case .group(let group)?: return "the complete \(kind)member list of group \(describeGroup(group))\(named)"
        case .member(let member)?: return "the complete \(kind)list of \(member)'s groups\(named)"
        case nil: return "a list that names no group"
        }
    }

    /// The commands whose output would settle whether `member` was in `group` at `time`.
    public func settlingEvidence(member: String, group: String, at time: Timestamp) -> String {
        "whether \(member) was a member of group \(describeGroup(group)) at \(time): "
            + "az ad group member check --group \(group) --member-id \(member) -o json, or az ad group member list --group \(group) -o json, "
            + "taken at or after \(time)"
    }
}

extension MembershipStep {
    /// "direct member, added at T by X", "transitive member, seen in a list taken at T", ...
    public var summary: String {
        let relation = membership.relation == .direct ? "direct member" : "member (transitively)"
        guard let interval else { return relation }
        switch interval.start {
        case .exactly(let time): return relation + ", added at \(time)" + (membership.addedBy.map { " by \($0)" } ?? "")
        case .between(let absent, let present): return relation + ", added between \(absent) and \(present)"
        case .noLaterThan(let present): return relation + ", seen in a list taken at \(present)"
        }
    }
}
