import Foundation
@testable import TrailStore
import XCTest

/// docs/QUERIES.md describes every view of the store (what `mitrail browse` shows in Datasette), and
/// the columns it documents are the views' columns.
final class ViewDocumentationTests: XCTestCase {
    func testEveryViewIsDescribedAndItsDocumentedColumnsExist() throws {
        let store = try EvidenceStore(path: TestPaths.temporaryDirectory(name).appendingPathComponent("store.db").path, mode: .readWrite)
        var views: [String] = []
        try store.runReadOnly(sql: "SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name", columns: { _ in }) {
            views.append($0[0].displayText)
        }
        XCTAssertGreaterThan(views.count, 5)
        let documented = Dictionary(ViewDocumentation.all.map { ($0.view, $0) }, uniquingKeysWith: { first, _ in first })
        XCTAssertEqual(Set(documented.keys), Set(views), "views in the schema and in docs/QUERIES.md")
        for view in views {
            let documentation = try XCTUnwrap(documented[view], view)
            XCTAssertGreaterThan(documentation.description.count, 10, "\(view): \(documentation.description)")
            var columns: [String] = []
            try store.runReadOnly(sql: "SELECT * FROM \(view) LIMIT 0", columns: { columns = $0 }) { _ in }
            for column in documentation.columns.keys {
                XCTAssertTrue(columns.contains(column), "docs/QUERIES.md documents \(view).\(column), which the view does not have")
            }
            if !documentation.columns.isEmpty {
                XCTAssertEqual(Set(columns).subtracting(documentation.columns.keys), [], "\(view): columns without a meaning")
            }
        }
    }

    func testHeadingsTablesAndBulletsAreRead() {
        let views = ViewDocumentation.parse("""
            ## Views

            ### `alpha`: one row per thing

            What it is for,
            on two lines.

            | column | meaning |
            | --- | --- |
            | `id`, `name` | keys |
            | `time` | when |

            | kinds | a failure when |
            | --- | --- |
            | `x` | not a column |

            ### The earlier views

            - `beta`: one row per other thing: `a`,
              `b`.

            ## Named queries

            - `gamma`: not a view
            """)
        XCTAssertEqual(views, [
            ViewDocumentation(view: "alpha", description: "One row per thing. What it is for, on two lines.",
                              columns: ["id": "keys", "name": "keys", "time": "when"]),
            ViewDocumentation(view: "beta", description: "One row per other thing: `a`, `b`.", columns: [:]),
        ])
    }
}
