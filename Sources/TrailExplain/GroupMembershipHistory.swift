import TrailModel
import TrailStore

/// Entra group membership over time, with the same honesty as role assignments.
///
/// Built from membership lists (a member in a list taken at T was a member at T; absent from a later complete
/// list of the same group, or of the member's groups, it was removed between the two), `az ad group member
/// check` answers, and audit log "Add member to group" / "Remove member from group" events (exact times).
/// A page with more to follow, or no list at all, says nothing about who is absent. Intervals use the role
/// assignments' types: `between` and `noLaterThan` where the evidence does not pin a time.
public struct GroupMembershipHistory: Sendable {
    public enum Relation: String, Sendable {
        /// The member is in the group itself.
        case direct
        /// The member is in the group or in a group nested in it (Graph's transitive calls, getMemberGroups, checks).
        case transitive
    }

    /// One list as a whole: a group's members, or a member's groups.
    public struct List: Sendable {
        public enum Subject: Hashable, Sendable {
            case group(String)
            case member(String)
        }

        public var sourceID: Int64
        public var source: String
        public var line: Int?
        public var observedAt: Timestamp
        /// Whose list it is; nil when neither the file, the command line nor an option named it.
        public var subject: Subject?
        /// Where the subject came from: `option`, `command-line`, `payload`, `file-name`, `display-name`, `none`.
        public var subjectOrigin: String
        public var relation: Relation
        public var complete: Bool
        public var incompleteBecause: String?
        /// The member IDs (a group's list) or group IDs (a member's list) it names.
        public var entries: Set<String> = []

        public var evidence: EvidenceReference { EvidenceReference(source: source, line: line) }
    }

    /// One `az ad group member check` answer (transitive).
    public struct Check: Sendable {
        public var groupID: String
        public var memberID: String
        public var isMember: Bool
        public var time: Timestamp
        public var evidence: EvidenceReference
    }

    /// One member in one group (directly, or as a transitive list showed it), with the periods it was in.
    public struct Membership: Sendable {
        public var groupID: String
        public var memberID: String
        public var relation: Relation
        public var memberType: String?
        public var memberName: String?
        public var intervals: [AssignmentInterval] = []
        /// Times it was seen in lists or checks.
        public var seenAt: [Timestamp] = []
        public var addedBy: String?
        public var removedBy: String?
        public var evidence: [EvidenceReference] = []

        /// Whether it was in force at `time`, over all its intervals (in force wins, then unknown).
        public func inForce(at time: Timestamp) -> InForce {
            intervals.inForce(at: time) ?? .never("the evidence shows no time it was in the group")
        }

        /// The interval in force at `time`, if one is.
        public func interval(at time: Timestamp) -> AssignmentInterval? {
            intervals.first { $0.inForce(at: time) == .yes }
        }
    }

    public internal(set) var memberships: [Membership] = []
    public internal(set) var lists: [List] = []
    public internal(set) var checks: [Check] = []
    /// Display names by lower-case group ID, from every piece of evidence that pairs them.
    public internal(set) var groupNames: [String: String] = [:]
    /// Object IDs known to be groups: list subjects, group entries, and role assignments to principals of type Group.
    public internal(set) var groupIDs: Set<String> = []

    var positionsByPair: [String: [Int]] = [:]
    var positionsByGroup: [String: [Int]] = [:]
    var positionsByMember: [String: [Int]] = [:]

    /// No membership evidence at all.
    public static let empty = GroupMembershipHistory()

    init() {}

    /// From the store, with the group names and IDs the role assignments give (`principalType: Group`).
    public init(store: any EvidenceReader, assignments: RoleAssignmentHistory) throws {
        self.init(rows: try store.rows(ofQuery: "group_membership_evidence"), assignments: assignments)
    }

