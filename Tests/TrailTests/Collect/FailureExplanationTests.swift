@testable import TrailCollect
import XCTest

/// What the summary says a failed command needs, from the Azure CLI's error text (real wording: ARM's
/// AuthorizationFailed, the Batch service's AuthorizationFailure, Microsoft Graph, the Azure CLI itself).
final class FailureExplanationTests: XCTestCase {
    let roleList = AzureCommands.roleAssignmentsInSubscription(subscription: "00000000-0000-0000-0000-0000000000f1")
    let poolList = AzureCommands.poolList(account: CollectPlanTests.account)
    let query = AzureCommands.logAnalyticsQuery(workspace: "00000000-0000-0000-0000-0000000000f7", query: "T", timespan: "P7D", file: "l.json", purpose: "logs")

    func remedy(_ command: PlannedCommand, _ error: String, timedOut: Bool = false) -> String {
        FailureExplanation.explain(command, standardError: error, timedOut: timedOut, timeout: 300).remedy
    }

    func testRefusalsNameTheRoleTheCollectorNeeds() {
        XCTAssertEqual(remedy(roleList, "ERROR: (AuthorizationFailed) The client 'u@example.com' with object id '...' does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/read' over scope '/subscriptions/x'"),
                       "you need Reader on the subscription 00000000-0000-0000-0000-0000000000f1 (any role with Microsoft.Authorization/roleAssignments/read)")
        XCTAssertTrue(remedy(poolList, "ERROR: (AuthorizationFailure) This request is not authorized to perform this operation.\nRequestId:00000000-0000-0000-0000-000000000001")
            .hasPrefix("you need Azure Batch Account Reader (or Azure Batch Account Contributor) on the Batch account batchfixture"))
        XCTAssertTrue(remedy(AzureCommands.groupMembers(group: "g", nestedIn: nil), "ERROR: Insufficient privileges to complete the operation.")
            .contains("Directory Readers"))
        XCTAssertEqual(remedy(query, "ERROR: (InsufficientAccessError) The provided credentials have insufficient access to perform the requested operation"),
                       "you need Log Analytics Reader on the workspace 00000000-0000-0000-0000-0000000000f7")
    }

    func testOtherFailuresSayWhatToDo() {
        XCTAssertEqual(remedy(roleList, "ERROR: AADSTS700082: The refresh token has expired due to inactivity.\nTo re-authenticate, please run:\naz login"),
                       "the Azure CLI wants you to log in again: run `az login`, then mitrail collect again")
        XCTAssertEqual(remedy(query, "ERROR: 'query' is misspelled or not recognized by the system.\n\nhttps://aka.ms/cli_ref"),
                       "the Azure CLI extension log-analytics is not installed: run `az extension add --name log-analytics`, then mitrail collect again")
        XCTAssertTrue(remedy(query, "ERROR: (PathNotFoundError) The requested path does not exist").contains("workspace ID (a GUID"))
        XCTAssertEqual(remedy(roleList, "ERROR: (ResourceGroupNotFound) Resource group 'rg-x' could not be found."),
                       "not found: check the name and the subscription (--subscription)")
        XCTAssertTrue(remedy(roleList, "", timedOut: true).contains("longer --timeout"))
        XCTAssertEqual(remedy(roleList, "ERROR: something else"),
                       "if it is a permission problem, you need Reader on the subscription 00000000-0000-0000-0000-0000000000f1 (any role with Microsoft.Authorization/roleAssignments/read)")
    }

    func testTheErrorKeptIsRedactedAndShort() {
        let debug = (["cli.azure.cli.core.sdk.policies:     'Authorization': 'Bearer \(PlantedSecretsTests.token)'",
                      "urllib3: https://example.blob.core.windows.net/c/b?sv=2022&sig=\(PlantedSecretsTests.sasSignature)"]
                     + (1...30).map { "line \($0)" }).joined(separator: "\n")
        let error = FailureExplanation.explain(roleList, standardError: debug, timedOut: false, timeout: 300).error
        XCTAssertFalse(error.contains(PlantedSecretsTests.tokenSignature))
        XCTAssertFalse(error.contains(PlantedSecretsTests.sasSignature))
        XCTAssertTrue(error.contains("sig=REDACTED"), error)
        XCTAssertEqual(error.split(separator: "\n").count, FailureExplanation.maximumLines + 1, "twelve lines and an ellipsis")
    }
}
