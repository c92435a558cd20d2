import Foundation
@testable import TrailIngest
import TrailModel
import XCTest

/// Shared readers of ARM documents: GUIDs, spec examples, byte ranges, PowerShell lists, az --debug lines.
final class ARMDocumentsTests: XCTestCase {
    func testGuidsAreNormalisedFromDashedOrDashlessText() {
        XCTAssertEqual(ARMValues.guid("5DA83366C94F4D4FBE70C42F937B91A5"), "5da83366-c94f-4d4f-be70-c42f937b91a5")
        XCTAssertEqual(ARMValues.guid("5da83366-c94f-4d4f-be70-c42f937b91a5"), "5da83366-c94f-4d4f-be70-c42f937b91a5")
        XCTAssertNil(ARMValues.guid("{principalId}"))
        XCTAssertNil(ARMValues.guid("principalId1"))
        XCTAssertNil(ARMValues.guid("5da83366c94f4d4fbe70c42f937b91a5ff"))
    }

    func testLocatorFindsNestedValuesPastStringsWithBracketsAndEscapes() throws {
        let text = #"{"parameters": {"a": "}]\"x", "b": [1, {"c": 2}]}, "responses": {"200": {"body": {"value": [ {"n": 1} , {"n": "2"} ]}}}}"#
        let bytes = Array(text.utf8)
        let range = try XCTUnwrap(JSONLocator.range(of: ["responses", "200", "body", "value", "1"], in: bytes))
        XCTAssertEqual(String(decoding: bytes[range], as: UTF8.self), #"{"n": "2"}"#)
        XCTAssertNil(JSONLocator.range(of: ["responses", "201"], in: bytes))
        let scalar = try XCTUnwrap(JSONLocator.range(of: ["parameters", "b", "0"], in: bytes))
        XCTAssertEqual(String(decoding: bytes[scalar], as: UTF8.self), "1")
    }

    func testAnExampleWithoutAResponseBodyIsRejectedNotDropped() throws {
        let text = #"{"parameters": {"poolName": "p"}, "responses": {"202": {}, "204": {}}}"#
        let sink = CollectingSink(context: ParseContext(path: "test", observedAt: nil, observedAtOrigin: .none))
        try BatchPoolFormat().run(ParseInput(bytes: Array(text.utf8)), into: sink)
        XCTAssertTrue(sink.records.isEmpty)
        XCTAssertEqual(sink.rejects.count, 1)
        XCTAssertEqual(sink.rejects.first?.position.line, 1)
    }

    func testABareRecordedResponseIsOpenedToItsBody() throws {
        let text = """
            {"statusCode": 200, "headers": {"x-ms-request-id": "r"},
             "body": {"id": "/subscriptions/s/providers/Microsoft.ManagedIdentity/userAssignedIdentities/u", "name": "u",
                      "type": "Microsoft.ManagedIdentity/userAssignedIdentities", "properties": {"clientId": "c", "principalId": "p", "tenantId": "t"}}}
            """
        let sink = CollectingSink(context: ParseContext(path: "test", observedAt: nil, observedAtOrigin: .none))
        try ManagedIdentityFormat().run(ParseInput(bytes: Array(text.utf8)), into: sink)
        let record = try XCTUnwrap(sink.records.first)
        XCTAssertEqual(record.position, SourcePosition(line: 2, pointer: "/body"))
        XCTAssertEqual(record.fields.string("clientId"), "c")
        XCTAssertTrue(record.raw.hasPrefix(#"{"id": "/subscriptions/s/"#))
    }

    func testPowerShellNestedListsJoinWrappedValues() throws {
        let text = """
            Caller         : someone@example.com
            EventTimestamp : 3/1/2021 10:07:42 PM
            Properties     :
                             requestbody : {"a":"/subscriptions/
                             s1/rg"}
                             entity      : /x
            """
        let sink = CollectingSink(context: ParseContext(path: "test", observedAt: nil, observedAtOrigin: .none))
        var blocks: [PowerShellListBlock] = []
        try PowerShellList.forEachBlock(ParseInput(bytes: Array(text.utf8)), into: sink) { blocks.append($0) }
        XCTAssertEqual(blocks.count, 1)
        let nested = try XCTUnwrap(blocks.first).nested("Properties")
        XCTAssertEqual(nested.map(\.name), ["requestbody", "entity"])
        XCTAssertEqual(nested.first?.value, #"{"a":"/subscriptions/s1/rg"}"#)
    }

    func testDebugLogLinesAndDates() {
        let parts = AzureCLIDebugLogFormat.split("cli.azure.cli.core.sdk.policies: Response content:")
        XCTAssertEqual(parts?.0, "cli.azure.cli.core.sdk.policies")
        XCTAssertEqual(parts?.1, "Response content:")
        XCTAssertNil(AzureCLIDebugLogFormat.split(#"6edd-4998-aae9","principalType":"User"}"#))
        XCTAssertEqual(HTTPDate.parse("Mon, 02 Oct 2023 19:34:47 GMT")?.iso8601, "2023-10-02T19:34:47.000Z")
        XCTAssertNil(HTTPDate.parse("Monday, 02-Oct-23 19:34:47 GMT"))
    }

    /// A pool's identities are a map keyed by resource ID in ARM and a list in the Batch service's answer: one JSON shape for both.
    func testUserAssignedIdentitiesReadTheMapAndTheList() {
        let map: [String: Any] = ["userAssignedIdentities": ["/r/b": ["principalId": "p2", "clientId": "c2"], "/r/a": [String: Any]()]]
        XCTAssertEqual(ARMValues.userAssignedIdentities(map),
                       #"[{"identityResourceId":"/r/a","principalId":null,"clientId":null},{"identityResourceId":"/r/b","principalId":"p2","clientId":"c2"}]"#)
        let list: [String: Any] = ["userAssignedIdentities": [["resourceId": "/r/a", "clientId": "c1", "principalId": "p1"]]]
        XCTAssertEqual(ARMValues.userAssignedIdentities(list), #"[{"identityResourceId":"/r/a","principalId":"p1","clientId":"c1"}]"#)
        XCTAssertNil(ARMValues.userAssignedIdentities(["type": "None"]))
    }
}