    init(rows: [EvidenceRow], assignments: RoleAssignmentHistory = RoleAssignmentHistory(rows: [])) {
        for assignment in assignments.assignments where assignment.principalType?.lowercased() == "group" {
            guard let id = assignment.principalID else { continue }
            groupIDs.insert(id)
            if let name = assignment.principalName, !name.isEmpty { groupNames[id] = groupNames[id] ?? name }
        }
        learnNames(rows)
        let subjects = resolveSubjects(rows)
        var events: [String: [MembershipEvent]] = [:]
        var order: [String] = []
        var listsBySource: [Int64: Int] = [:]
        for row in rows where row.string("evidence") == "list" {
            guard let list = makeList(row, subject: subjects[row.integer("source_id") ?? -1]) else { continue }
            listsBySource[list.sourceID] = lists.count
            lists.append(list)
        }
        for row in rows {
            guard let event = MembershipEvent(row, subjects: subjects) else { continue }
            if event.kind == .listed, let index = listsBySource[event.sourceID ?? -1] {
                lists[index].entries.insert(lists[index].subject.map { if case .group = $0 { event.memberID } else { event.groupID } } ?? "")
            }
            if event.kind == .check {
                checks.append(Check(groupID: event.groupID, memberID: event.memberID, isMember: event.isMember, time: event.time, evidence: event.evidence))
                if !event.isMember { continue }
            }
            if event.memberType?.lowercased() == "group" { groupIDs.insert(event.memberID) }
            groupIDs.insert(event.groupID)
            let key = Self.pairKey(event.groupID, event.memberID, event.relation)
            if events[key] == nil { order.append(key) }
            events[key, default: []].append(event)
        }
        for key in order {
            guard let pairEvents = events[key], let first = pairEvents.first else { continue }
            var membership = Membership(groupID: first.groupID, memberID: first.memberID, relation: first.relation)
            for event in pairEvents {
                membership.memberType = membership.memberType ?? event.memberType
                membership.memberName = membership.memberName ?? event.memberName
                membership.evidence.append(event.evidence)
                if event.kind != .added && event.kind != .removed { membership.seenAt.append(event.time) }
                if event.kind == .added { membership.addedBy = event.caller ?? membership.addedBy }
                if event.kind == .removed { membership.removedBy = event.caller ?? membership.removedBy }
            }
            membership.intervals = Self.intervals(pairEvents, absences: absences(for: membership))
            let position = memberships.count
            memberships.append(membership)
            positionsByPair[key, default: []].append(position)
            positionsByGroup[membership.groupID, default: []].append(position)
            positionsByMember[membership.memberID, default: []].append(position)
        }
        lists.sort { ($0.observedAt, $0.sourceID) < ($1.observedAt, $1.sourceID) }
    }

    static func pairKey(_ group: String, _ member: String, _ relation: Relation) -> String {
        group + "|" + member + "|" + relation.rawValue
    }

    /// The membership of `member` in `group` as `relation` evidence showed it, if any.
    public func membership(of member: String, in group: String, _ relation: Relation) -> Membership? {
        positionsByPair[Self.pairKey(group.lowercased(), member.lowercased(), relation)].flatMap { $0.first }.map { memberships[$0] }
    }

    /// Every membership of a member (any case), in evidence order.
    public func memberships(ofMember member: String) -> [Membership] {
        (positionsByMember[member.lowercased()] ?? []).map { memberships[$0] }
    }

    /// Every membership in a group (any case), in evidence order.
    public func memberships(inGroup group: String) -> [Membership] {
        (positionsByGroup[group.lowercased()] ?? []).map { memberships[$0] }
    }

    /// True when the evidence shows `id` is a group.
    public func isGroup(_ id: String?) -> Bool {
        id.map { groupIDs.contains($0.lowercased()) } ?? false
    }

    /// "grp-readers (00000000-…)" when the name is known, else the ID.
    public func describeGroup(_ id: String) -> String {
        if id.hasPrefix(Self.unnamedPrefix) { return "an unnamed group (the list \(id.dropFirst(Self.unnamedPrefix.count)) does not name it)" }
        return groupNames[id].map { "\($0) (\(id))" } ?? id
    }

    /// Every time at which a membership answer can change: list and check times, interval bounds.
    public var changePoints: [Timestamp] {
        var points = Set(lists.map(\.observedAt) + checks.map(\.time))
        for membership in memberships {
            for interval in membership.intervals { points.formUnion(interval.boundaries) }
        }
        return points.sorted()
    }

    /// The group ID given to a list that names no group: it keeps its members apart from every other list's.
    static let unnamedPrefix = "unnamed:"
}

extension AssignmentInterval {
    /// The times named by its start and end.
    var boundaries: [Timestamp] {
        var times: [Timestamp] = []
        switch start {
        case .exactly(let time), .noLaterThan(let time): times.append(time)
        case .between(let first, let second): times += [first, second]
        }
        switch end {
        case .exactly(let time): times.append(time)
        case .between(let first, let second): times += [first, second]
        case .notEnded: break
        }
        return times
    }
}
