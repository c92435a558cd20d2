/// When a role assignment began to be in force, as far as the evidence tells.
public enum AssignmentStart: Hashable, Sendable {
    /// Known to the moment (`createdOn`, an Activity Log write).
    case exactly(Timestamp)
    /// Absent from a snapshot at the first time, present in one at the second.
    case between(Timestamp, Timestamp)
    /// Present in a snapshot at this time; when it was created is not in the evidence.
    case noLaterThan(Timestamp)
}

/// When a role assignment stopped being in force, as far as the evidence tells.
public enum AssignmentEnd: Hashable, Sendable {
    /// An Activity Log delete.
    case exactly(Timestamp)
    /// Present in a snapshot at the first time, absent from one covering its scope at the second.
    case between(Timestamp, Timestamp)
    /// No evidence that it ended: still in force at the last evidence.
    case notEnded
}

/// Whether an assignment was in force at a given time.
public enum InForce: Hashable, Sendable {
    case yes
    /// Not yet: the text says what shows it ("created at T", "absent from a snapshot at T").
    case notYetCreated(String)
    case ended(Timestamp)
    /// The evidence shows attempts only (a write that failed or never finished): it never existed.
    case never(String)
    /// The evidence leaves the question open; the text says why.
    case unknown(String)
}

/// One period during which a role assignment existed.
public struct AssignmentInterval: Hashable, Sendable {
    public var start: AssignmentStart
    public var end: AssignmentEnd
    /// The records that show the start and the end (not part of equality: they say where, not when).
    public var startEvidence: EvidenceReference?
    public var endEvidence: EvidenceReference?

    public init(start: AssignmentStart, end: AssignmentEnd, startEvidence: EvidenceReference? = nil, endEvidence: EvidenceReference? = nil) {
        self.start = start
        self.end = end
        self.startEvidence = startEvidence
        self.endEvidence = endEvidence
    }

    public static func == (lhs: AssignmentInterval, rhs: AssignmentInterval) -> Bool {
        lhs.start == rhs.start && lhs.end == rhs.end
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(start)
        hasher.combine(end)
    }

    public func inForce(at time: Timestamp) -> InForce {
        switch start {
        case .exactly(let created) where time < created: return .notYetCreated("created at \(created)")
        case .between(let absent, _) where time <= absent: return .notYetCreated("absent from a snapshot at \(absent)")
        case .between(let absent, let present) where time < present:
            return .unknown("created between \(absent) and \(present)")
        case .noLaterThan(let present) where time < present:
            return .unknown("first seen in a snapshot at \(present); when it was created is not in the evidence")
        default: break
        }
        switch end {
        case .exactly(let deleted) where time >= deleted: return .ended(deleted)
        case .between(_, let absent) where time >= absent: return .ended(absent)
        case .between(let present, let absent) where time > present:
            return .unknown("removed between \(present) and \(absent)")
        default: return .yes
        }
    }

    /// The earliest time it is known to have been in force.
    public var knownFrom: Timestamp {
        switch start {
        case .exactly(let time), .noLaterThan(let time), .between(_, let time): return time
        }
    }
}
