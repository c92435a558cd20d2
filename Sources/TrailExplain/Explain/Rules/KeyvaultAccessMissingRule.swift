import TrailModel

/// `KeyVaultNotFound` (or access denied) when a Batch account in user subscription mode uses its Key Vault:
/// Azure Batch needs the Key Vault Secrets Officer role on the vault.
struct KeyvaultAccessMissingRule: DiagnosisRule {
    let code = DiagnosisCode.keyvaultAccessMissing
    /// The application ID of the Microsoft Azure Batch service principal.
    static let batchServiceAppID = "ddbf3205-c6bd-46ae-8127-60eb93363864"

    func diagnose(_ facts: FailureFacts, in context: ExplainContext) -> Diagnosis? {
        let code = facts.failure.code ?? ""
        guard code.hasPrefix("KeyVault") || (facts.failure.message ?? "").localizedCaseInsensitiveContains("key vault") && code.contains("Forbidden")
        else { return nil }
        let account = context.configuration.account(named: facts.failure.account, at: facts.time)
        let vault = account?.keyVaultID
        var diagnosis = Diagnosis(
            code: self.code, identity: IdentityReference(clientID: Self.batchServiceAppID), scope: vault,
            missingRole: "Key Vault Secrets Officer", missingAction: "Microsoft.KeyVault/vaults/secrets/*",
            finding: "Azure Batch cannot use Key Vault \(vault.map { storageLessName($0) } ?? "of the account") (\(code))",
            reason: "A Batch account in user subscription mode keeps its secrets in its Key Vault; KeyVaultNotFound is returned when the vault "
                + "does not exist or Batch was not granted the Key Vault Secrets Officer role on it (or, with the access policy model, an access policy).",
            fix: "az role assignment create --assignee \(Self.batchServiceAppID) --role \"Key Vault Secrets Officer\" --scope \(vault ?? "<key-vault-id>")")
        diagnosis.supporting = account.map { [$0.evidence] } ?? []
        return diagnosis
    }

    func storageLessName(_ id: String) -> String { id.split(separator: "/").last.map(String.init) ?? id }
}
