import TrailModel
import TrailStore

/// The `identity_observations` rows with repeated sightings folded as they are read: a node that asks IMDS for a
/// token every minute names the same identity in the same way thousands of times, and resolution needs each way
/// once, with its first and last time, plus every record (in order) as evidence.
struct IdentitySightings {
    /// What a sighting says apart from its time and record.
    struct Shape: Hashable {
        var resourceID, clientID, principalID, tenantID, identityKind, attachedKind, attachedTo: String?
    }

    /// One distinct shape, in the order of its first sighting, and the span of its sightings' times.
    struct Folded {
        var shape: Shape
        var firstSeen: Timestamp?
        var lastSeen: Timestamp?
    }

    /// Where the columns are in the query's rows, looked up once.
    struct Columns {
        let time, resourceID, clientID, principalID, tenantID, identityKind, attachedKind, attachedTo, source, line, recordID: Int?
        let positions: ColumnPositions

        init(_ positions: ColumnPositions) {
            self.positions = positions
            time = positions["time"]; resourceID = positions["resource_id"]; clientID = positions["client_id"]
            principalID = positions["principal_id"]; tenantID = positions["tenant_id"]; identityKind = positions["identity_kind"]
            attachedKind = positions["attached_kind"]; attachedTo = positions["attached_to"]
            source = positions["source"]; line = positions["line"]; recordID = positions["record_id"]
        }
    }

    private(set) var folded: [Folded] = []
    /// Every sighting in order: the position of its shape in `folded`, and its record.
    private(set) var records: [(shape: Int, evidence: EvidenceReference)] = []
    private var positions: [Shape: Int] = [:]
    private var columns: Columns?
    /// Sources repeat over every sighting: one copy each.
    private let sources = StringInterner()

    init() {}

    init(_ rows: [EvidenceRow]) {
        for row in rows { add(row) }
    }

    init(store: any EvidenceReader) throws {
        try store.forEachRow(ofQuery: "identity_observations") { add($0) }
    }

    mutating func add(_ row: EvidenceRow) {
        let columns = self.columns.flatMap { $0.positions === row.columns ? $0 : nil } ?? Columns(row.columns)
        self.columns = columns
        let shape = Shape(resourceID: row.string(at: columns.resourceID), clientID: row.string(at: columns.clientID),
                          principalID: row.string(at: columns.principalID), tenantID: row.string(at: columns.tenantID),
                          identityKind: row.string(at: columns.identityKind), attachedKind: row.string(at: columns.attachedKind),
                          attachedTo: row.string(at: columns.attachedTo))
        let time = row.time(at: columns.time)
        let index: Int
        if let known = positions[shape] {
            index = known
            if let time {
                folded[index].firstSeen = min(folded[index].firstSeen ?? time, time)
                folded[index].lastSeen = max(folded[index].lastSeen ?? time, time)
            }
        } else {
            index = folded.count
            positions[shape] = index
            folded.append(Folded(shape: shape, firstSeen: time, lastSeen: time))
        }
        let evidence = EvidenceReference(source: sources.intern(row.string(at: columns.source) ?? "?"),
                                         line: row.integer(at: columns.line).map(Int.init), recordID: row.integer(at: columns.recordID))
        records.append((index, evidence))
    }
}
