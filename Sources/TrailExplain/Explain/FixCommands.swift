import TrailModel

/// The runnable commands explain proposes.
enum FixCommands {
    /// `az role assignment create` for a service principal (a managed identity).
    static func assignRole(principal: String?, role: String, scope: String?) -> String {
        "az role assignment create --assignee-object-id \(principal ?? "<principal-id>") --assignee-principal-type ServicePrincipal "
            + "--role \"\(role)\" --scope \(scope ?? "<scope>")"
    }

    /// Sets the identity compute nodes use for autostorage.
    static func setNodeIdentityReference(account: AccountConfiguration, identity: String) -> String {
        let group = account.resourceID.flatMap { ARMScope($0).resourceGroup } ?? "<resource-group>"
        return "az batch account set --name \(account.name) --resource-group \(group) --storage-account \(account.autoStorageAccountID ?? "<autostorage-account-id>") "
            + "--storage-account-auth-mode BatchAccountManagedIdentity --storage-account-node-identity \(identity)"
    }

    /// The IMDS token request with the identity named.
    static func imdsRequest(resource: String?, identityResourceID: String?) -> String {
        "curl -H Metadata:true \"http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=\(resource ?? "https://storage.azure.com/")"
            + "&mi_res_id=\(identityResourceID ?? "<user-assigned-identity-resource-id>")\""
    }
}
