@testable import TrailExplain
import TrailModel
import XCTest

/// RBAC over time, from evidence rows shaped like the `role_assignment_evidence` query's.
final class AccessEvaluatorTests: XCTestCase {
    static let subscription = "/subscriptions/00000000-0000-0000-0000-0000000000f1"
    static let group = subscription + "/resourceGroups/rg-fixture"
    static let account = group + "/providers/Microsoft.Storage/storageAccounts/stfixture"
    static let container = account + "/blobServices/default/containers/appdata"
    static let blobRead = RequiredAction("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", isDataAction: true)
    static let reader = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
    static let owner = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
    static let contributor = "b24988ac-6180-42a0-ab88-20f7382dd24c"
    static let principal = "00000000-0000-0000-0000-0000000000a1"

    let catalog = AccessEvaluatorTests.catalog
    static let catalog = RoleCatalog(definitions: [
        RoleDefinition(guid: reader, name: "Storage Blob Data Reader", isBuiltIn: true,
                       permissions: RolePermissions(actions: ["Microsoft.Storage/storageAccounts/blobServices/containers/read"],
                                                    dataActions: ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"]),
                       source: "builtin"),
        RoleDefinition(guid: owner, name: "Owner", isBuiltIn: true, permissions: RolePermissions(actions: ["*"]), source: "builtin"),
        RoleDefinition(guid: contributor, name: "Contributor", isBuiltIn: true,
                       permissions: RolePermissions(actions: ["*"], notActions: ["Microsoft.Authorization/*/Write"]), source: "builtin"),
        RoleDefinition(guid: "00000000-0000-0000-0000-00000000ccc1", name: "Blob reader except reads", isBuiltIn: false,
                       permissions: RolePermissions(dataActions: ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*"],
                                                    notDataActions: ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"]),
                       source: "custom.json"),
    ])

    static func t(_ text: String) -> String { "2026-03-04T\(text):00.000Z" }

    static func snapshotRow(source: Int64, at time: String, name: String, principal: String = principal, role: String = reader,
                            scope: String, createdOn: String? = nil) -> EvidenceRow {
        var values: [String: TabularValue] = ["evidence": .text("snapshot"), "source_id": .integer(source), "line": .integer(2)]
        values["source"] = .text("snapshot-\(source).json")
        values["time"] = .text(t(time))
        values["assignment_name"] = .text(name)
        values["principal_id"] = .text(principal)
        values["principal_type"] = .text("ServicePrincipal")
        values["role_definition_guid"] = .text(role)
        values["scope"] = .text(scope)
        values["created_on"] = createdOn.map { .text(t($0)) } ?? .null
        return row(values)
    }

    static func eventRow(_ kind: String, at time: String, name: String, status: String = "Succeeded", scope: String,
                         principal: String = principal, role: String = reader) -> EvidenceRow {
        var values: [String: TabularValue] = ["evidence": .text(kind), "source_id": .integer(99), "line": .integer(7)]
        values["source"] = .text("activity.json")
        values["time"] = .text(t(time))
        values["assignment_name"] = .text(name)
        values["principal_id"] = .text(principal)
        values["role_definition_guid"] = .text(role)
        values["scope"] = .text(scope)
        values["operation_status"] = .text(status)
        values["caller"] = .text("admin@example.com")
        return row(values)
    }

    static func row(_ values: [String: TabularValue]) -> EvidenceRow { EvidenceRow(values: values) }

    func evaluate(_ rows: [EvidenceRow], principal: String = principal, action: RequiredAction = blobRead,
                  scope: String = container, at time: String) -> AccessVerdict {
        AccessEvaluator(history: RoleAssignmentHistory(rows: rows), catalog: catalog)
            .evaluate(principalIDs: [principal], action: action, scope: ARMScope(scope), at: TimestampParser.parse(Self.t(time))!)
    }

    func testAssignmentsAtEveryLevelAboveTheContainerGrant() {
        for scope in [Self.subscription, Self.group, Self.account, Self.container] {
            let rows = [Self.snapshotRow(source: 1, at: "09:00", name: "c1", scope: scope, createdOn: "08:00")]
            XCTAssertEqual(evaluate(rows, at: "10:00").verdict, .granted, scope)
        }
        let sibling = Self.account + "/blobServices/default/containers/other"
        let rows = [Self.snapshotRow(source: 1, at: "11:00", name: "c1", scope: sibling, createdOn: "08:00")]
        let verdict = evaluate(rows, at: "10:00")
        XCTAssertEqual(verdict.verdict, .notGranted)
        XCTAssertTrue(verdict.considered[0].reason.contains("is not"), verdict.considered[0].reason)
    }

    func testIDsAndScopesMatchWhateverTheirCase() {
        let rows = [Self.snapshotRow(source: 1, at: "09:00", name: "c1", principal: Self.principal.uppercased(),
                                     scope: Self.account.uppercased(), createdOn: "08:00")]
        XCTAssertEqual(evaluate(rows, principal: Self.principal.uppercased(), scope: Self.container.lowercased(), at: "10:00").verdict, .granted)
    }

    func testOwnerAndContributorGrantNoBlobDataAction() {
        let rows = [Self.snapshotRow(source: 1, at: "11:00", name: "c1", role: Self.owner, scope: Self.subscription, createdOn: "08:00"),
                    Self.snapshotRow(source: 1, at: "11:00", name: "c2", role: Self.contributor, scope: Self.account, createdOn: "08:00")]
        let verdict = evaluate(rows, at: "10:00")
        XCTAssertEqual(verdict.verdict, .notGranted)
        XCTAssertEqual(verdict.considered.count, 2)
        XCTAssertTrue(verdict.considered.allSatisfy { $0.controlPlaneOnly && $0.grants == false })
        XCTAssertTrue(verdict.considered[0].reason.contains("only control-plane actions"), verdict.considered[0].reason)
        // Owner does grant the control-plane action.
        let listKeys = RequiredAction("Microsoft.Storage/storageAccounts/listKeys/action", isDataAction: false)
        XCTAssertEqual(evaluate(rows, action: listKeys, scope: Self.account, at: "10:00").verdict, .granted)
    }

    func testNotDataActionsSubtract() {
        let rows = [Self.snapshotRow(source: 1, at: "11:00", name: "c1", role: "00000000-0000-0000-0000-00000000ccc1", scope: Self.account, createdOn: "08:00")]
        let verdict = evaluate(rows, at: "10:00")
        XCTAssertEqual(verdict.verdict, .notGranted)
        XCTAssertTrue(verdict.considered[0].reason.contains("excludes it with notDataActions"), verdict.considered[0].reason)
    }

    func testAssignmentRemovedBetweenTwoSnapshotsIsUncertainInBetween() {
        let rows = [Self.snapshotRow(source: 1, at: "09:00", name: "c1", scope: Self.account, createdOn: "08:00"),
                    Self.snapshotRow(source: 2, at: "12:00", name: "c9", principal: "00000000-0000-0000-0000-0000000000a9", scope: Self.group)]
        let history = RoleAssignmentHistory(rows: rows)
        XCTAssertEqual(history.assignments.first { $0.key == "c1" }?.intervals,
                       [AssignmentInterval(start: .exactly(TimestampParser.parse(Self.t("08:00"))!),
                                           end: .between(TimestampParser.parse(Self.t("09:00"))!, TimestampParser.parse(Self.t("12:00"))!))])
        XCTAssertEqual(evaluate(rows, at: "08:30").verdict, .granted)
        let between = evaluate(rows, at: "10:00")
        XCTAssertEqual(between.verdict, .unknown)
        XCTAssertTrue(between.considered[0].reason.contains("removed between"), between.considered[0].reason)
        XCTAssertFalse(between.missingEvidence.isEmpty)
        // At the second snapshot it is known gone, and that snapshot covers the time: a definite no.
        XCTAssertEqual(evaluate(rows, at: "12:00").verdict, .notGranted)
        // After the last snapshot, a new grant could have been made: the evidence cannot say no.
        XCTAssertEqual(evaluate(rows, at: "12:30").verdict, .unknown)
    }

    func testAssignmentCreatedAfterTheFailureDoesNotGrantIt() {
        let rows = [Self.eventRow("write", at: "10:30", name: "c1", scope: Self.account),
                    Self.snapshotRow(source: 1, at: "11:00", name: "c1", scope: Self.account)]
        let verdict = evaluate(rows, at: "10:05")
        XCTAssertEqual(verdict.verdict, .notGranted)
        XCTAssertTrue(verdict.considered[0].reason.contains("not in force yet"), verdict.considered[0].reason)
        XCTAssertEqual(evaluate(rows, at: "10:45").verdict, .granted)
        // A failed write creates nothing.
        let failed = [Self.eventRow("write", at: "09:30", name: "c2", status: "Failed", scope: Self.account),
                      Self.snapshotRow(source: 1, at: "11:00", name: "c9", principal: "00000000-0000-0000-0000-0000000000a9", scope: Self.group)]
        XCTAssertEqual(evaluate(failed, at: "10:05").verdict, .notGranted)
    }

    func testActivityLogDeleteEndsTheAssignment() {
        let rows = [Self.snapshotRow(source: 1, at: "09:00", name: "c1", scope: Self.account, createdOn: "08:00"),
                    Self.eventRow("delete", at: "09:30", name: "c1", scope: Self.account),
                    Self.snapshotRow(source: 2, at: "12:00", name: "c9", principal: "00000000-0000-0000-0000-0000000000a9", scope: Self.group)]
        XCTAssertEqual(evaluate(rows, at: "09:15").verdict, .granted)
        let after = evaluate(rows, at: "10:00")
        XCTAssertEqual(after.verdict, .notGranted)
        XCTAssertTrue(after.considered[0].reason.contains("gone by"), after.considered[0].reason)
    }

    func testRecreatedIdentityWhoseOldPrincipalStillHoldsTheRole() {
        let oldPrincipal = "00000000-0000-0000-0000-0000000000a1", newPrincipal = "00000000-0000-0000-0000-0000000000a2"
        let rows = [Self.snapshotRow(source: 1, at: "11:00", name: "c1", principal: oldPrincipal, scope: Self.account, createdOn: "08:00")]
        let verdict = evaluate(rows, principal: newPrincipal, at: "10:00")
        XCTAssertEqual(verdict.verdict, .notGranted)
        XCTAssertEqual(verdict.considered.count, 1)
        XCTAssertTrue(verdict.considered[0].reason.contains("assigned to another principal (\(oldPrincipal))"), verdict.considered[0].reason)
    }

    func testNoRoleEvidenceAtAllIsUnknownNotANo() {
        let verdict = evaluate([], at: "10:00")
        XCTAssertEqual(verdict.verdict, .unknown)
        XCTAssertTrue(verdict.missingEvidence.first?.contains("a role assignment list covering /subscriptions/00000000-0000-0000-0000-0000000000f1") ?? false,
                      "\(verdict.missingEvidence)")
        // A snapshot taken before the failure does not prove there was no grant at the failure.
        let early = [Self.snapshotRow(source: 1, at: "08:00", name: "c9", principal: "00000000-0000-0000-0000-0000000000a9", scope: Self.group)]
        XCTAssertEqual(evaluate(early, at: "10:00").verdict, .unknown)
        // Nor does one of another subscription.
        let elsewhere = [Self.snapshotRow(source: 1, at: "12:00", name: "c9", scope: "/subscriptions/00000000-0000-0000-0000-0000000000f2")]
        XCTAssertEqual(evaluate(elsewhere, at: "10:00").verdict, .unknown)
    }

    func testUnknownRoleDefinitionAndConditionsMakeItUnknown() {
        let rows = [Self.snapshotRow(source: 1, at: "11:00", name: "c1", role: "00000000-0000-0000-0000-00000000dddd", scope: Self.account, createdOn: "08:00")]
        let verdict = evaluate(rows, at: "10:00")
        XCTAssertEqual(verdict.verdict, .unknown)
        XCTAssertTrue(verdict.missingEvidence.contains { $0.contains("role definition 00000000-0000-0000-0000-00000000dddd") }, "\(verdict.missingEvidence)")
        var conditional = Self.snapshotRow(source: 1, at: "11:00", name: "c2", scope: Self.account, createdOn: "08:00").values
        conditional["condition"] = .text("@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'appdata'")
        XCTAssertEqual(evaluate([EvidenceRow(values: conditional)], at: "10:00").verdict, .unknown)
    }

    func testManagementGroupAssignmentsDependOnEvidence() {
        let rows = [Self.snapshotRow(source: 1, at: "11:00", name: "c1", scope: "/providers/Microsoft.Management/managementGroups/mg-fixture", createdOn: "08:00")]
        let verdict = evaluate(rows, at: "10:00")
        XCTAssertEqual(verdict.verdict, .unknown)
        XCTAssertTrue(verdict.missingEvidence.contains { $0.contains("management group") })
    }

    // MARK: Entra groups

    static let readers = "00000000-0000-0000-0000-0000000000d1"
    static let nested = "00000000-0000-0000-0000-0000000000d2"

    /// An assignment of Storage Blob Data Reader at the resource group to group `group`, seen in a snapshot at `time`.
    static func groupAssignmentRow(source: Int64 = 1, at time: String, group: String = readers) -> EvidenceRow {
        var values = snapshotRow(source: source, at: time, name: "c-group", principal: group, scope: Self.group, createdOn: "07:00").values
        values["principal_type"] = .text("Group")
        values["principal_name"] = .text("grp-readers")
        return EvidenceRow(values: values)
    }

    /// A row of `group_membership_evidence`: a list (`evidence: list`), an entry of it, a check or an audit log change.
    static func membershipRow(_ evidence: String, source: Int64, at time: String, group: String? = readers, member: String? = principal,
                              memberType: String = "servicePrincipal", relation: String = "direct", listOf: String = "group-members",
                              complete: Bool = true) -> EvidenceRow {
        var values: [String: TabularValue] = ["evidence": .text(evidence), "source_id": .integer(source), "line": .integer(3)]
        values["source"] = .text("membership-\(source).json")
        values["time"] = .text(t(time))
        values["group_id"] = group.map { .text($0) } ?? .null
        values["member_id"] = evidence == "list" && listOf == "group-members" ? .null : member.map { .text($0) } ?? .null
        values["member_type"] = evidence == "list" ? .null : .text(memberType)
        values["relation"] = .text(relation)
        values["list_of"] = .text(listOf)
        values["complete"] = .integer(complete ? 1 : 0)
        values["is_member"] = evidence == "removed" ? .integer(0) : .integer(1)
        values["result"] = evidence == "added" || evidence == "removed" ? .text("success") : .null
        if evidence == "list" && listOf == "member-groups" { values["group_id"] = .null }
        return row(values)
    }

    /// A complete list of `group`'s direct members taken at `time`: the list row, then one row per member.
    static func memberList(source: Int64, at time: String, group: String = readers, members: [(String, String)], complete: Bool = true) -> [EvidenceRow] {
        [membershipRow("list", source: source, at: time, group: group, complete: complete)]
            + members.map { membershipRow("listed", source: source, at: time, group: group, member: $0.0, memberType: $0.1, complete: complete) }
    }

    func evaluate(_ rows: [EvidenceRow], memberships: [EvidenceRow], principal: String = principal, at time: String) -> AccessVerdict {
        let history = RoleAssignmentHistory(rows: rows)
        return AccessEvaluator(history: history, catalog: catalog, memberships: GroupMembershipHistory(rows: memberships, assignments: history))
            .evaluate(principalIDs: [principal], action: Self.blobRead, scope: ARMScope(Self.container), at: TimestampParser.parse(Self.t(time))!)
    }

    func testDirectAssignmentGrantsBesideGroupEvidence() {
        let rows = [Self.snapshotRow(source: 1, at: "11:00", name: "c1", scope: Self.account, createdOn: "08:00"), Self.groupAssignmentRow(at: "11:00")]
        let verdict = evaluate(rows, memberships: [], at: "10:00")
        XCTAssertEqual(verdict.verdict, .granted)
        XCTAssertNil(verdict.considered.first { $0.grants == true }?.membership, "the direct grant is not through a group")
    }

    func testAssignmentToAGroupGrantsItsMembers() {
        let rows = [Self.groupAssignmentRow(at: "11:00")]
        let memberships = Self.memberList(source: 5, at: "09:00", members: [(Self.principal, "servicePrincipal")])
        let verdict = evaluate(rows, memberships: memberships, at: "10:00")
        XCTAssertEqual(verdict.verdict, .granted)
        let grant = try? XCTUnwrap(verdict.considered.first)
        XCTAssertEqual(grant?.membership?.path.map(\.groupID), [Self.readers])
        XCTAssertTrue(grant?.reason.contains("via group grp-readers") == true, grant?.reason ?? "")
        XCTAssertEqual(grant?.membership?.evidence.first?.source, "membership-5.json")
        // Before the only list, when it joined is not in the evidence: unknown, never a no.
        let before = evaluate(rows, memberships: memberships, at: "08:00")
        XCTAssertEqual(before.verdict, .unknown)
        XCTAssertTrue(before.considered[0].reason.contains("first seen in a membership list"), before.considered[0].reason)
    }

    func testNestedGroupsGrantTheirMembers() {
        let rows = [Self.groupAssignmentRow(at: "11:00")]
        let memberships = Self.memberList(source: 5, at: "09:00", members: [(Self.nested, "group"), ("00000000-0000-0000-0000-0000000000e7", "user")])
            + Self.memberList(source: 6, at: "09:00", group: Self.nested, members: [(Self.principal, "servicePrincipal")])
        let verdict = evaluate(rows, memberships: memberships, at: "10:00")
        XCTAssertEqual(verdict.verdict, .granted)
        XCTAssertEqual(verdict.considered[0].membership?.path.map(\.groupID), [Self.nested, Self.readers])
        XCTAssertEqual(verdict.considered[0].membership?.path.map(\.memberID), [Self.principal, Self.nested])
        // Another principal: in neither list, and both lists (taken after the time) are complete: a definite no.
        let other = "00000000-0000-0000-0000-0000000000a5"
        let later = Self.memberList(source: 7, at: "11:00", members: [(Self.nested, "group")])
            + Self.memberList(source: 8, at: "11:00", group: Self.nested, members: [(Self.principal, "servicePrincipal")])
        let no = evaluate(rows, memberships: memberships + later, principal: other, at: "10:00")
        XCTAssertEqual(no.verdict, .notGranted)
        XCTAssertTrue(no.considered[0].reason.contains("nor in the groups nested in it"), no.considered[0].reason)
        // Without the nested group's own list, the nested group could hold it: unknown.
        let open = evaluate(rows, memberships: Array(later.prefix(2)), principal: other, at: "10:00")
        XCTAssertEqual(open.verdict, .unknown)
    }

    func testUnknownMembershipIsNeverANo() {
        let rows = [Self.groupAssignmentRow(at: "11:00")]
        let verdict = evaluate(rows, memberships: [], at: "10:00")
        XCTAssertEqual(verdict.verdict, .unknown)
        XCTAssertNil(verdict.considered[0].grants)
        XCTAssertTrue(verdict.missingEvidence.contains {
            $0.contains("az ad group member check --group \(Self.readers) --member-id \(Self.principal)")
        }, "\(verdict.missingEvidence)")
        // A page with more to follow says nothing about who is missing.
        let page = Self.memberList(source: 5, at: "11:00", members: [("00000000-0000-0000-0000-0000000000e7", "user")], complete: false)
        XCTAssertEqual(evaluate(rows, memberships: page, at: "10:00").verdict, .unknown)
        // A complete list taken after the time, without the principal: not a member, so not granted.
        let complete = Self.memberList(source: 5, at: "11:00", members: [("00000000-0000-0000-0000-0000000000e7", "user")])
        let no = evaluate(rows, memberships: complete, at: "10:00")
        XCTAssertEqual(no.verdict, .notGranted)
        XCTAssertTrue(no.considered[0].reason.contains("was not a member of"), no.considered[0].reason)
        // So does a getMemberGroups answer (every group of the principal) that leaves the group out.
        let groupsOf = [Self.membershipRow("list", source: 9, at: "11:00", relation: "transitive", listOf: "member-groups"),
                        Self.membershipRow("listed", source: 9, at: "11:00", group: Self.nested, relation: "transitive", listOf: "member-groups")]
        XCTAssertEqual(evaluate(rows, memberships: groupsOf, at: "10:00").verdict, .notGranted)
    }

    func testMembershipRemovedBetweenTwoLists() {
        let rows = [Self.groupAssignmentRow(at: "13:00")]
        let memberships = Self.memberList(source: 5, at: "09:00", members: [(Self.principal, "servicePrincipal")])
            + Self.memberList(source: 6, at: "12:00", members: [("00000000-0000-0000-0000-0000000000e7", "user")])
        let history = GroupMembershipHistory(rows: memberships)
        XCTAssertEqual(history.membership(of: Self.principal, in: Self.readers, .direct)?.intervals,
                       [AssignmentInterval(start: .noLaterThan(TimestampParser.parse(Self.t("09:00"))!),
                                           end: .between(TimestampParser.parse(Self.t("09:00"))!, TimestampParser.parse(Self.t("12:00"))!))])
        XCTAssertEqual(evaluate(rows, memberships: memberships, at: "09:00").verdict, .granted)
        let between = evaluate(rows, memberships: memberships, at: "10:00")
        XCTAssertEqual(between.verdict, .unknown)
        XCTAssertTrue(between.considered[0].reason.contains("removed between"), between.considered[0].reason)
        XCTAssertEqual(evaluate(rows, memberships: memberships, at: "12:00").verdict, .notGranted)
        // After the last list, it could have been added again: unknown.
        XCTAssertEqual(evaluate(rows, memberships: memberships, at: "12:30").verdict, .unknown)
    }

    func testAuditLogChangesPlaceMembershipExactly() {
        let rows = [Self.groupAssignmentRow(at: "14:00")]
        let memberships = [Self.membershipRow("added", source: 4, at: "10:20"), Self.membershipRow("removed", source: 4, at: "11:00")]
            + Self.memberList(source: 5, at: "14:00", members: [("00000000-0000-0000-0000-0000000000e7", "user")])
        XCTAssertEqual(evaluate(rows, memberships: memberships, at: "10:05").verdict, .notGranted)
        XCTAssertEqual(evaluate(rows, memberships: memberships, at: "10:30").verdict, .granted)
        XCTAssertEqual(evaluate(rows, memberships: memberships, at: "11:30").verdict, .notGranted)
    }

    /// Groups nested in each other (Entra allows the cycle through a third group) end the walk instead of looping.
    func testCyclicNestingEnds() {
        let third = "00000000-0000-0000-0000-0000000000d3"
        let memberships = Self.memberList(source: 5, at: "11:00", members: [(Self.nested, "group")])
            + Self.memberList(source: 6, at: "11:00", group: Self.nested, members: [(third, "group")])
            + Self.memberList(source: 7, at: "11:00", group: third, members: [(Self.readers, "group")])
        let history = GroupMembershipHistory(rows: memberships)
        if case .notMember = history.answer(member: Self.principal, group: Self.readers, at: TimestampParser.parse(Self.t("10:00"))!) {} else {
            XCTFail("complete lists of every group in the cycle, none with the principal: not a member")
        }
        XCTAssertEqual(evaluate([Self.groupAssignmentRow(at: "11:00")], memberships: memberships, at: "10:00").verdict, .notGranted)
    }
}
