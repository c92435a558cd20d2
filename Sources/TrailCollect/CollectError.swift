import Foundation

/// Why `mitrail collect` could not collect at all. A single command that fails is not an error: it is
/// recorded in the manifest and the collection goes on.
public enum CollectError: LocalizedError, Equatable {
    /// No `az` executable on the PATH.
    case azureCLIMissing(path: String)
    /// `az account show` says nobody is logged in (or the login expired).
    case notLoggedIn(azureSaid: String)
    /// `az account show` failed for another reason (for example an unknown `--subscription`).
    case accountUnavailable(command: String, azureSaid: String)
    /// A command that could print keys or tokens was about to run: a bug, refused.
    case refusedCommand(command: String, reason: String)
    /// The bundle cannot be written.
    case cannotWriteBundle(path: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .azureCLIMissing(let path):
            return "The Azure CLI (az) is not on the PATH (\(path.isEmpty ? "PATH is empty" : "searched \(path)")). "
                + "Install it (https://learn.microsoft.com/cli/azure/install-azure-cli), log in with `az login`, "
                + "then run mitrail collect again."
        case .notLoggedIn(let said):
            return "The Azure CLI is not logged in (az account show said: \(said)). Run `az login` "
                + "(and `az account set --subscription ID` for the subscription of the Batch account), then run mitrail collect again."
        case .accountUnavailable(let command, let said):
            return "`\(command)` failed: \(said). Check --subscription (`az account list -o table` lists yours), then run mitrail collect again."
        case .refusedCommand(let command, let reason):
            return "mitrail collect refused to run `\(command)`: \(reason). This is a bug in mitrail; please report it."
        case .cannotWriteBundle(let path, let reason):
            return "Cannot write the bundle \(path): \(reason). Please choose another -o path."
        }
    }
}
