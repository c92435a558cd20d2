/// The Kusto queries `mitrail collect` runs in a Log Analytics workspace (`--workspace`), over the
/// `--since` window (`--timespan`). Values are quoted as Kusto string literals, never pasted bare.
public enum LogAnalyticsQueries {
    /// Failed Storage requests (HTTP 400 and above) to the storage accounts involved, oldest first.
    public static func storageBlobFailures(accounts: [String]) -> String {
        let filter = accounts.isEmpty ? "" : " and AccountName in~ (\(list(accounts)))"
        return "StorageBlobLogs | where StatusCode >= 400\(filter) | order by TimeGenerated asc | take \(AzureCommands.maximumLogRows)"
    }

    /// Managed identity sign-ins (token requests, successful or not) of the identities involved, oldest first.
    public static func managedIdentitySignIns(principals: [String], clients: [String]) -> String {
        var conditions: [String] = []
        if !principals.isEmpty { conditions.append("ServicePrincipalId in~ (\(list(principals)))") }
        if !clients.isEmpty { conditions.append("AppId in~ (\(list(clients)))") }
        let filter = conditions.isEmpty ? "" : " | where " + conditions.joined(separator: " or ")
        return "AADManagedIdentitySignInLogs\(filter) | order by TimeGenerated asc | take \(AzureCommands.maximumLogRows)"
    }

    static func list(_ values: [String]) -> String {
        values.map(literal).joined(separator: ", ")
    }

    /// A Kusto string literal: single quotes, with `\` and `'` escaped.
    static func literal(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}
