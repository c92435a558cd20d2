import TrailIngest
import XCTest

/// The group (and member, and call) a membership file is about, from the command line that printed it or its name.
final class MembershipCommandTests: XCTestCase {
    let group = "00000000-0000-0000-0000-0000000000d1"
    let member = "00000000-0000-0000-0000-0000000000a1"

    func testAzGroupMemberListAndCheck() {
        XCTAssertEqual(MembershipCommand.group(in: ["az", "ad", "group", "member", "list", "--group", group, "-o", "json"]), group)
        XCTAssertEqual(MembershipCommand.group(in: ["az", "ad", "group", "member", "list", "-g", "grp-storage-readers"]), "grp-storage-readers")
        XCTAssertEqual(MembershipCommand.group(in: ["az", "ad", "group", "member", "list", "--group=\(group)"]), group)
        XCTAssertEqual(MembershipCommand.parse(["az", "ad", "group", "member", "list", "-g", group]).operation, .members)
        let check = MembershipCommand.parse(["az", "ad", "group", "member", "check", "--group", group, "--member-id", member])
        XCTAssertEqual(check, MembershipCommand(group: group, memberID: member, operation: .memberCheck))
        XCTAssertEqual(MembershipCommand.parse(["az", "ad", "group", "get-member-groups", "-g", group]).memberID, group)
        XCTAssertNil(MembershipCommand.group(in: ["az", "role", "assignment", "list", "--all"]))
    }

    func testCommandLineAsOneString() {
        XCTAssertEqual(MembershipCommand.group(inCommandLine: "az ad group member list --group 'Storage Readers' -o json"), "Storage Readers")
        XCTAssertEqual(MembershipCommand.group(inCommandLine: #"az ad group member list -g "grp \"x\"""#), #"grp "x""#)
        XCTAssertEqual(MembershipCommand.group(inCommandLine: "az ad group member list --group grp\\ readers"), "grp readers")
    }

    func testGraphURLs() {
        let members = MembershipCommand.parse(["az", "rest", "--method", "get", "--url", "https://graph.microsoft.com/v1.0/groups/\(group)/transitiveMembers"])
        XCTAssertEqual(members, MembershipCommand(group: group, operation: .transitiveMembers))
        let memberOf = MembershipCommand.fromGraphURL("https://graph.microsoft.com/v1.0/servicePrincipals/\(member)/memberOf?$select=id")
        XCTAssertEqual(memberOf, MembershipCommand(memberID: member, operation: .memberOf))
        let aadGraph = MembershipCommand.parse(commandLine: "curl 'https://graph.windows.net/myorganization/servicePrincipals/\(member)/getMemberGroups?api-version=1.6' -X POST")
        XCTAssertEqual(aadGraph, MembershipCommand(memberID: member, operation: .getMemberGroups))
        let page = MembershipCommand.fromGraphURL("https://graph.microsoft.com/v1.0/groups/\(group)/members?$skiptoken=X")
        XCTAssertTrue(page.isLaterPage)
        XCTAssertEqual(page.group, group)
    }

    func testFileNames() {
        XCTAssertEqual(MembershipCommand.fromFileName("bundle.zip!entra/group-members-\(group).json"), MembershipCommand(group: group))
        XCTAssertEqual(MembershipCommand.fromFileName("sp-transitiveMemberOf-\(member).json"), MembershipCommand(memberID: member, operation: .transitiveMemberOf))
        XCTAssertEqual(MembershipCommand.fromFileName("getMemberGroups.json"), MembershipCommand(operation: .getMemberGroups))
        XCTAssertEqual(MembershipCommand.fromFileName("members.json"), MembershipCommand())
    }
}
