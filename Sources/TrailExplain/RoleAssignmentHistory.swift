import TrailModel
import TrailStore

/// Every role assignment the evidence shows, with the periods it was in force.
///
/// Built from snapshots (present in a list taken at T ⇒ in force at T; missing from a later
/// list that covers its subscription ⇒ removed between the two), `createdOn`, and Activity Log
/// role assignment writes and deletes. Where the evidence does not pin a time, the interval
/// says so (`between`, `noLaterThan`) instead of inventing one.
public struct RoleAssignmentHistory: Sendable {
    public struct Assignment: Sendable, Hashable {
        /// The assignment's name (a GUID) when known, else principal|role|scope.
        public var key: String
        public var assignmentID: String?
        public var principalID: String?
        public var principalType: String?
        public var principalName: String?
        public var roleGUID: String?
        public var roleName: String?
        public var scope: ARMScope?
        public var condition: String?
        public var createdBy: String?
        public var intervals: [AssignmentInterval] = []
        /// Times it was seen in snapshots.
        public var seenAt: [Timestamp] = []
        /// Who deleted it, when an Activity Log says.
        public var deletedBy: String?
        public var evidence: [EvidenceReference] = []
        var createdOnText: String?

        /// An assignment whose principal no longer resolves (deleted identity or user): `principalName` empty or type Unknown.
        public var isOrphaned: Bool {
            principalName == "" || principalType?.lowercased() == "unknown"
        }

        /// Whether it was in force at `time`, over all its intervals.
        public func inForce(at time: Timestamp) -> InForce {
            intervals.inForce(at: time) ?? .never("the evidence shows only writes that did not succeed")
        }
    }

    /// A role assignment list ingested as one source.
    public struct Snapshot: Sendable, Hashable {
        public var sourceID: Int64
        public var source: String
        public var observedAt: Timestamp
        /// The subscriptions (lower-case IDs) it lists assignments in: the part of Azure it covers.
        public var subscriptions: Set<String>

        public func covers(_ scope: ARMScope) -> Bool {
            scope.subscriptionID.map(subscriptions.contains) ?? false
        }
    }

    public var assignments: [Assignment]
    public var snapshots: [Snapshot]

    public init(store: any EvidenceReader) throws {
        try self.init(rows: store.rows(ofQuery: "role_assignment_evidence"))
    }

    init(rows: [EvidenceRow]) {
        var byKey: [String: Assignment] = [:]
        var order: [String] = []
        var snapshotsByID: [Int64: Snapshot] = [:]
        var events: [String: [(kind: String, time: Timestamp, row: EvidenceRow)]] = [:]
        // Each scope text parsed once: an assignment's rows name its scope again and again.
        let scopes = ScopeParser()
        for row in rows {
            let key = Self.key(row, scopes: scopes)
            if byKey[key] == nil {
                byKey[key] = Assignment(key: key)
                order.append(key)
            }
            byKey[key]?.absorb(row, scopes: scopes)
            guard let time = row.time("time"), let kind = row.string("evidence") else { continue }
            if kind == "snapshot", let sourceID = row.integer("source_id") {
                var snapshot = snapshotsByID[sourceID] ?? Snapshot(sourceID: sourceID, source: row.string("source") ?? "", observedAt: time, subscriptions: [])
                if let subscription = row.string("scope").flatMap({ scopes.scope($0).subscriptionID }) { snapshot.subscriptions.insert(subscription) }
                snapshotsByID[sourceID] = snapshot
            }
            events[key, default: []].append((kind, time, row))
        }
        snapshots = snapshotsByID.values.sorted { ($0.observedAt, $0.sourceID) < ($1.observedAt, $1.sourceID) }
        let allSnapshots = snapshots
        assignments = order.compactMap { key in
            guard var assignment = byKey[key] else { return nil }
            assignment.intervals = Self.intervals(events[key] ?? [], createdOn: assignment.createdOn, scope: assignment.scope,
                                                  snapshots: allSnapshots, deletedBy: &assignment.deletedBy)
            assignment.seenAt = (events[key] ?? []).filter { $0.kind == "snapshot" }.map(\.time)
            return assignment
        }
    }

    /// The assignment's name when the evidence has it; otherwise principal, role and scope.
    static func key(_ row: EvidenceRow, scopes: ScopeParser) -> String {
        if let name = row.string("assignment_name"), !name.isEmpty { return name }
        let principal = row.string("principal_id") ?? row.string("principal_name") ?? "?"
        let role = row.string("role_definition_guid") ?? row.string("role_definition_name")?.lowercased() ?? "?"
        return principal + "|" + role + "|" + (row.string("scope").map(scopes.normalized) ?? "?")
    }

