import TrailIngest
import XCTest

/// Taking ARM authorization failure messages apart: who, which action, which scope.
final class ARMErrorFormatTests: XCTestCase {
    let scope = "/subscriptions/00000000-0000-0000-0000-0000000000f1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st"

    func testAuthorizationFailedWithScopeInvalidSuffix() {
        let message = "The client '00000000-0000-0000-0000-0000000000c1' with object id '00000000-0000-0000-0000-0000000000a1' "
            + "does not have authorization to perform action 'Microsoft.Storage/storageAccounts/listKeys/action' over scope '\(scope)' "
            + "or the scope is invalid. If access was recently granted, please refresh your credentials."
        XCTAssertEqual(ARMAuthorizationMessage.parse(message), ARMAuthorizationMessage(
            caller: "00000000-0000-0000-0000-0000000000c1", objectId: "00000000-0000-0000-0000-0000000000a1",
            action: "Microsoft.Storage/storageAccounts/listKeys/action", scope: scope))
    }

    func testOlderMessageWithoutSuffix() {
        let message = "The client 'user@example.com' with object id '00000000-0000-0000-0000-0000000000a2' does not have "
            + "authorization to perform action 'Microsoft.Resources/subscriptions/resourcegroups/read' over scope '\(scope)'."
        let parsed = ARMAuthorizationMessage.parse(message)
        XCTAssertEqual(parsed?.caller, "user@example.com")
        XCTAssertEqual(parsed?.objectId, "00000000-0000-0000-0000-0000000000a2")
        XCTAssertEqual(parsed?.action, "Microsoft.Resources/subscriptions/resourcegroups/read")
        XCTAssertEqual(parsed?.scope, scope)
    }

    func testClientWithoutNameAndABACWording() {
        let message = "The client with object id '00000000-0000-0000-0000-0000000000a3' does not have authorization or an ABAC "
            + "condition not fulfilled to perform action 'Microsoft.Storage/storageAccounts/read' over scope '\(scope)' or the scope is invalid."
        let parsed = ARMAuthorizationMessage.parse(message)
        XCTAssertNil(parsed?.caller)
        XCTAssertEqual(parsed?.objectId, "00000000-0000-0000-0000-0000000000a3")
        XCTAssertEqual(parsed?.action, "Microsoft.Storage/storageAccounts/read")
        XCTAssertEqual(parsed?.scope, scope)
    }

    func testLinkedAuthorizationFailed() {
        let identity = "/subscriptions/00000000-0000-0000-0000-0000000000f1/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id"
        let message = "The client '00000000-0000-0000-0000-0000000000c4' with object id '00000000-0000-0000-0000-0000000000a4' has "
            + "permission to perform action 'Microsoft.Batch/batchAccounts/pools/write' on scope '\(scope)'; however, it does not have "
            + "permission to perform action(s) 'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action' on the linked scope(s) "
            + "'\(identity)' (respectively) or the linked scope(s) are invalid."
        XCTAssertEqual(ARMAuthorizationMessage.parse(message), ARMAuthorizationMessage(
            caller: "00000000-0000-0000-0000-0000000000c4", objectId: "00000000-0000-0000-0000-0000000000a4",
            action: "Microsoft.ManagedIdentity/userAssignedIdentities/assign/action", scope: identity,
            permittedAction: "Microsoft.Batch/batchAccounts/pools/write", permittedScope: scope))
    }

    func testOtherMessagesAreNotAuthorizationFailures() {
        XCTAssertNil(ARMAuthorizationMessage.parse("The managed identity does not have permission to access auto storage account."))
        XCTAssertNil(ARMAuthorizationMessage.parse("The client 'x"))
        XCTAssertNil(ARMAuthorizationMessage.parse(""))
    }

    func testGUIDClientBecomesClientIdAndUPNBecomesCaller() throws {
        let records = try parse(#"""
            {"error":{"code":"AuthorizationFailed","message":"The client 'user@example.com' with object id '00000000-0000-0000-0000-0000000000a2' does not have authorization to perform action 'a/b/read' over scope '/subscriptions/x' or the scope is invalid."}}
            """#, format: ARMErrorFormat())
        XCTAssertEqual(records.records.first?.fields.string("caller"), "user@example.com")
        XCTAssertNil(records.records.first?.fields["clientId"])
        XCTAssertEqual(records.records.first?.fields.string("principalId"), "00000000-0000-0000-0000-0000000000a2")
    }

    func testIMDSErrorBodiesAreNotARMErrors() {
        let imds = #"{"error":"invalid_request","error_description":"Identity not found"}"#
        XCTAssertFalse(ARMErrorFormat().sniff(SniffSample(bytes: Array(imds.utf8), isComplete: true)))
    }
}

/// Parses text with a format, redaction on, as ingest does.
func parse(_ text: String, format: any EvidenceFormat, path: String = "test") throws -> CollectingSink {
    try FixtureRendering.parse(Array(text.utf8), format: format, path: path)
}
