import Foundation
import TrailStore
import XCTest

/// The header of named queries, and how their parameters are checked and bound.
final class NamedQueryTests: XCTestCase {
    func testHeaderWithOneParameterALine() throws {
        let query = try XCTUnwrap(NamedQuery(text: """
            -- name: example
            -- description: First part,
            --   and its continuation.
            -- params:
            --   identity: resource ID, client ID or principal ID (example: 00000000-0000-0000-0000-0000000000b1)
            --   since: start of the window (time, optional, example: 2026-03-04T10:00:00Z)
            --   note: a meaning (with parentheses that are not attributes)
            SELECT :identity, :since, :note;
            """))
        XCTAssertEqual(query.name, "example")
        XCTAssertEqual(query.description, "First part, and its continuation.")
        XCTAssertTrue(query.declaresParameters)
        XCTAssertEqual(query.parameters, [
            .init(name: "identity", meaning: "resource ID, client ID or principal ID", example: "00000000-0000-0000-0000-0000000000b1"),
            .init(name: "since", meaning: "start of the window", example: "2026-03-04T10:00:00Z", isOptional: true, type: .time),
            .init(name: "note", meaning: "a meaning (with parentheses that are not attributes)"),
        ])
    }

    func testHeaderOnOneLineAndWithoutParameters() throws {
        let oneLine = try XCTUnwrap(NamedQuery(text: "-- name: a\n-- params: x: first (example: 1); y: second\nSELECT :x, :y"))
        XCTAssertEqual(oneLine.parameters.map(\.name), ["x", "y"])
        XCTAssertEqual(oneLine.parameters[0].example, "1")
        let none = try XCTUnwrap(NamedQuery(text: "-- name: b\n-- params: none\nSELECT 1"))
        XCTAssertTrue(none.declaresParameters)
        XCTAssertEqual(none.parameters, [])
        let undeclared = try XCTUnwrap(NamedQuery(text: "SELECT :x", defaultName: "mine"))
        XCTAssertEqual(undeclared.name, "mine")
        XCTAssertFalse(undeclared.declaresParameters)
        XCTAssertNil(NamedQuery(text: "SELECT 1"))
    }

    func testArgumentsAreCheckedAndNormalised() throws {
        let expected: [NamedQuery.Parameter] = [
            .init(name: "identity"), .init(name: "since", isOptional: true, type: .time), .init(name: "until", isOptional: true, type: .time),
        ]
        let arguments = try NamedQuery.arguments(["identity": "X", "since": "2026-03-04T11:00:00+01:00"], expected: expected)
        XCTAssertEqual(arguments["identity"], .some("X"))
        XCTAssertEqual(arguments["since"], .some("2026-03-04T10:00:00.000Z"))
        XCTAssertEqual(arguments["until"], .some(nil), "a left-out optional parameter is bound to NULL")
        XCTAssertEqual(try NamedQuery.arguments(["identity": "x", "since": "2026-03-04"], expected: expected)["since"], .some("2026-03-04T00:00:00.000Z"))
        XCTAssertEqual(try NamedQuery.arguments(["identity": "x", "since": "2026-03-04 10:05"], expected: expected)["since"], .some("2026-03-04T10:05:00.000Z"))
        XCTAssertThrowsError(try NamedQuery.arguments([:], expected: expected)) { error in
            XCTAssertEqual(error as? StoreError, .missingParameter(name: "identity", expected: ["identity", "since", "until"]))
        }
        XCTAssertThrowsError(try NamedQuery.arguments(["identity": "x", "principal": "y"], expected: expected)) { error in
            XCTAssertEqual(error as? StoreError, .unknownParameter(name: "principal", expected: ["identity", "since", "until"]))
        }
        XCTAssertThrowsError(try NamedQuery.arguments(["identity": "x", "until": "soon"], expected: expected)) { error in
            guard case .invalidParameter(let name, let value, _)? = error as? StoreError else { return XCTFail("\(error)") }
            XCTAssertEqual([name, value], ["until", "soon"])
        }
    }

    /// Each embedded query documents every parameter its SQL uses (with a meaning and an example), and no other.
    func testEmbeddedQueriesDeclareExactlyTheParametersTheyUse() throws {
        let store = try EvidenceStore(path: TestPaths.temporaryDirectory().appendingPathComponent("store.db").path, mode: .readWrite)
        for query in NamedQuery.all {
            XCTAssertTrue(query.declaresParameters, "\(query.name) has no -- params: line")
            XCTAssertFalse(query.description.isEmpty, "\(query.name) has no description")
            XCTAssertEqual(Set(try store.parameterNames(in: query.sql)), Set(query.parameters.map(\.name)), query.name)
            for parameter in query.parameters {
                XCTAssertFalse(parameter.meaning.isEmpty, "\(query.name): \(parameter.name) has no meaning")
                XCTAssertNotNil(parameter.example, "\(query.name): \(parameter.name) has no example")
            }
        }
    }
}
