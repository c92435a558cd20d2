import TrailStore

/// The Datasette metadata file `mitrail browse` generates: one canned query per named query, the views
/// described from `docs/QUERIES.md`, and the settings a big store needs (passed on Datasette's command line).
public enum DatasetteMetadata {
    /// Facet suggestions count every column of every page (slow on a million records); a query may take 20 s.
    public static let settings: [(name: String, value: String)] = [("suggest_facets", "off"), ("sql_time_limit_ms", "20000")]

    /// The metadata document for a store that Datasette names `database` (its file name without `.db`).
    public static func document(database: String, queries: [NamedQuery] = NamedQuery.all,
                                views: [ViewDocumentation] = ViewDocumentation.all) throws -> JSONValue {
        let canned = try queries.map(DatasetteCannedQuery.init)
        return .object([
            ("title", .string("mitrail evidence store")),
            ("description", .string("Evidence of an Azure managed-identity incident, ingested by mitrail. The views are the stable faces of "
                                    + "the store (docs/QUERIES.md); the canned queries are mitrail's named queries, with the same results "
                                    + "as `mitrail query NAME`.")),
            ("databases", .object([(database, .object([
                ("tables", .object(views.map { view in
                    (view.view, .object([
                        ("description", .string(view.description)),
                        ("columns", .object(view.columns.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
                    ]))
                })),
                ("queries", .object(canned.map { query in
                    (query.name, .object([
                        ("title", .string(query.title)),
                        ("description", .string(query.description)),
                        ("params", .array(query.parameters.map(JSONValue.string))),
                        ("sql", .string(query.sql)),
                    ]))
                })),
            ]))])),
        ])
    }

    /// The `--setting NAME VALUE` arguments for `datasette serve`.
    public static var settingArguments: [String] {
        settings.flatMap { ["--setting", $0.name, $0.value] }
    }
}
