import TrailModel
import TrailStore

/// One input format: how to recognise it by content, and how to read it into records.
///
/// Each format lives in its own file under `Formats/`, is listed once in
/// `FormatRegistry.all`, and has a fixture folder `Tests/TrailTests/Fixtures/formats/ID/`.
public protocol EvidenceFormat: Sendable {
    /// Stable identifier, used by `--format` and stored with each source.
    var id: String { get }
    /// What it reads, in a few words.
    var title: String { get }
    /// A command that produces this format.
    var example: String { get }
    /// True when the start of the content looks like this format.
    func sniff(_ sample: SniffSample) -> Bool
    /// Reads every record of the input into the sink; problems with single records become rejects.
    func parse(_ input: ParseInput, into sink: RecordSink) throws
    /// Why this format does not read content whose start is `sample`, in words a user can act on; nil
    /// when it does. The default parses the sample and gives the first reject's reason: what a forced
    /// `--format` would say. Formats that read any text (one record per line) say what their sniff missed.
    func refusal(of sample: SniffSample) -> String?
}

/// What a parser knows about the source it reads.
public struct ParseContext: Sendable {
    /// The path as given (for messages).
    public var path: String
    /// When the evidence was observed: the time of a snapshot.
    public var observedAt: Timestamp?
    public var observedAtOrigin: ObservedAtOrigin
    /// What the user or the collector said about group membership files (`--group`, `--member-id`, a command line).
    public var membership = MembershipHints()

    public init(path: String, observedAt: Timestamp?, observedAtOrigin: ObservedAtOrigin) {
        self.path = path
        self.observedAt = observedAt
        self.observedAtOrigin = observedAtOrigin
    }

    /// The time and time origin a snapshot record takes.
    public var snapshotTime: (Timestamp?, TimeOrigin) {
        (observedAt, observedAt == nil ? .none : .snapshot)
    }
}

/// Where a parser puts what it read. Every string is redacted on the way in.
public protocol RecordSink: AnyObject {
    var context: ParseContext { get }
    func emit(_ record: EvidenceRecord) throws
    func reject(_ reject: RejectedRecord) throws
}

extension RecordSink {
    /// Rejects a record with the reason and the start of its text.
    public func reject(line: Int?, pointer: String? = nil, reason: String, text: String) throws {
        try reject(RejectedRecord(position: SourcePosition(line: line, pointer: pointer), reason: reason, excerpt: text))
    }
}

/// Redacts every record and reject before handing it on.
final class RedactingSink: RecordSink {
    let downstream: RecordSink
    var context: ParseContext { downstream.context }

    init(_ downstream: RecordSink) { self.downstream = downstream }

    func emit(_ record: EvidenceRecord) throws {
        var record = record
        record.raw = Redactor.redact(record.raw)
        record.fields.transformStrings(Redactor.redact)
        try downstream.emit(record)
    }

    func reject(_ reject: RejectedRecord) throws {
        var reject = reject
        // Redact before cutting, so that a secret cut in half is still recognised.
        reject.excerpt = Excerpt.stored(reject.excerpt)
        reject.reason = Redactor.redact(reject.reason)
        try downstream.reject(reject)
    }
}

/// Collects records in memory (for tests and previews).
public final class CollectingSink: RecordSink {
    public let context: ParseContext
    public private(set) var records: [EvidenceRecord] = []
    public private(set) var rejects: [RejectedRecord] = []

    public init(context: ParseContext) { self.context = context }

    public func emit(_ record: EvidenceRecord) throws { records.append(record) }
    public func reject(_ reject: RejectedRecord) throws { rejects.append(reject) }
}

extension EvidenceFormat {
    /// Parses with redaction on, as the ingest pipeline does.
    public func run(_ input: ParseInput, into sink: RecordSink) throws {
        try parse(input, into: RedactingSink(sink))
    }
}
