import GRDB
import TrailModel

/// One source's record chain, walked again by `verify` as its records come in id order.
struct ChainWalk {
    let version: Int
    /// How many records the source says it stored, and the last link it wrote.
    let stored: Int
    let chainEnd: String
    private var previous: [UInt8]
    private var chained = 0
    private var changed = false
    private var found: [String] = []
    private var changedRecords: [Int64] = []

    init(version: Int, stored: Int, chainEnd: String) {
        self.version = version
        self.stored = stored
        self.chainEnd = chainEnd
        previous = RecordChain.start(version: version)
    }

    /// What the walk found, once every record was seen.
    var problems: [String] {
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

    mutating func check(_ row: Row) {
        let id: Int64 = row["id"]
        guard let stored = EvidenceStore.bytes(row["chain"]) else {
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
    static func link(after previous: [UInt8], _ row: Row, version: Int) -> [UInt8] {
        let kind = EvidenceStore.text(row["kind"]) ?? ""
        let table = FieldTable.of(kind: kind)
        let digest = integer(row["digest"]) ?? 0
        let typed = table.columns.map { column in storedValue(row[StoreStatements.verifyAlias(table, column)]) }
        let content = RecordChain.contentHash(
            kind: kind, line: integer(row["line"]), pointer: EvidenceStore.text(row["pointer"]), timeMs: integer(row["time_ms"]),
            timeOrigin: TimeOrigin(storeCode: integer(row["time_origin_code"]) ?? 4), remainder: EvidenceStore.text(row["fields"]),
            raw: EvidenceStore.text(row["raw"]) ?? "", digest: digest, table: table, typed: typed)
        return RecordChain.link(after: previous, contentHash: content, version: version)
    }

    /// The typed fields row exists and repeats the record's source, line and time (and kind).
    static func typedFieldsAgree(_ row: Row) -> Bool {
        let table = FieldTable.of(kind: EvidenceStore.text(row["kind"]) ?? "")
        let prefix = table == .record ? "rf_" : "lf_"
        guard integer(row[prefix + "record_id"]) != nil else { return false }
        return integer(row[prefix + "source_id"]) == integer(row["source_id"]) && integer(row[prefix + "line"]) == integer(row["line"])
            && integer(row[prefix + "time_ms"]) == integer(row["time_ms"])
            && (table == .logLine || integer(row["rf_kind_id"]) == integer(row["kind_id"]))
    }

    /// Links of chain versions 1 and 2, from the v1 columns as text (a store upgraded from 0.1 keeps them).
    static func legacyLink(after previous: [UInt8], _ row: Row, version: Int) -> [UInt8] {
        let line: DatabaseValue = row["line"]
        return RecordChain.legacyLink(
            after: previous, kind: EvidenceStore.text(row["kind"]) ?? "", line: Int64.fromDatabaseValue(line) ?? (line.isNull ? nil : -1),
            pointer: EvidenceStore.text(row["pointer"]), time: EvidenceStore.text(row["time"]), timeOrigin: EvidenceStore.text(row["time_origin"]) ?? "",
            fields: EvidenceStore.text(row["fields"]) ?? "", raw: EvidenceStore.text(row["raw"]) ?? "", digest: EvidenceStore.bytes(row["digest"]) ?? [],
            version: version)
    }

    // Not inlined: the 6.3.1 optimizer crashes (CopyPropagation, "Found ownership error") inlining this switch into `link`.
    @inline(never)
    static func integer(_ value: DatabaseValue) -> Int64? {
        if case .int64(let integer) = value.storage { return integer }
        return nil
    }

    @inline(never)
    static func storedValue(_ value: DatabaseValue) -> StoredValue {
        switch value.storage {
        case .null: return .null
        case .int64(let integer): return .integer(integer)
        case .double(let real): return .real(real)
        case .string(let text): return .text(text)
        case .blob(let data): return .text("\u{0}blob " + String(decoding: data, as: UTF8.self))
        }
    }
}
