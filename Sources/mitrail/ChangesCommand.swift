import ArgumentParser
import TrailExplain
import TrailModel
import TrailReport
import TrailStore

struct ChangesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "changes",
        abstract: "Show the history of role assignments: when each was created and removed, as far as the evidence tells.",
        discussion: """
            Built from role assignment lists (present in a list taken at T means in force at T; missing from a later \
            list of the same subscription means removed between the two), createdOn, and Activity Log role assignment \
            writes and deletes. Where the evidence does not pin a time, the change says "between T1 and T2" instead of \
            inventing one. Assignments whose principal no longer resolves (deleted identities) are marked orphaned.

            Group membership changes are shown beside them (audit log adds and removes, and "added \
            between" / "removed between" lists of a group's members or of a member's groups). With \
            --principal, the assignments of the groups it was in are shown too, with the path from the \
            principal through its groups and the evidence of each step.

            Examples:
              mitrail changes --principal 00000000-0000-0000-0000-0000000000a1
              mitrail changes --scope /subscriptions/SUB/resourceGroups/RG \\
                --since 2026-03-01T00:00:00Z
            """
    )

    @OptionGroup var store: ReadStoreOptions

    @Option(name: .long, help: ArgumentHelp("Only assignments of this principal (object ID).", valueName: "id"))
    var principal: String?

    @Option(name: .long, help: ArgumentHelp("Only assignments at this scope, above it or below it.", valueName: "scope"))
    var scope: String?

    @Option(name: .long, help: ArgumentHelp("Only changes at or after this time (ISO 8601).", valueName: "time"))
    var since: String?

    @Option(name: .long, help: "Output format.")
    var format: ExplainFormat = .text

    func validate() throws {
        _ = try parseTime(since, option: "--since")
    }

    func run() throws {
        let evidence = try store.openReader()
        let history = try RoleAssignmentHistory(store: evidence)
        let catalog = try RoleCatalog(store: evidence)
        let groups = try GroupMembershipHistory(store: evidence, assignments: history)
        let filterScope = scope.map(ARMScope.init)
        // A principal's own assignments, and those of the groups it was ever in.
        let principals = principal.map { Set([$0.lowercased()]).union(MembershipChangesOutput.groupsEver(of: $0, memberships: groups)) }
        let selected = history.assignments.filter { assignment in
            (principals.map { assignment.principalID.map($0.contains) ?? false } ?? true)
                && (filterScope.map { filter in assignment.scope.map { filter.contains($0) || $0.contains(filter) } ?? false } ?? true)
        }
        // Membership changes of the principal and its groups, or of the groups holding the assignments shown.
        let holders = Set(selected.compactMap(\.principalID))
        let memberships = groups.memberships.filter { membership in
            principals.map { $0.contains(membership.memberID) } ?? holders.contains(membership.groupID)
        }
        let since = try parseTime(since, option: "--since")
        let roleName = { (assignment: RoleAssignmentHistory.Assignment) in
            catalog.role(guid: assignment.roleGUID, name: assignment.roleName)?.name ?? assignment.roleName ?? assignment.roleGUID ?? "unknown role"
        }
        let changes = ChangesOutput.changes(selected, roleNames: roleName, since: since)
        let membershipChanges = MembershipChangesOutput.changes(memberships, since: since)
        switch format {
        case .text:
            print(ChangesOutput.text(changes, memberships: membershipChanges, groups: groups, principal: principal?.lowercased(), roleName: roleName),
                  terminator: "")
        case .json: print(ChangesOutput.json(changes, memberships: membershipChanges, groups: groups, roleName: roleName).rendered())
        }
    }
}
