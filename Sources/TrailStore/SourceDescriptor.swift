import Foundation
import TrailModel

/// Where a source's observed-at time came from.
public enum ObservedAtOrigin: String, Sendable {
    /// The user said when (`--observed-at`).
    case option
    /// A time inside the payload.
    case payload
    /// The file's modification time.
    case mtime
    /// Unknown (standard input with no time in it).
    case none
    /// When the command that wrote the file finished, from a `mitrail collect` manifest.
    case collector
}

/// The provenance of one source: what was read, from where, and when it was observed.
public struct SourceDescriptor: Sendable {
    public var path: String
    public var sha256: String
    public var size: Int64
    public var format: String
    public var observedAt: Timestamp?
    public var observedAtOrigin: ObservedAtOrigin
    public var parentID: Int64?
    /// The command that produced the file (its arguments, `az` first), when a collector manifest says.
    public var command: [String]?

    public init(
        path: String, sha256: String, size: Int64, format: String,
        observedAt: Timestamp?, observedAtOrigin: ObservedAtOrigin, parentID: Int64? = nil, command: [String]? = nil
    ) {
        self.path = path
        self.sha256 = sha256
        self.size = size
        self.format = format
        self.observedAt = observedAt
        self.observedAtOrigin = observedAtOrigin
        self.parentID = parentID
        self.command = command
    }
}

/// How many records of a source were read, stored, rejected, or already in the store.
public struct SourceCounts: Equatable, Sendable {
    public var read = 0
    public var stored = 0
    public var rejected = 0
    public var duplicate = 0

    public init(read: Int = 0, stored: Int = 0, rejected: Int = 0, duplicate: Int = 0) {
        self.read = read
        self.stored = stored
        self.rejected = rejected
        self.duplicate = duplicate
    }

    public static func + (lhs: SourceCounts, rhs: SourceCounts) -> SourceCounts {
        SourceCounts(
            read: lhs.read + rhs.read, stored: lhs.stored + rhs.stored,
            rejected: lhs.rejected + rhs.rejected, duplicate: lhs.duplicate + rhs.duplicate)
    }
}
