import Foundation
import TrailModel
import TrailStore
import XCTest

/// The built-in role catalog (migrations/0002) is applied to a fresh store and holds what the documentation says.
final class RoleCatalogTests: XCTestCase {
    struct Expected {
        let guid: String
        let name: String
        var action: String?
        var dataAction: String?
    }

    /// One known permission per role, taken from the role's JSON in the documentation.
    static let expected: [Expected] = [
        Expected(guid: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", name: "Owner", action: "*"),
        Expected(guid: "b24988ac-6180-42a0-ab88-20f7382dd24c", name: "Contributor", action: "*"),
        Expected(guid: "acdd72a7-3385-48ef-bd42-f606fba81ae7", name: "Reader", action: "*/read"),
        Expected(guid: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", name: "User Access Administrator", action: "Microsoft.Authorization/*"),
        Expected(guid: "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", name: "Storage Blob Data Owner",
                 dataAction: "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*"),
        Expected(guid: "ba92f5b4-2d11-453d-a403-e96b0029c9fe", name: "Storage Blob Data Contributor",
                 dataAction: "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write"),
        Expected(guid: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", name: "Storage Blob Data Reader",
                 dataAction: "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"),
        Expected(guid: "17d1049b-9a84-46fb-8f53-869881c3d3ab", name: "Storage Account Contributor", action: "Microsoft.Storage/storageAccounts/*"),
        Expected(guid: "29fe4964-1e60-436b-bd3a-77fd4c178b3c", name: "Azure Batch Account Contributor", dataAction: "Microsoft.Batch/batchAccounts/*"),
        Expected(guid: "11076f67-66f6-4be0-8f6b-f0609fd05cc9", name: "Azure Batch Account Reader", action: "Microsoft.Batch/batchAccounts/read"),
        Expected(guid: "6aaa78f1-f7de-44ca-8722-c64a23943cae", name: "Azure Batch Data Contributor", action: "Microsoft.Batch/batchAccounts/pools/*",
                 dataAction: "Microsoft.Batch/batchAccounts/jobs/*"),
        Expected(guid: "48e5e92e-a480-4e71-aa9c-2778f4c13781", name: "Azure Batch Job Submitter", dataAction: "Microsoft.Batch/batchAccounts/jobs/*"),
        Expected(guid: "b86a8fe4-44ce-4948-aee5-eccb2c155cd7", name: "Key Vault Secrets Officer", dataAction: "Microsoft.KeyVault/vaults/secrets/*"),
    ]

    var workspace: URL!

    override func setUp() { workspace = TestPaths.temporaryDirectory() }
    override func tearDown() { try? FileManager.default.removeItem(at: workspace) }

    func rows(_ store: EvidenceStore, _ sql: String, _ arguments: [String: String] = [:]) throws -> [[TabularValue]] {
        var rows: [[TabularValue]] = []
        try store.runReadOnly(sql: sql, arguments: arguments, columns: { _ in }, row: { rows.append($0) })
        return rows
    }

    func testEveryCatalogRoleIsPresentWithAKnownPermission() throws {
        let store = try EvidenceStore(path: workspace.appendingPathComponent("catalog.db").path, mode: .readWrite)
        let sql = """
            SELECT role_name,
                   EXISTS (SELECT 1 FROM json_each(actions) WHERE value = :action),
                   EXISTS (SELECT 1 FROM json_each(data_actions) WHERE value = :dataAction)
            FROM builtin_roles WHERE role_definition_guid = :guid
            """
        for role in Self.expected {
            let found = try rows(store, sql, ["guid": role.guid, "action": role.action ?? "", "dataAction": role.dataAction ?? ""])
            XCTAssertEqual(found.count, 1, "\(role.name) (\(role.guid)) is not in builtin_roles")
            guard let row = found.first else { continue }
            XCTAssertEqual(row[0], .text(role.name))
            if role.action != nil { XCTAssertEqual(row[1], .integer(1), "\(role.name) lacks action \(role.action ?? "")") }
            if role.dataAction != nil { XCTAssertEqual(row[2], .integer(1), "\(role.name) lacks dataAction \(role.dataAction ?? "")") }
        }
        XCTAssertEqual(try rows(store, "SELECT count(*) FROM builtin_roles"), [[.integer(Int64(Self.expected.count))]])
    }

    /// Owner and Contributor are control-plane roles: they grant no blob reads (the confusion mitrail explains most).
    func testControlPlaneRolesHaveNoDataActions() throws {
        let store = try EvidenceStore(path: workspace.appendingPathComponent("owner.db").path, mode: .readWrite)
        let found = try rows(store, "SELECT role_name, data_actions FROM role_definitions WHERE role_name IN ('Owner', 'Contributor') ORDER BY role_name")
        XCTAssertEqual(found, [[.text("Contributor"), .text("[]")], [.text("Owner"), .text("[]")]])
    }

    /// The role_definitions view shows ingested definitions next to the catalog, with their source.
    func testViewUnionsIngestedDefinitions() throws {
        let db = workspace.appendingPathComponent("view.db")
        let fixture = TestPaths.fixtures.appendingPathComponent("formats/azure-role-definitions/az-role-definition-list.json")
        try Mitrail.run(["ingest", "--observed-at", "2026-03-04T12:00:00Z", fixture.path], db: db)
        let store = try EvidenceStore(path: db.path, mode: .readOnly)
        let found = try rows(store, """
            SELECT role_name, role_type, not_data_actions, source = 'builtin', observed_at
            FROM role_definitions WHERE role_definition_guid IN ('00000000-0000-0000-0000-0000000000d1', 'acdd72a7-3385-48ef-bd42-f606fba81ae7')
            ORDER BY role_name, source = 'builtin'
            """)
        XCTAssertEqual(found, [
            [.text("Fixture Blob Reader"), .text("CustomRole"), .text("[\"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete\"]"), .integer(0), .text("2026-03-04T12:00:00.000Z")],
            [.text("Reader"), .text("BuiltInRole"), .text("[]"), .integer(0), .text("2026-03-04T12:00:00.000Z")],
            [.text("Reader"), .text("BuiltInRole"), .text("[]"), .integer(1), .null],
        ])
    }
}
