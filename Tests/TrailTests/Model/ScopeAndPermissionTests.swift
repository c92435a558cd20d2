import TrailModel
import XCTest

final class ScopeAndPermissionTests: XCTestCase {
    let subscription = "/subscriptions/00000000-0000-0000-0000-0000000000f1"
    var group: String { subscription + "/resourceGroups/rg-Fixture" }
    var account: String { group + "/providers/Microsoft.Storage/storageAccounts/stfixture" }
    var container: String { account + "/blobServices/default/containers/appdata" }

    func testScopesContainTheirDescendantsCaseInsensitively() {
        let scopes = [subscription, group, account, container].map(ARMScope.init)
        for (index, outer) in scopes.enumerated() {
            for (innerIndex, inner) in scopes.enumerated() {
                XCTAssertEqual(outer.contains(inner), index <= innerIndex, "\(outer) vs \(inner)")
            }
        }
        XCTAssertTrue(ARMScope(subscription.uppercased()).contains(ARMScope(container.lowercased())))
        XCTAssertTrue(ARMScope(account + "/").contains(ARMScope(account)))
        XCTAssertEqual(ARMScope(account.uppercased()), ARMScope(account))
    }

    func testSiblingsAndPrefixesThatAreNotSegmentsAreUnrelated() {
        XCTAssertFalse(ARMScope(subscription).contains(ARMScope(subscription + "0/resourceGroups/rg")))
        XCTAssertFalse(ARMScope(account).contains(ARMScope(account + "2")))
        XCTAssertFalse(ARMScope(container).contains(ARMScope(account)))
        XCTAssertTrue(ARMScope("/").contains(ARMScope(account)))
    }

    func testManagementGroupsDependOnEvidence() {
        let managementGroup = ARMScope("/providers/Microsoft.Management/managementGroups/mg-fixture")
        XCTAssertEqual(managementGroup.level, .managementGroup)
        XCTAssertEqual(managementGroup.relation(to: ARMScope(account)), .dependsOnManagementGroup)
    }

    func testLevelsAndParts() {
        XCTAssertEqual(ARMScope(subscription).level, .subscription)
        XCTAssertEqual(ARMScope(group).level, .resourceGroup)
        XCTAssertEqual(ARMScope(account).level, .resource)
        XCTAssertEqual(ARMScope(container).resourceGroup, "rg-fixture")
        XCTAssertEqual(ARMScope(container).resourceScope(namespace: "Microsoft.Storage", type: "storageAccounts"), ARMScope(account))
        XCTAssertNil(ARMScope(group).resourceScope(namespace: "Microsoft.Storage", type: "storageAccounts"))
    }

    func testActionPatterns() {
        XCTAssertTrue(ActionPattern("*").matches("Microsoft.Storage/storageAccounts/read"))
        XCTAssertTrue(ActionPattern("*/read").matches("Microsoft.Storage/storageAccounts/read"))
        XCTAssertFalse(ActionPattern("*/read").matches("Microsoft.Storage/storageAccounts/write"))
        XCTAssertTrue(ActionPattern("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*")
            .matches("microsoft.storage/storageaccounts/blobservices/containers/blobs/read"))
        XCTAssertTrue(ActionPattern("Microsoft.Authorization/*/Write").matches("Microsoft.Authorization/roleAssignments/write"))
        XCTAssertFalse(ActionPattern("Microsoft.Storage/storageAccounts/read").matches("Microsoft.Storage/storageAccounts/readx"))
        XCTAssertTrue(ActionPattern("Microsoft.KeyVault/locations/*/read").matches("Microsoft.KeyVault/locations/deletedVaults/read"))
    }

    func testOwnerGrantsNoBlobReadAndNotDataActionsSubtract() {
        let blobRead = RequiredAction("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", isDataAction: true)
        let owner = RolePermissions(actions: ["*"])
        XCTAssertFalse(owner.grants(blobRead))
        XCTAssertTrue(owner.isControlPlaneOnly)
        let contributor = RolePermissions(actions: ["*"], notActions: ["Microsoft.Authorization/*/Write"])
        XCTAssertFalse(contributor.grants(RequiredAction("Microsoft.Authorization/roleAssignments/write", isDataAction: false)))
        XCTAssertEqual(contributor.exclusion(of: RequiredAction("Microsoft.Authorization/roleAssignments/write", isDataAction: false))?.pattern,
                       "Microsoft.Authorization/*/Write")
        let reader = RolePermissions(dataActions: ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"])
        XCTAssertTrue(reader.grants(blobRead))
        let trimmed = RolePermissions(dataActions: ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*"],
                                      notDataActions: ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"])
        XCTAssertFalse(trimmed.grants(blobRead))
    }
}
