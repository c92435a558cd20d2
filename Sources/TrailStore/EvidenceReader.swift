import TrailModel

/// The SQL a store speaks: each named query and view has one text per dialect.
public enum SQLDialect: String, Sendable, CaseIterable {
    /// The SQLite file of one incident (`queries/NAME.sql`).
    case sqlite
    /// An incident of a team store on PostgreSQL (`queries/postgres/NAME.sql`).
    case postgres
}

/// Where the read commands get their rows: an SQLite store, or one incident of a team store.
///
/// Readers run a named query or a read-only statement of their dialect with bound parameters and stream
/// the rows; explain, identities, changes, access, timeline, report, sources and query read evidence only
/// through this, so that they give the same answers on either store.
public protocol EvidenceReader: Sendable {
    /// The dialect of the SQL this reader runs.
    var dialect: SQLDialect { get }

    /// Runs one statement of the reader's dialect that must only read, with `:name` parameters bound by name
    /// (a nil value is NULL), streaming its column names and then its rows.
    func runReadOnly(
        sql: String,
        arguments: [String: String?],
        columns: ([String]) throws -> Void,
        row: ([TabularValue]) throws -> Void
    ) throws

    /// The named parameters (`:name`) a statement of the reader's dialect uses, without their sigil, in order.
    func parameterNames(in sql: String) throws -> [String]
}

extension EvidenceReader {
    /// Runs a named query (embedded, or a user's file) with its parameters checked and bound.
    ///
    /// A query whose header declares no parameters takes the `:name`s its SQL uses, all required.
    public func run(
        _ query: NamedQuery,
        parameters: [String: String],
        columns: ([String]) throws -> Void,
        row: ([TabularValue]) throws -> Void
    ) throws {
        let sql = try query.sql(for: dialect)
        let expected = query.declaresParameters
            ? query.parameters
            : try parameterNames(in: sql).map { NamedQuery.Parameter(name: $0) }
        let arguments = try NamedQuery.arguments(parameters, expected: expected)
        try runReadOnly(sql: sql, arguments: arguments, columns: columns, row: row)
    }

    /// Runs a named query with arguments already in the store's form (a time as `2026-03-04T10:00:00.000Z`).
    public func runNamed(
        _ query: NamedQuery,
        arguments: [String: String?],
        columns: ([String]) throws -> Void,
        row: ([TabularValue]) throws -> Void
    ) throws {
        try runReadOnly(sql: try query.sql(for: dialect), arguments: arguments, columns: columns, row: row)
    }

    /// Every source, in ingest order (the named query `source_list`).
    public func sources() throws -> [SourceSummary] {
        var columns = ColumnPositions([])
        var sources: [SourceSummary] = []
        try runNamed(try NamedQuery.require("source_list"), arguments: [:], columns: { columns = ColumnPositions($0) }) { row in
            func value(_ name: String) -> TabularValue { columns[name].map { row[$0] } ?? .null }
            func text(_ name: String) -> String? {
                if case .text(let text) = value(name) { return text }
                return nil
            }
            func integer(_ name: String) -> Int64? {
                if case .integer(let integer) = value(name) { return integer }
                return nil
            }
            sources.append(SourceSummary(
                id: integer("id") ?? 0, path: text("path") ?? "", format: text("format") ?? "", sha256: text("sha256") ?? "",
                size: integer("size") ?? 0, observedAt: text("observed_at"), observedAtOrigin: text("observed_at_origin") ?? "",
                ingestedAt: text("ingested_at") ?? "", toolVersion: text("tool_version") ?? "", status: text("status") ?? "",
                counts: SourceCounts(read: Int(integer("records_read") ?? 0), stored: Int(integer("records_stored") ?? 0),
                                     rejected: Int(integer("records_rejected") ?? 0), duplicate: Int(integer("records_duplicate") ?? 0)),
                parentID: integer("parent_id"), command: text("command").flatMap(SourceCommand.arguments(json:))))
        }
        return sources
    }
}

extension EvidenceStore: EvidenceReader {
    public var dialect: SQLDialect { .sqlite }
}
