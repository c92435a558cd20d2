/// One command the collector will run: its exact arguments, where its output goes in the bundle, what
/// it is evidence of, and what reading it takes.
public struct PlannedCommand: Equatable, Sendable {
    /// The arguments, `az` first.
    public var arguments: [String]
    /// The path of its output in the bundle; nil for a command whose output is not evidence (`az version`).
    public var file: String?
    /// What the output is evidence of, in a few words ("role assignments at the autostorage account").
    public var purpose: String
    /// What it reads, and so the role the person collecting needs.
    public var access: AccessNeed
    /// True when later commands are chosen from its answer (the account, pools, tasks, assignments, ...):
    /// the answer is then read back as JSON, up to `AzureJSON.maximumReadSize`.
    public var decidesWhatFollows = false
}

/// What a command reads, and the least role that lets the person collecting read it.
public enum AccessNeed: Equatable, Sendable {
    /// Nothing in Azure (`az version`, `az account show`).
    case none
    /// The Batch account through ARM (`az batch account show`, `login`, the ARM pools list).
    case batchAccount(scope: String)
    /// The Batch service itself (pools, nodes, tasks through the account's endpoint).
    case batchDataPlane(account: String)
    /// A user-assigned managed identity.
    case managedIdentity(scope: String)
    /// Role assignments at or above a scope.
    case roleAssignments(scope: String)
    /// Role definitions usable in a subscription.
    case roleDefinitions(scope: String)
    /// The members of a Microsoft Entra group (Microsoft Graph).
    case groupMembers
    /// Activity Log events of a subscription or resource group.
    case activityLog(scope: String)
    /// A Log Analytics workspace.
    case logAnalytics(workspace: String)

    /// The role that lets the person collecting run the command, in the words of the Azure docs.
    public var neededRole: String? {
        switch self {
        case .none:
            return nil
        case .batchAccount(let scope):
            return "Reader (or Azure Batch Account Reader) on \(scope)"
        case .batchDataPlane(let account):
            return "Azure Batch Account Reader (or Azure Batch Account Contributor) on the Batch account \(account): "
                + "the Batch service checks the Entra ID login of `az batch account login`"
        case .managedIdentity(let scope):
            return "Reader (or Managed Identity Operator) on \(scope)"
        case .roleAssignments(let scope):
            return "Reader on \(scope) (any role with Microsoft.Authorization/roleAssignments/read)"
        case .roleDefinitions(let scope):
            return "Reader on \(scope) (any role with Microsoft.Authorization/roleDefinitions/read)"
        case .groupMembers:
            return "Directory Readers in Microsoft Entra ID (or the Microsoft Graph permission GroupMember.Read.All)"
        case .activityLog(let scope):
            return "Reader (or Monitoring Reader) on \(scope)"
        case .logAnalytics(let workspace):
            return "Log Analytics Reader on the workspace \(workspace)"
        }
    }
}
