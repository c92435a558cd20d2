import ArgumentParser
import TrailExplain
import TrailReport
import TrailStore

struct IdentitiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identities",
        abstract: "List the managed identities in the evidence, with every ID, where they are attached and when each was seen.",
        discussion: """
            Sightings of resource IDs, client IDs and principal IDs (pool and account JSON, az identity output, token \
            claims, sign-in and storage logs, ARM errors) are merged into identities. A user-assigned identity deleted \
            and re-created under the same name shows as two generations with different client and principal IDs, each \
            with the time it was seen. \
            Each identity's Entra groups are listed with the periods the membership evidence shows (lists, memberOf / \
            getMemberGroups answers, checks, audit log changes).
            """
    )

    @OptionGroup var store: ReadStoreOptions

    @Option(name: .long, help: "Output format.")
    var format: ExplainFormat = .text

    func run() throws {
        let evidence = try store.openReader()
        let identities = try IdentityResolver.resolve(store: evidence)
        let memberships = try GroupMembershipHistory(store: evidence, assignments: try RoleAssignmentHistory(store: evidence))
        switch format {
        case .text: print(IdentitiesOutput.text(identities, memberships: memberships), terminator: "")
        case .json: print(IdentitiesOutput.json(identities, memberships: memberships).rendered())
        }
    }
}
