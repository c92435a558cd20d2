import ArgumentParser
import TrailExplain
import TrailModel
import TrailReport
import TrailStore

struct AccessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access",
        abstract: "Could a principal perform an action at a scope at a given time? granted, not-granted or unknown, with the reasons.",
        discussion: """
            Every role assignment considered is listed with why it does or does not grant: another principal, a scope \
            that is not an ancestor, a role without the (data) action, not yet created, already removed, conditional. \
            `not-granted` is said only when a role assignment list covering the scope's subscription was taken at or \
            after the time; otherwise the answer is `unknown` and names the evidence that would settle it.

            Storage data actions (blob reads and writes) are data actions: Owner and Contributor do not grant them. \
            Pass --data-action for them, --action for control-plane actions.

            An assignment to an Entra group counts when the membership evidence (group member lists, \
            memberOf / getMemberGroups answers, `az ad group member check`, audit log membership \
            changes) shows the principal in the group at the time, directly or through nested groups: \
            the path is shown step by step. When it cannot tell, the answer is `unknown` and names the \
            command that settles it; `not-granted` only when every such group is known not to contain it.

            Exit status: 0 granted, 1 not-granted or unknown, 2 usage errors.

            Example:
              mitrail access --identity uami-pool --scope "$STORAGE_ACCOUNT_ID" \\
                --at 2026-03-04T10:05:00Z --data-action \\
                  Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read
            """
    )

    @OptionGroup var store: ReadStoreOptions

    @Option(name: .long, help: ArgumentHelp("The principal (object) ID.", valueName: "id"))
    var principal: String?

    @Option(name: .long, help: ArgumentHelp("An identity by name, resource ID or client ID (see `mitrail identities`).", valueName: "name-or-id"))
    var identity: String?

    @Option(name: .long, help: ArgumentHelp("A control-plane action, e.g. Microsoft.Storage/storageAccounts/listKeys/action.", valueName: "action"))
    var action: String?

    @Option(name: .customLong("data-action"), help: ArgumentHelp("A data action, e.g. Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read.", valueName: "action"))
    var dataAction: String?

    @Option(name: .long, help: ArgumentHelp("The scope: a resource ID, resource group or subscription.", valueName: "scope"))
    var scope: String

    @Option(name: .long, help: ArgumentHelp("The time to evaluate at (ISO 8601). Default: now.", valueName: "time"))
    var at: String?

    @Option(name: .long, help: "Output format.")
    var format: ExplainFormat = .text

    func validate() throws {
        if (principal == nil) == (identity == nil) { throw ValidationError("Please give either --principal or --identity.") }
        if (action == nil) == (dataAction == nil) { throw ValidationError("Please give either --action or --data-action.") }
        _ = try parseTime(at, option: "--at")
    }

    func run() throws {
        let evidence = try store.openReader()
        let time = try parseTime(at, option: "--at") ?? .now
        let principals = try principalIDs(evidence, at: time)
        let history = try RoleAssignmentHistory(store: evidence)
        let evaluator = AccessEvaluator(history: history, catalog: try RoleCatalog(store: evidence),
                                        memberships: try GroupMembershipHistory(store: evidence, assignments: history))
        let required = RequiredAction(dataAction ?? action ?? "", isDataAction: dataAction != nil)
        let verdict = evaluator.evaluate(principalIDs: principals, action: required, scope: ARMScope(scope), at: time)
        switch format {
        case .text: print(AccessOutput.text(verdict), terminator: "")
        case .json: print(AccessOutput.json(verdict).rendered())
        }
        if verdict.verdict != .granted { throw ExitStatus.findings }
    }

    /// The principal to evaluate: as given, or the generation of the named identity in use at `time`.
    func principalIDs(_ evidence: any EvidenceReader, at time: Timestamp) throws -> [String] {
        if let principal { return [principal.lowercased()] }
        let name = identity ?? ""
        let matches = try IdentityResolver.resolve(store: evidence).filter { $0.matches(name) }
        guard !matches.isEmpty else {
            throw ValidationError("No identity named '\(name)' in the evidence. `mitrail identities` lists them; or pass --principal.")
        }
        for identity in matches { noteAmbiguousGeneration(identity, at: time) }
        let principals = matches.compactMap { $0.generation(at: time)?.principalID }
        guard !principals.isEmpty else {
            throw ValidationError("The evidence names '\(name)' but never shows its principal ID. Please pass --principal.")
        }
        return principals
    }

    /// Says so when `time` falls between the sightings of two generations: which one was in use is a choice, not evidence.
    func noteAmbiguousGeneration(_ identity: ResolvedIdentity, at time: Timestamp) {
        let before = identity.generations.filter { ($0.lastSeen ?? time) < time }
        let after = identity.generations.filter { ($0.firstSeen ?? time) > time }
        guard let earlier = before.last, let later = after.first, let chosen = identity.generation(at: time),
              !identity.generations.contains(where: { ($0.firstSeen ?? time) <= time && time <= ($0.lastSeen ?? time) }) else { return }
        printError("note: \(identity.name) was re-created between \(earlier.lastSeen ?? time) and \(later.firstSeen ?? time); "
                   + "evaluating principal \(chosen.principalID ?? "?"), the one last seen before \(time). Pass --principal to choose.")
    }
}
