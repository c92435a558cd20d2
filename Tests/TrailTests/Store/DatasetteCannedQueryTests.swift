import Foundation
import TrailModel
import TrailStore
import XCTest

/// The canned queries `mitrail browse` gives Datasette: parameters rewritten only where SQL uses them, times
/// read in SQL exactly as `mitrail query` reads them, and every named query with the same rows as mitrail's.
final class DatasetteCannedQueryTests: XCTestCase {
    var store: EvidenceStore!

    override func setUpWithError() throws {
        store = try EvidenceStore(path: TestPaths.temporaryDirectory(name).appendingPathComponent("store.db").path, mode: .readWrite)
    }

    /// Runs SQL on the store with every value bound as given; the rows as display text, or the error's text.
    func rows(_ sql: String, _ arguments: [String: String?]) -> Result<[[TabularValue]], StoreError> {
        var rows: [[TabularValue]] = []
        do {
            try store.runReadOnly(sql: sql, arguments: arguments, columns: { _ in }) { rows.append($0) }
            return .success(rows)
        } catch let error as StoreError {
            return .failure(error)
        } catch {
            return .failure(.invalidQuery(reason: "\(error)"))
        }
    }

    func testParametersAreRewrittenOnlyWhereTheSQLUsesThem() throws {
        let query = try XCTUnwrap(NamedQuery(text: """
            -- name: rewriting
            -- description: Parameters in strings, identifiers and comments stay as they are.
            -- params:
            --   since: a time (time, optional, example: 2026-03-04T10:00:00Z)
            --   node: a node (optional, example: n1)
            --   scope: a scope (example: /subscriptions/x)
            SELECT ':since' AS literal, ":node" AS quoted, [a:scope] AS bracketed, -- :since in a comment
                   /* :node */ :since AS since, :node AS node, @scope AS scope, 'it''s :scope' AS escaped
            """))
        let sql = try DatasetteCannedQuery(query).sql
        XCTAssertTrue(sql.hasPrefix("-- name: rewriting\n"), "the header stays")
        XCTAssertTrue(sql.contains("\nWITH mitrail_times_given(name, given) AS (\n    VALUES ('since', nullif(:since, ''))\n),"), sql)
        let start: Range<String.Index> = try XCTUnwrap(sql.range(of: "\nSELECT ':since'"))
        let body = String(sql[start.lowerBound...])
        XCTAssertEqual(body, """

            SELECT ':since' AS literal, ":node" AS quoted, [a:scope] AS bracketed, -- :since in a comment
                   /* :node */ (SELECT "since" FROM mitrail_parameters) AS since, nullif(:node, '') AS node, @scope AS scope, 'it''s :scope' AS escaped
            """)
    }

    func testCommonTableExpressionsGoFirstInAWithList() throws {
        for (head, expected) in [("WITH", "WITH\nmitrail_times_given"), ("with recursive", "with recursive\nmitrail_times_given")] {
            let query = try XCTUnwrap(NamedQuery(text: """
                -- name: listed
                -- params: until: a time (time, example: 2026-03-04T12:00:00Z)
                \(head) numbers(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM numbers WHERE n < 3)
                SELECT n, :until AS until FROM numbers
                """))
            let sql = try DatasetteCannedQuery(query).sql
            XCTAssertTrue(sql.contains(expected), sql)
            XCTAssertTrue(sql.contains("),\n numbers(n) AS"), sql)
            XCTAssertEqual(try rows(sql, ["until": "2026-03-04T12:00:00+01:00"]).get(),
                           (1...3).map { [.integer(Int64($0)), .text("2026-03-04T11:00:00.000Z")] })
        }
    }

