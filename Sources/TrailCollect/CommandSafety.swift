/// The collector's promise that nothing secret leaves the machine starts here: it never runs a command
/// that prints keys, connection strings, SAS tokens or access tokens. Every command is checked before it
/// runs; a refusal is a bug in the plan, never a user error.
public enum CommandSafety {
    /// Arguments that ask the Azure CLI for a secret: account keys (`az storage account keys list`,
    /// `az batch account keys list`), connection strings, SAS tokens, shared-key login (it fetches the
    /// account key), a login that prints its token (`az batch account login --show`), and access tokens.
    static let forbiddenArguments: Set<String> = [
        "keys", "list-keys", "show-connection-string", "connection-string", "generate-sas", "--shared-key-auth", "--show",
        "--account-key", "get-access-token", "--sas-token", "secret", "--debug",
    ]

    /// Text that must not appear inside any argument (an `az rest` URL calling `listKeys`, say), case-insensitively.
    static let forbiddenFragments = ["listkeys", "listconnectionstrings", "listaccountsas", "listservicesas", "regeneratekey"]

    /// Why `arguments` must not run, or nil when it may.
    public static func refusal(_ arguments: [String]) -> String? {
        if let argument = arguments.first(where: forbiddenArguments.contains) {
            return "`\(argument)` asks the Azure CLI for a secret (keys, connection strings, SAS or access tokens) or prints one"
        }
        for argument in arguments {
            let lowered = argument.lowercased()
            if let fragment = forbiddenFragments.first(where: lowered.contains) {
                return "`\(fragment)` would read a secret"
            }
        }
        return nil
    }
}
