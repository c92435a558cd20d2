/// A namespaced record type, in the manner of Plaso's data types: `azure:rbac:role-assignment`.
public struct RecordKind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let roleAssignment = RecordKind("azure:rbac:role-assignment")
    public static let agentLogLine = RecordKind("azure:batch:agent-log-line")
}

/// Where a record's time came from.
public enum TimeOrigin: String, Sendable, CaseIterable {
    /// The record carries its own time (a dated log line, an event time).
    case record
    /// The record carries a time with no zone; UTC was assumed.
    case recordAssumedUTC = "record-assumed-utc"
    /// The record had no time of its own and took the previous dated record's time.
    case neighbour
    /// The record is part of a snapshot; its time is the snapshot's observed-at time.
    case snapshot
    /// No time is known.
    case none
}

/// Where a record sits in its source: a 1-based line and, inside a JSON document, a JSON pointer.
public struct SourcePosition: Hashable, Sendable {
    public var line: Int?
    public var pointer: String?

    public init(line: Int? = nil, pointer: String? = nil) {
        self.line = line
        self.pointer = pointer
    }
}

/// One piece of evidence read from a source, already redacted.
public struct EvidenceRecord: Hashable, Sendable {
    public var kind: RecordKind
    public var position: SourcePosition
    public var time: Timestamp?
    public var timeOrigin: TimeOrigin
    public var fields: RecordFields
    /// The record's original text with every secret removed.
    public var raw: String

    public init(
        kind: RecordKind, position: SourcePosition, time: Timestamp?, timeOrigin: TimeOrigin,
        fields: RecordFields = RecordFields(), raw: String
    ) {
        self.kind = kind
        self.position = position
        self.time = time
        self.timeOrigin = timeOrigin
        self.fields = fields
        self.raw = raw
    }
}

/// A record that could not be read, kept so that nothing is dropped silently.
public struct RejectedRecord: Hashable, Sendable {
    public var position: SourcePosition
    public var reason: String
    /// The start of the offending text, redacted.
    public var excerpt: String

    public init(position: SourcePosition, reason: String, excerpt: String) {
        self.position = position
        self.reason = reason
        self.excerpt = excerpt
    }
}
