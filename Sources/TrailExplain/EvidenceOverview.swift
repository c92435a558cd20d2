import TrailModel
import TrailStore

/// What a store holds at a glance: records by kind with their time span, and agent log markers.
public struct EvidenceOverview: Sendable, Equatable {
    public struct KindCount: Sendable, Equatable {
        public var kind: String
        public var records: Int64
        public var sources: Int64
        public var firstTime: String?
        public var lastTime: String?
    }

    public struct MarkerCount: Sendable, Equatable {
        public var marker: String
        public var node: String
        public var lines: Int64
        public var firstTime: String?
        public var lastTime: String?
    }

    public var kinds: [KindCount] = []
    public var markers: [MarkerCount] = []

    /// Reads the overview with the named queries `evidence_by_kind` and `agent_log_markers`.
    public init(store: EvidenceStore) throws {
        try store.runNamed("evidence_by_kind") { row in
            kinds.append(KindCount(kind: row[0].displayText, records: row[1].integerValue, sources: row[2].integerValue,
                                   firstTime: row[3].textValue, lastTime: row[4].textValue))
        }
        try store.runNamed("agent_log_markers") { row in
            markers.append(MarkerCount(marker: row[0].displayText, node: row[1].displayText, lines: row[2].integerValue,
                                       firstTime: row[3].textValue, lastTime: row[4].textValue))
        }
    }
}

extension TabularValue {
    var integerValue: Int64 {
        if case .integer(let value) = self { return value }
        return 0
    }

    var textValue: String? {
        if case .text(let text) = self { return text }
        return nil
    }
}

extension EvidenceStore {
    /// Runs a named query that takes no parameters, handing each row over.
    func runNamed(_ name: String, row: ([TabularValue]) throws -> Void) throws {
        guard let query = NamedQuery.named(name) else { preconditionFailure("named query \(name) is not embedded") }
        try runReadOnly(sql: query.sql, columns: { _ in }, row: row)
    }
}
