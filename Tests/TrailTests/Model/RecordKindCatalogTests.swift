import Foundation
import TrailIngest
import TrailModel
import XCTest

/// `RecordKind.catalog` names every kind the SQL and the formats use, and says truly which can be failures.
final class RecordKindCatalogTests: XCTestCase {
    let catalogKinds = Set(RecordKind.catalog.map(\.kind.rawValue))

    /// The `'azure:...'` literals of the SQL files in a folder of the package.
    func kindLiterals(in folder: String) throws -> [(file: String, kind: String)] {
        let directory = TestPaths.packageRoot.appendingPathComponent(folder)
        var found: [(String, String)] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() where name.hasSuffix(".sql") {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            let regex = try NSRegularExpression(pattern: "'(azure:[a-z0-9:-]+)'")
            for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                found.append((name, String(text[Range(match.range(at: 1), in: text)!])))
            }
        }
        return found
    }

    func testEveryKindNamedInMigrationsAndQueriesIsInTheCatalog() throws {
        let literals = try kindLiterals(in: "migrations") + kindLiterals(in: "queries")
        XCTAssertGreaterThan(literals.count, 20, "the SQL names kinds; the scan found too few")
        for (file, kind) in literals {
            XCTAssertTrue(catalogKinds.contains(kind), "\(file) names \(kind), which RecordKind.catalog does not list")
        }
    }

    func testCatalogListsEachKindOnceWithItsMeaning() {
        XCTAssertEqual(catalogKinds.count, RecordKind.catalog.count, "a kind is listed twice")
        for entry in RecordKind.catalog {
            XCTAssertTrue(entry.kind.rawValue.hasPrefix("azure:"), entry.kind.rawValue)
            XCTAssertFalse(entry.meaning.isEmpty, "\(entry.kind) has no meaning")
        }
    }

    /// The kinds the newest definition of what a failure is considers are exactly the catalog's possible failures:
    /// the `failures_by_fields` view since migration 0012 (ingest stores its rows, `failures` reads them), the
    /// `failures` view before.
    func testFailuresViewConsidersExactlyTheKindsThatCanBeFailures() throws {
        let directory = TestPaths.packageRoot.appendingPathComponent("migrations")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sql") }.sorted()
        let heads = ["CREATE VIEW failures_by_fields AS", "CREATE VIEW failures AS"]
        let definitions = try names.map { try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8) }
            .filter { text in heads.contains { text.contains($0) } }
        let newest = try XCTUnwrap(definitions.last)
        let head = try XCTUnwrap(heads.first { newest.contains($0) })
        let view = String(newest[newest.range(of: head)!.lowerBound...])
        let kindList = try XCTUnwrap(view.range(of: #"WHERE \w+\.kind IN \("#, options: .regularExpression), "no WHERE ... kind IN (...) in the failures view")
        let whereList = String(view[kindList.upperBound...].prefix { $0 != ")" })
        let viewKinds = Set(whereList.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \n'")) })
        let failureKinds = Set(RecordKind.catalog.filter(\.canBeFailure).map(\.kind.rawValue))
        XCTAssertEqual(viewKinds.subtracting(failureKinds), [], "the failures view considers kinds the catalog says cannot fail")
        XCTAssertEqual(failureKinds.subtracting(viewKinds), [], "the catalog says these kinds can fail, but the failures view ignores them")
    }

    /// Every kind a format emits for its fixtures is in the catalog.
    func testEveryKindTheFormatsEmitIsInTheCatalog() throws {
        let folder = TestPaths.fixtures.appendingPathComponent("formats")
        for format in FormatRegistry.all {
            for input in FixtureRendering.inputs(in: folder.appendingPathComponent(format.id)) {
                let sink = try FixtureRendering.parse(try FixtureRendering.decodedBytes(input), format: format, path: input.lastPathComponent)
                for record in sink.records {
                    XCTAssertNotNil(record.kind.catalogEntry, "\(format.id)/\(input.lastPathComponent) emits \(record.kind), not in RecordKind.catalog")
                }
            }
        }
    }
}