    /// Every input, valid or not, gives in SQL what `NamedQuery.arguments` gives `mitrail query`: the same
    /// normalised time, or an error that names the parameter.
    func testTimesAreReadInSQLAsMitrailQueryReadsThem() throws {
        let query = try XCTUnwrap(NamedQuery(text: "-- name: t\n-- params: at: a time (time, optional, example: 2026-03-04T10:00:00Z)\nSELECT :at AS at"))
        let sql = try DatasetteCannedQuery(query).sql
        var inputs = ["2026-03-04", "2026-03-04T10:15", "2026-03-04 10:15", "2026-03-04T10:15Z", "2026-03-04T10:00:00.9999Z",
                      "2026-03-04t10:00:00,5z", "2026-03-04T10:00:60Z", "2026-02-30", "2024-02-29", "2025-02-29", "2026-03-04T10:00:00+0200",
                      "2026-03-04T10:00:00-05", "2026-03-04T10:00:00+02:", "0000-01-01T00:00:00+01:00", "0000-01-01T00:00:00-01:00",
                      "9999-12-31T23:59:59.999Z", "9999-12-31T23:30:00-01:00", "2026-03-04T10:00:00.", "now", "2461000.5", "1709546400",
                      "1969-12-31T23:59:59.5Z", " 2026-03-04", "2026-03-04 ", "2026-03-04T10:00:00Z "]
        var generator = SeededGenerator(seed: 18)
        // Each piece of a time: the forms mitrail reads, then forms it does not (chosen one time in ten).
        let pieces: [(valid: [String], invalid: [String])] = [
            (["2026", "0000", "9999", "1969", "2024"], ["abcd", "202"]), (["-"], ["/"]), (["01", "02", "12"], ["13", "00", "1"]), (["-"], [""]),
            (["01", "28", "29", "30", "31"], ["00", "3", "32"]), (["T", "t", " "], ["x", ""]),
            (["10:15:30", "23:59:59", "10:00:60", "00:00:00", "10:15"], ["24:00:00", "10:60:00", "10:00:61", "10", "1:00:00", ""]),
            (["", ".1", ".12", ".123", ".1234", ".999999", ",5"], [".", ".a"]),
            (["", "Z", "z", "+01:00", "-05:00", "+0130", "-05", "+14:00"], ["+15:00", "+01:60", "+01:", "+1", "+01:3", "Zx", " Z"]),
        ]
        for _ in 0..<2_000 {
            inputs.append(pieces.map { piece in
                let choices = generator.next() % 10 == 0 ? piece.invalid : piece.valid
                return choices[Int(generator.next() % UInt64(choices.count))]
            }.joined())
        }
        var valid = 0
        for input in inputs {
            let fromSQL = rows(sql, ["at": input])
            do {
                let expected = try NamedQuery.arguments(["at": input], expected: query.parameters)["at"] ?? nil
                XCTAssertEqual(try fromSQL.get(), [[expected.map(TabularValue.text) ?? .null]], "'\(input)'")
                valid += 1
            } catch {
                guard case .failure(.invalidQuery(let reason)) = fromSQL else { XCTFail("'\(input)' is no time, but SQL read it: \(fromSQL)"); continue }
                XCTAssertTrue(reason.contains("at is not a time"), "'\(input)': \(reason)")
            }
        }
        XCTAssertGreaterThan(valid, 400, "too few valid times among the inputs to say much")
        XCTAssertEqual(try rows(sql, ["at": ""]).get(), [[.null]], "empty is not given")
    }

    /// On the forensics incident: every named query, run as Datasette runs its canned query (every
    /// parameter bound, '' for those left empty), gives the rows `mitrail query` gives.
    func testEveryCannedQueryGivesTheRowsOfItsNamedQuery() throws {
        let forensics = try EvidenceStore(path: try ForensicsIncident.database().path, mode: .readOnly)
        var nonEmpty = 0
        for query in NamedQuery.all {
            let canned = try DatasetteCannedQuery(query)
            XCTAssertEqual(canned.parameters, query.parameters.map(\.name))
            for given in Self.parameterChoices(query) {
                var expected: [[TabularValue]] = [], actual: [[TabularValue]] = []
                try forensics.run(query, parameters: given, columns: { _ in }) { expected.append($0) }
                let bound = Dictionary(uniqueKeysWithValues: query.parameters.map { ($0.name, Optional(given[$0.name] ?? "")) })
                try forensics.runReadOnly(sql: canned.sql, arguments: bound, columns: { _ in }) { actual.append($0) }
                XCTAssertEqual(actual, expected, "\(query.name) \(given)")
                if !expected.isEmpty { nonEmpty += 1 }
            }
        }
        XCTAssertGreaterThan(nonEmpty, NamedQuery.all.count, "most queries should return rows on the forensics incident")
    }

    /// The parameter sets to try: every parameter's example, and the required ones only (optional ones empty);
    /// a query with time parameters also gets its first one as a bare date, and all of them with an offset.
    static func parameterChoices(_ query: NamedQuery) -> [[String: String]] {
        let examples = Dictionary(uniqueKeysWithValues: query.parameters.map { ($0.name, $0.example ?? "") })
        let required = examples.filter { name, _ in query.parameters.contains { $0.name == name && !$0.isOptional } }
        var choices = [examples, required]
        let times = query.parameters.filter { $0.type == .time }.map(\.name)
        if let first = times.first {
            var dated = examples, offset = examples
            dated[first] = "2026-03-04"
            for name in times {
                // The example's instant, written an hour ahead with a +01:00 offset.
                guard let time = examples[name].flatMap(TimestampParser.parse) else { continue }
                offset[name] = String(time.adding(milliseconds: 3_600_000).iso8601.dropLast()) + "+01:00"
            }
            choices += [dated, offset]
        }
        return choices.reduce(into: []) { unique, choice in if !unique.contains(choice) { unique.append(choice) } }
    }
}
