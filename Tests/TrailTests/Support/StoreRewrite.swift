import Foundation
import GRDB
import TrailIngest
import TrailModel
@testable import TrailStore

/// Writes the sources, records and rejects of one store again, in the same order, into a new store through
/// this mitrail's `SourceWriter`: the same evidence as the original holds (the fields its parsers extracted
/// then), with the typed columns, digests and chains this mitrail writes.
enum StoreRewrite {
    static func rewrite(_ original: URL, into copy: URL) throws {
        let reader = try DatabaseQueue(path: original.path, configuration: readOnly())
        let store = try EvidenceStore(path: copy.path, mode: .readWrite)
        let sources = try reader.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, path, sha256, size, format, observed_at, observed_at_origin, parent_id, tool_version,
                       ingested_at, records_read, records_duplicate
                FROM sources ORDER BY id
                """)
        }
        for source in sources {
            let descriptor = SourceDescriptor(
                path: source["path"], sha256: source["sha256"], size: source["size"], format: source["format"],
                observedAt: (source["observed_at"] as String?).flatMap(TimestampParser.parse),
                observedAtOrigin: ObservedAtOrigin(rawValue: source["observed_at_origin"]) ?? .none, parentID: source["parent_id"])
            let writer = try SourceWriter(store: store, source: descriptor, toolVersion: source["tool_version"])
            let sourceID: Int64 = source["id"]
            let records = try reader.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT k.kind, r.line, r.pointer, r.time, r.time_origin, r.fields, r.raw
                    FROM records r JOIN record_kinds k ON k.id = r.kind_id WHERE r.source_id = ? ORDER BY r.id
                    """, arguments: [sourceID])
            }
            for record in records {
                try writer.add(StorableRecord(record: EvidenceRecord(
                    kind: RecordKind(record["kind"] as String), position: SourcePosition(line: record["line"], pointer: record["pointer"]),
                    time: (record["time"] as String?).flatMap(TimestampParser.parse),
                    timeOrigin: TimeOrigin(rawValue: record["time_origin"]) ?? .none,
                    fields: fields(record["fields"]), raw: record["raw"])))
            }
            let rejects = try reader.read { db in
                try Row.fetchAll(db, sql: "SELECT line, pointer, reason, excerpt FROM rejects WHERE source_id = ? ORDER BY id", arguments: [sourceID])
            }
            for reject in rejects {
                try writer.add(RejectedRecord(position: SourcePosition(line: reject["line"], pointer: reject["pointer"]),
                                              reason: reject["reason"], excerpt: reject["excerpt"]))
            }
            _ = try writer.finish()
            // What the original read and left out as duplicates is its history, not evidence a writer can replay.
            try store.queue.write { db in
                try db.execute(sql: "UPDATE sources SET records_read = ?, records_duplicate = ?, ingested_at = ? WHERE id = ?",
                               arguments: [source["records_read"], source["records_duplicate"], source["ingested_at"], writer.sourceID])
            }
        }
    }

    static func readOnly() -> Configuration {
        var configuration = Configuration()
        configuration.readonly = true
        return configuration
    }

    /// A fields JSON object as the record's fields, in the order Foundation's parser gives (views read fields by name).
    static func fields(_ json: String?) -> RecordFields {
        var fields = RecordFields()
        guard let json, let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return fields }
        for name in object.keys.sorted() {
            if let value = object[name].flatMap(JSONValues.fieldValue) { fields.set(name, value) }
        }
        return fields
    }
}
