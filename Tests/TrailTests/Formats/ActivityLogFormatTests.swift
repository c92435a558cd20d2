import Foundation
@testable import TrailIngest
import TrailModel
import XCTest

/// The parts of the Activity Log formats that decide what an event says about a role assignment.
final class ActivityLogFormatTests: XCTestCase {
    func parse(_ text: String, with format: any EvidenceFormat = ActivityLogFormat()) throws -> CollectingSink {
        let sink = CollectingSink(context: ParseContext(path: "test", observedAt: nil, observedAtOrigin: .none))
        try format.run(ParseInput(bytes: Array(text.utf8)), into: sink)
        return sink
    }

    func testDashlessGuidsOfACascadeDeleteAreNormalised() throws {
        let event = """
            {"eventTimestamp": "2020-09-07T08:31:50.3772554Z", "operationName": {"value": "Microsoft.Authorization/roleAssignments/delete"},
             "status": {"value": "Succeeded"}, "eventName": {"value": "EndRequest"},
             "resourceId": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/5DA83366C94F4D4FBE70C42F937B91A5",
             "properties": {"id": "5da83366c94f4d4fbe70c42f937b91a5", "principalId": "e26128967fb9471ca0e0a87ecc5026df",
                            "roleDefinitionId": "acdd72a7338548efbd42f606fba81ae7", "scope": "/subscriptions/s/resourceGroups/rg"}}
            """
        let fields = try XCTUnwrap(parse(event).records.first?.fields)
        XCTAssertEqual(fields.string("roleAssignmentName"), "5da83366-c94f-4d4f-be70-c42f937b91a5")
        XCTAssertEqual(fields.string("roleAssignmentId"), "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/5da83366-c94f-4d4f-be70-c42f937b91a5")
        XCTAssertEqual(fields.string("principalId"), "e2612896-7fb9-471c-a0e0-a87ecc5026df")
        XCTAssertEqual(fields.string("roleDefinitionGuid"), "acdd72a7-3385-48ef-bd42-f606fba81ae7")
        XCTAssertEqual(fields.string("scope"), "/subscriptions/s/resourceGroups/rg")
        XCTAssertEqual(fields.string("operationStatus"), "Succeeded")
        XCTAssertEqual(fields.string("eventPhase"), "EndRequest")
    }

