import Foundation
import TrailModel

/// `KeyVaultNotFound` (or access denied) when a Batch account in user subscription mode uses its Key Vault:
/// Azure Batch needs the Key Vault Secrets Officer role on the vault.
struct KeyvaultAccessMissingRule: DiagnosisRule {
    let code = DiagnosisCode.keyvaultAccessMissing
    let resolution = ResolutionStrategy.keyVaultGrantThenSuccess
    /// The application ID of the Microsoft Azure Batch service principal.
    static let batchServiceAppID = "ddbf3205-c6bd-46ae-8127-60eb93363864"

    func diagnose(_ facts: FailureFacts, in context: ExplainContext) -> Diagnosis? {
        let code = facts.failure.code ?? ""
        guard code.hasPrefix("KeyVault") || code.contains("Forbidden") && (facts.failure.message ?? "").localizedCaseInsensitiveContains("key vault")
        else { return nil }
        let account = context.configuration.account(named: facts.failure.account, at: facts.time)
        let vault = account?.keyVaultID
        // The vault's name: from the account's Key Vault reference, else from the URL the error names (account creation fails
        // before any account configuration exists).
        let name = vault.map(Self.lastSegment) ?? Self.vaultName(in: facts.failure.message)
        // A runnable scope even without the vault's resource ID: az resolves it from the name.
        let scope = vault ?? name.map { "$(az keyvault show --name \($0) --query id -o tsv)" } ?? "<key-vault-id>"
        var diagnosis = Diagnosis(
            code: self.code, identity: IdentityReference(clientID: Self.batchServiceAppID), scope: vault,
            missingRole: "Key Vault Secrets Officer", missingAction: "Microsoft.KeyVault/vaults/secrets/*",
            finding: "Azure Batch cannot use Key Vault \(name ?? "of the account") (\(code))",
            reason: "A Batch account in user subscription mode keeps its secrets in its Key Vault; KeyVaultNotFound is returned when the vault "
                + "does not exist or Batch was not granted the Key Vault Secrets Officer role on it (or, with the access policy model, an access policy).",
            fix: "az role assignment create --assignee \(Self.batchServiceAppID) --role \"Key Vault Secrets Officer\" --scope \(scope)"
                + (name.map { "   # vaults with the access policy model: az keyvault set-policy --name \($0) --spn \(Self.batchServiceAppID) "
                    + "--secret-permissions get list set delete recover" } ?? ""))
        diagnosis.supporting = account.map { [$0.evidence] } ?? []
        return diagnosis
    }

    static func lastSegment(_ id: String) -> String { id.split(separator: "/").last.map(String.init) ?? id }

    /// `kvfixture` from "... key vault https://kvfixture.vault.azure.net/ could not be found ...".
    static func vaultName(in message: String?) -> String? {
        guard let message, let range = message.range(of: ".vault.azure.net") else { return nil }
        let before = message[..<range.lowerBound]
        guard let start = before.range(of: "://", options: .backwards) else { return nil }
        let name = String(before[start.upperBound...])
        return name.isEmpty || name.contains(" ") ? nil : name
    }
}
