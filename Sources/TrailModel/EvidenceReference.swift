/// Where a claim comes from: the source file as ingested, and the line of the record.
public struct EvidenceReference: Hashable, Sendable, CustomStringConvertible {
    public var source: String
    public var line: Int?
    public var recordID: Int64?

    public init(source: String, line: Int?, recordID: Int64? = nil) {
        self.source = source
        self.line = line
        self.recordID = recordID
    }

    /// `source:line`, as lnav and compilers print locations.
    public var description: String { line.map { "\(source):\($0)" } ?? source }
}