    /// The request body is JSON inside a string, with the capitalised names the docs show; the scope comes from the resource ID.
    func testRequestBodyInsideAStringAndScopeFromTheResourceId() throws {
        let event = #"""
            {"eventTimestamp": "2021-03-01T22:07:41.126243+00:00", "authorization": {"action": "Microsoft.Authorization/roleAssignments/write",
             "scope": "/providers/Microsoft.Authorization/roleAssignments/00000000-0000-0000-0000-0000000000c1"},
             "properties": {"requestbody": "{\"Properties\":{\"PrincipalId\":\"00000000-0000-0000-0000-0000000000A1\",\"RoleDefinitionId\":\"/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1\"}}"}}
            """#
        let sink = try parse(event)
        let record = try XCTUnwrap(sink.records.first)
        XCTAssertEqual(record.time?.iso8601, "2021-03-01T22:07:41.126Z")
        XCTAssertEqual(record.fields.string("operationName"), "Microsoft.Authorization/roleAssignments/write")
        XCTAssertEqual(record.fields.string("principalId"), "00000000-0000-0000-0000-0000000000a1")
        XCTAssertEqual(record.fields.string("roleDefinitionGuid"), "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1")
        XCTAssertEqual(record.fields.string("scope"), "/", "an assignment at the root scope")
    }

    func testBeginAndEndOfOneOperationStayTwoRecords() throws {
        let lines = """
            {"time":"2026-03-04T10:00:00Z","resourceId":"/S/P/MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/X","operationName":"MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE","category":"Administrative","resultType":"Start","resultSignature":"Started.","correlationId":"c1"}
            {"time":"2026-03-04T10:00:01Z","resourceId":"/S/P/MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/X","operationName":"MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE","category":"Administrative","resultType":"Success","resultSignature":"Succeeded.Created","correlationId":"c1"}
            """
        let records = try parse(lines).records
        XCTAssertEqual(records.map { $0.fields.string("operationStatus") }, ["Started", "Succeeded"])
        XCTAssertEqual(records.map { $0.fields.string("statusCode") }, [nil, "Created"])
    }

    func testDiagnosticRecordsOfOtherLogsAreNotActivityLogEvents() {
        let signIn = #"{"time":"2026-03-04T10:00:00Z","resourceId":"/tenants/t/providers/Microsoft.aadiam","operationName":"Sign-in activity","category":"ManagedIdentitySignInLogs","resultType":"0"}"#
        XCTAssertNil(ActivityLogFormat.shape(of: (try? JSONSerialization.jsonObject(with: Data(signIn.utf8))) as? [String: Any] ?? [:]))
    }

    func testSubStatusSplitsIntoTextAndHTTPStatus() {
        XCTAssertTrue(ActivityLogEvent.splitSubStatus("Created (HTTP Status Code: 201)") == ("Created", 201))
        XCTAssertTrue(ActivityLogEvent.splitSubStatus("Forbidden") == ("Forbidden", nil))
        XCTAssertTrue(ActivityLogEvent.splitSubStatus("") == (nil, nil))
    }

    /// The Activity Log `authorization` object is not an Authorization header: the raw text keeps it; real headers are still redacted.
    func testAuthorizationObjectSurvivesRedactionButHeadersDoNot() {
        let event = #"{"authorization":{"action":"Microsoft.Authorization/roleAssignments/write","scope":"/s"},"caller":"x"}"#
        XCTAssertEqual(Redactor.redact(event), event)
        XCTAssertEqual(Redactor.redact(#"{"Authorization": "Bearer opaque-credential"}"#), #"{"Authorization": "Bearer REDACTED"}"#)
        XCTAssertEqual(Redactor.redact("Authorization: Basic dXNlcjpwYXNz"), "Authorization: REDACTED")
    }

    func testUSTimesOfPowerShellAndThePortalAreRead() {
        XCTAssertEqual(LocalizedTime.parse("3/1/2021 10:07:42 PM")?.time.iso8601, "2021-03-01T22:07:42.000Z")
        XCTAssertEqual(LocalizedTime.parse("12/31/2025 12:00:05 AM")?.time.iso8601, "2025-12-31T00:00:05.000Z")
        XCTAssertEqual(LocalizedTime.parse("1/2/2026, 12:30:00.123 PM")?.time.iso8601, "2026-01-02T12:30:00.123Z")
        XCTAssertNil(LocalizedTime.parse("01.03.2021 22:07:42"))
        XCTAssertNil(LocalizedTime.parse("3/1/2021 13:07:42 PM"))
        XCTAssertEqual(ActivityLogEvent.time("/Date(1614636462123)/").time?.iso8601, "2021-03-01T22:07:42.123Z")
        XCTAssertEqual(ActivityLogEvent.time("03/04/2026 09:41:00").unread, "03/04/2026 09:41:00", "day or month first: not guessed")
    }

    func testCSVFieldsWithQuotesCommasAndOpenQuotes() throws {
        func scan(_ text: String) throws -> [CSVScanResult] {
            var results: [CSVScanResult] = []
            try ParseInput(bytes: Array(text.utf8)).forEachCSVRow { results.append($0) }
            return results
        }
        guard case .row(let row)? = try scan(#"a,"b,c","{""k"":""v""}",,"""#).first else { return XCTFail("no row") }
        XCTAssertEqual(row.fields, ["a", "b,c", #"{"k":"v"}"#, "", ""])
        guard case .malformed? = try scan(#"a,"open"#).first else { return XCTFail("an open quote is not malformed") }
    }
}