    /// Turns the dated evidence of one assignment into intervals.
    static func intervals(_ events: [(kind: String, time: Timestamp, row: EvidenceRow)], createdOn: Timestamp?, scope: ARMScope?,
                          snapshots: [Snapshot], deletedBy: inout String?) -> [AssignmentInterval] {
        let succeeded = events.filter { $0.kind == "snapshot" || Self.isSuccess($0.row) }.sorted { $0.time < $1.time }
        var intervals: [AssignmentInterval] = []
        var start: AssignmentStart?
        var startEvidence: EvidenceReference?
        var lastSeen: Timestamp?
        for event in succeeded {
            switch event.kind {
            case "write":
                if start == nil { (start, startEvidence) = (.exactly(event.time), event.row.evidence) }
            case "delete":
                intervals.append(AssignmentInterval(start: start ?? .noLaterThan(lastSeen ?? event.time), end: .exactly(event.time),
                                                    startEvidence: startEvidence, endEvidence: event.row.evidence))
                deletedBy = event.row.string("caller") ?? deletedBy
                (start, startEvidence, lastSeen) = (nil, nil, nil)
            default:
                if start == nil {
                    startEvidence = event.row.evidence
                    if let createdOn, createdOn <= event.time, intervals.isEmpty {
                        start = .exactly(createdOn)
                    } else if let previous = Self.lastSnapshot(before: event.time, covering: scope, in: snapshots, after: intervals.last) {
                        start = .between(previous, event.time)
                    } else {
                        start = .noLaterThan(event.time)
                    }
                }
                lastSeen = max(lastSeen ?? event.time, event.time)
            }
        }
        if let start {
            var interval = AssignmentInterval(start: start, end: .notEnded, startEvidence: startEvidence)
            let seenIn = Set(succeeded.filter { $0.kind == "snapshot" }.compactMap { $0.row.integer("source_id") })
            if let lastSeen, let absent = snapshots.first(where: { snapshot in
                snapshot.observedAt > lastSeen && scope.map(snapshot.covers) == true && !seenIn.contains(snapshot.sourceID)
            }) {
                interval.end = .between(lastSeen, absent.observedAt)
                interval.endEvidence = EvidenceReference(source: absent.source, line: nil)
            }
            intervals.append(interval)
        }
        return intervals
    }

    /// The latest snapshot covering the scope taken before `time` and after the previous interval:
    /// the assignment was absent from it, so it was created after it.
    static func lastSnapshot(before time: Timestamp, covering scope: ARMScope?, in snapshots: [Snapshot], after previous: AssignmentInterval?) -> Timestamp? {
        guard let scope else { return nil }
        let notBefore = previous.map(\.knownFrom)
        return snapshots.last { snapshot in
            snapshot.observedAt < time && snapshot.covers(scope) && notBefore.map { snapshot.observedAt > $0 } != false
        }?.observedAt
    }

    static func isSuccess(_ row: EvidenceRow) -> Bool {
        guard let status = row.string("operation_status")?.lowercased() else { return false }
        return status == "succeeded" || status == "success"
    }

    /// The assignments of one principal (lower-case ID).
    public func assignments(of principalID: String) -> [Assignment] {
        assignments.filter { $0.principalID == principalID.lowercased() }
    }
}

extension RoleAssignmentHistory.Assignment {
    var createdOn: Timestamp? { createdOnText.flatMap(TimestampParser.parse) }

    /// Fills in what a row says and the assignment does not know yet.
    mutating func absorb(_ row: EvidenceRow, scopes: ScopeParser) {
        assignmentID = assignmentID ?? row.string("assignment_id")
        principalID = principalID ?? row.string("principal_id")?.lowercased()
        principalType = principalType ?? row.string("principal_type")
        // The latest snapshot says whether the principal still resolves.
        if case .text(let name)? = row.value("principal_name") { principalName = name }
        roleGUID = roleGUID ?? row.string("role_definition_guid")?.lowercased()
        roleName = roleName ?? row.string("role_definition_name")
        scope = scope ?? row.string("scope").map(scopes.scope)
        condition = condition ?? row.string("condition")
        createdBy = createdBy ?? row.string("created_by")
        createdOnText = createdOnText ?? row.string("created_on")
        evidence.append(row.evidence)
    }
}
