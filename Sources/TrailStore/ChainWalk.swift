import TrailModel

/// One source's record chain, walked again by `verify` as its records come in id order.
public struct ChainWalk: Sendable {
    let version: Int
    /// How many records the source says it stored, and the last link it wrote.
    let stored: Int
    let chainEnd: String
    private var previous: [UInt8]
    private var chained = 0
    private var changed = false
    private var found: [String] = []
    private var changedRecords: [Int64] = []

    public init(version: Int, stored: Int, chainEnd: String) {
        self.version = version
        self.stored = stored
        self.chainEnd = chainEnd
        previous = RecordChain.start(version: version)
    }

    /// What the walk found, once every record was seen.
    public var problems: [String] {
        let deleted = stored - chained
        var problems = found + changedRecords.map { id in
            deleted > 0 ? "record #\(id) was changed, or a record before it deleted" : "record #\(id) was changed"
        }
        if deleted > 0 { problems.append("\(deleted) record\(deleted == 1 ? "" : "s") deleted") }
        if deleted < 0 { problems.append("\(-deleted) record\(deleted == -1 ? "" : "s") more than mitrail stored") }
        if deleted == 0 && !changed && RecordChain.hex(previous) != chainEnd {
            problems.append("the chain does not end where mitrail ended it (the source row was changed)")
        }
        return problems
    }

    public mutating func check(_ row: some ChainRow) {
        let id = Self.integer(row.chainValue("id")) ?? 0
        guard let stored = EvidenceStore.bytes(row.chainValue("chain")) else {
            found.append("record #\(id) was added (it has no link in the chain)")
            return
        }
        chained += 1
        let expected = version >= 3 ? Self.link(after: previous, row, version: version) : Self.legacyLink(after: previous, row, version: version)
        if expected != stored || (version >= 3 && !Self.typedFieldsAgree(row)) {
            changed = true
            changedRecords.append(id)
        }
        previous = stored
    }

    /// The v3 link: the record's columns and its typed fields as read back.
    static func link(after previous: [UInt8], _ row: some ChainRow, version: Int) -> [UInt8] {
        let kind = EvidenceStore.text(row.chainValue("kind")) ?? ""
        let table = FieldTable.of(kind: kind)
        let digest = integer(row.chainValue("digest")) ?? 0
        let typed = table.columns.indices.map { storedValue(row.typedValue(table, $0)) }
        let content = RecordChain.contentHash(
            kind: kind, line: integer(row.chainValue("line")), pointer: EvidenceStore.text(row.chainValue("pointer")),
            timeMs: integer(row.chainValue("time_ms")), timeOrigin: TimeOrigin(storeCode: integer(row.chainValue("time_origin_code")) ?? 4),
            remainder: EvidenceStore.text(row.chainValue("fields")), raw: EvidenceStore.text(row.chainValue("raw")) ?? "",
            digest: digest, table: table, typed: typed)
        return RecordChain.link(after: previous, contentHash: content, version: version)
    }

    /// The typed fields row exists and repeats the record's source, line and time (and kind).
    static func typedFieldsAgree(_ row: some ChainRow) -> Bool {
        let table = FieldTable.of(kind: EvidenceStore.text(row.chainValue("kind")) ?? "")
        let leading = ChainColumns.leading[table.rawValue]
        func value(_ column: String) -> Int64? { integer(row.chainValue(column)) }
        guard value(leading.recordID) != nil else { return false }
        return value(leading.sourceID) == value("source_id") && value(leading.line) == value("line")
            && value(leading.timeMs) == value("time_ms")
            && (table == .logLine || value("rf_kind_id") == value("kind_id"))
    }

    /// Links of chain versions 1 and 2, from the v1 columns as text (a store upgraded from 0.1 keeps them).
    static func legacyLink(after previous: [UInt8], _ row: some ChainRow, version: Int) -> [UInt8] {
        let line: Int64?
        switch row.chainValue("line") {
        case .null: line = nil
        case .integer(let integer): line = integer
        case .real(let real): line = Int64(exactly: real) ?? -1
        default: line = -1
        }
        func text(_ column: String) -> String? { EvidenceStore.text(row.chainValue(column)) }
        return RecordChain.legacyLink(
            after: previous, kind: text("kind") ?? "", line: line, pointer: text("pointer"), time: text("time"),
            timeOrigin: text("time_origin") ?? "", fields: text("fields") ?? "", raw: text("raw") ?? "",
            digest: EvidenceStore.bytes(row.chainValue("digest")) ?? [], version: version)
    }

    // Not inlined: the 6.3.1 optimizer crashes (CopyPropagation, "Found ownership error") inlining this switch into `link`.
    @inline(never)
    static func integer(_ value: TabularValue) -> Int64? {
        if case .integer(let integer) = value { return integer }
        return nil
    }

    @inline(never)
    static func storedValue(_ value: TabularValue) -> StoredValue {
        switch value {
        case .null: return .null
        case .integer(let integer): return .integer(integer)
        case .real(let real): return .real(real)
        case .text(let text): return .text(text)
        case .blob(let bytes): return .text("\u{0}blob " + String(decoding: bytes, as: UTF8.self))
        }
    }
}
