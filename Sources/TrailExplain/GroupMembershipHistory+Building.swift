import TrailModel

/// One dated piece of evidence about one member in one group.
struct MembershipEvent {
    enum Kind { case listed, check, added, removed }

    var kind: Kind
    var groupID: String
    var memberID: String
    var relation: GroupMembershipHistory.Relation
    var time: Timestamp
    var evidence: EvidenceReference
    var sourceID: Int64?
    var memberType: String?
    var memberName: String?
    var caller: String?
    var isMember = true

    /// A row of `group_membership_evidence` other than a list; nil for lists, failed changes and rows that name no member.
    init?(_ row: EvidenceRow, subjects: [Int64: ResolvedSubject]) {
        guard let time = row.time("time") else { return nil }
        switch row.string("evidence") {
        case "listed": kind = .listed
        case "check": kind = .check
        case "added": kind = .added
        case "removed": kind = .removed
        default: return nil
        }
        if kind == .added || kind == .removed, let result = row.string("result")?.lowercased(), result != "success" { return nil }
        sourceID = row.integer("source_id")
        let subject = sourceID.flatMap { subjects[$0] }
        guard let group = row.string("group_id") ?? subject?.groupID, let member = row.string("member_id") ?? subject?.memberID else { return nil }
        groupID = GroupMembershipHistory.normalizedID(group)
        memberID = GroupMembershipHistory.normalizedID(member)
        relation = row.string("relation") == "transitive" ? .transitive : .direct
        self.time = time
        evidence = row.evidence
        memberType = row.string("member_type")
        memberName = row.string("member_name")
        caller = row.string("caller")
        isMember = row.integer("is_member").map { $0 != 0 } ?? true
    }
}

/// The group or member a source's list or check is about, once display names are resolved.
struct ResolvedSubject {
    var groupID: String?
    var memberID: String?
    var origin: String
}

extension GroupMembershipHistory {
    /// An object ID lower-cased; an unnamed subject keeps the path it names as written.
    static func normalizedID(_ id: String) -> String {
        id.hasPrefix(unnamedPrefix) ? id : id.lowercased()
    }

    /// Group names from every row that pairs an ID with a display name.
    mutating func learnNames(_ rows: [EvidenceRow]) {
        for row in rows {
            if row.string("list_of") == "group-members", row.string("member_type")?.lowercased() == "group",
               let id = row.string("member_id"), let name = row.string("member_name") {
                note(group: id, name: name)
            }
            if row.string("evidence") != "listed" || row.string("list_of") == "member-groups", let id = row.string("group_id"),
               let name = row.string("group_name") {
                note(group: id, name: name)
            }
        }
    }

    mutating func note(group id: String, name: String) {
        let id = id.lowercased()
        groupIDs.insert(id)
        if groupNames[id] == nil { groupNames[id] = name }
    }

    /// Each source's subject: the ID it names, else a display name (given with `--group`, or in the file name)
    /// that the evidence ties to exactly one group, else an unnamed group of its own.
    func resolveSubjects(_ rows: [EvidenceRow]) -> [Int64: ResolvedSubject] {
        var subjects: [Int64: ResolvedSubject] = [:]
        for row in rows where row.string("evidence") == "list" || row.string("evidence") == "check" {
            guard let sourceID = row.integer("source_id") else { continue }
            let origin = row.string("subject_origin") ?? "none"
            var subject = ResolvedSubject(groupID: row.string("group_id"), memberID: row.string("member_id"), origin: origin)
            let listsMembers = row.string("list_of") != "member-groups"
            if listsMembers && subject.groupID == nil {
                if let name = row.string("group_name"), let id = groupID(named: name) {
                    (subject.groupID, subject.origin) = (id, origin + " (display name)")
                } else if let stem = row.string("file_name"), let id = groupID(inFileName: stem) {
                    (subject.groupID, subject.origin) = (id, "file-name (display name)")
                } else if row.string("evidence") == "list" {
                    subject.groupID = Self.unnamedPrefix + (row.string("source") ?? "?")
                }
            }
            if !listsMembers && subject.memberID == nil { subject.memberID = Self.unnamedPrefix + (row.string("source") ?? "?") }
            subjects[sourceID] = subject
        }
        return subjects
    }

    /// The one group with this display name (any case), if exactly one has it.
    func groupID(named name: String) -> String? {
        let matches = groupNames.filter { $0.value.lowercased() == name.lowercased() }.map(\.key)
        return matches.count == 1 ? matches[0] : nil
    }

