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
    case notYetCreated(Timestamp)
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

    public init(start: AssignmentStart, end: AssignmentEnd) {
        self.start = start
        self.end = end
    }

    public func inForce(at time: Timestamp) -> InForce {
        switch start {
        case .exactly(let created) where time < created: return .notYetCreated(created)
        case .between(let absent, _) where time <= absent: return .notYetCreated(absent)
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
