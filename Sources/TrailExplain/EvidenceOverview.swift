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
    public init(store: any EvidenceReader) throws {
        kinds = try store.rows(ofQuery: "evidence_by_kind").map { row in
            KindCount(kind: row.string("kind") ?? "", records: row.integer("records") ?? 0, sources: row.integer("sources") ?? 0,
                      firstTime: row.string("first_time"), lastTime: row.string("last_time"))
        }
        markers = try store.rows(ofQuery: "agent_log_markers").map { row in
            MarkerCount(marker: row.string("marker") ?? "", node: row.string("node") ?? "", lines: row.integer("lines") ?? 0,
                        firstTime: row.string("first_time"), lastTime: row.string("last_time"))
        }
    }
}