    /// The group whose display name the file name contains (the longest, when one contains another), if one does.
    func groupID(inFileName stem: String) -> String? {
        let lowered = stem.lowercased()
        let found = groupNames.filter { $0.value.count >= 3 && lowered.contains($0.value.lowercased()) }
        guard let longest = found.max(by: { $0.value.count < $1.value.count }) else { return nil }
        let rivals = found.filter { $0.value.count == longest.value.count && $0.key != longest.key }
        return rivals.isEmpty ? longest.key : nil
    }

    func makeList(_ row: EvidenceRow, subject: ResolvedSubject?) -> List? {
        guard let sourceID = row.integer("source_id"), let time = row.time("time") else { return nil }
        let listsMembers = row.string("list_of") != "member-groups"
        let subjectID = listsMembers ? subject?.groupID : subject?.memberID
        return List(sourceID: sourceID, source: row.string("source") ?? "?", line: row.integer("line").map(Int.init), observedAt: time,
                    subject: subjectID.map { listsMembers ? .group(Self.normalizedID($0)) : .member(Self.normalizedID($0)) },
                    subjectOrigin: subject?.origin ?? "none", relation: row.string("relation") == "transitive" ? .transitive : .direct,
                    complete: row.integer("complete") == 1, incompleteBecause: row.string("incomplete_because"))
    }

    /// The times the member was known not to be in the group (as `membership.relation` counts it): complete lists
    /// of the group or of the member's groups that leave the pair out, and checks that said no. A transitive list
    /// that leaves it out rules out direct membership too; a direct one rules out only that.
    func absences(for membership: Membership) -> [(Timestamp, EvidenceReference)] {
        var times: [(Timestamp, EvidenceReference)] = []
        for list in lists where list.complete && (list.relation == .transitive || membership.relation == .direct) {
            switch list.subject {
            case .group(let group)? where group == membership.groupID && !list.entries.contains(membership.memberID):
                times.append((list.observedAt, list.evidence))
            case .member(let member)? where member == membership.memberID && !list.entries.contains(membership.groupID):
                times.append((list.observedAt, list.evidence))
            default: break
            }
        }
        for check in checks where !check.isMember && check.groupID == membership.groupID && check.memberID == membership.memberID {
            times.append((check.time, check.evidence))
        }
        return times.sorted { $0.0 < $1.0 }
    }

    /// Turns one pair's dated evidence into periods, as `RoleAssignmentHistory.intervals` does for assignments: an
    /// audit add starts one exactly, a remove ends it; a sighting starts one between the last absence and it (or no
    /// later than it); the first absence after the last sighting ends it between the two.
    static func intervals(_ events: [MembershipEvent], absences: [(Timestamp, EvidenceReference)]) -> [AssignmentInterval] {
        let sorted = events.sorted { ($0.time, rank($0.kind)) < ($1.time, rank($1.kind)) }
        var intervals: [AssignmentInterval] = []
        var start: AssignmentStart?
        var startEvidence: EvidenceReference?
        var lastKnown: Timestamp?
        var notBefore: Timestamp?
        for event in sorted {
            switch event.kind {
            case .added:
                if start == nil { (start, startEvidence) = (.exactly(event.time), event.evidence) }
                lastKnown = max(lastKnown ?? event.time, event.time)
            case .removed:
                intervals.append(AssignmentInterval(start: start ?? .noLaterThan(lastKnown ?? event.time), end: .exactly(event.time),
                                                    startEvidence: startEvidence, endEvidence: event.evidence))
                (start, startEvidence, lastKnown, notBefore) = (nil, nil, nil, event.time)
            case .listed, .check:
                if start == nil {
                    startEvidence = event.evidence
                    if let absent = absences.last(where: { absence in absence.0 < event.time && notBefore.map { absence.0 >= $0 } != false }) {
                        start = .between(absent.0, event.time)
                    } else {
                        start = .noLaterThan(event.time)
                    }
                }
                lastKnown = max(lastKnown ?? event.time, event.time)
            }
        }
        if let start {
            var interval = AssignmentInterval(start: start, end: .notEnded, startEvidence: startEvidence)
            if let lastKnown, let absent = absences.first(where: { $0.0 > lastKnown }) {
                interval.end = .between(lastKnown, absent.0)
                interval.endEvidence = absent.1
            }
            intervals.append(interval)
        }
        return intervals
    }

    /// Same-time order: an add before a sighting, a removal last.
    static func rank(_ kind: MembershipEvent.Kind) -> Int {
        switch kind {
        case .added: return 0
        case .listed, .check: return 1
        case .removed: return 2
        }
    }
}
