import TrailModel

/// The runnable commands explain proposes.
enum FixCommands {
    /// The Batch management API version the `az rest` fixes use.
    static let batchAPIVersion = "2024-07-01"
    static let imdsTokenURL = "http://169.254.169.254/metadata/identity/oauth2/token"

    /// `az role assignment create` for a service principal (a managed identity).
    static func assignRole(principal: String?, role: String, scope: String?) -> String {
        "az role assignment create --assignee-object-id \(principal ?? "<principal-id>") --assignee-principal-type ServicePrincipal "
            + "--role \"\(role)\" --scope \(scope ?? "<scope>")"
    }

    /// An exemption (category Waiver) from the policy assignment that denied a request. A resource the request
    /// would have created does not exist yet: the exemption goes on its resource group, the narrowest scope there is.
    static func policyExemption(assignmentID: String?, assignmentName: String?, resourceID: String?, resourceName: String) -> String {
        let scope = resourceID.map { id in ARMScope(id).resourceGroup == nil ? id : id.split(separator: "/").prefix(4).map { "/" + $0 }.joined() }
            ?? "<resource-group-id>"
        let name = "exempt-" + String((assignmentName ?? resourceName).prefix(40))
        return "az policy exemption create --name \(name) --policy-assignment \(assignmentID ?? "<policy-assignment-id>") "
            + "--scope \(scope) --exemption-category Waiver"
    }

    /// Sets the identity compute nodes use for autostorage. `az batch account set` has no option for the
    /// authentication mode or the node identity reference, so this is the Batch Account - Update call (PATCH).
    static func setNodeIdentityReference(account: AccountConfiguration, identity: String) -> String {
        let body = "{\"properties\":{\"autoStorage\":{\"storageAccountId\":\"\(account.autoStorageAccountID ?? "<autostorage-account-id>")\","
            + "\"authenticationMode\":\"BatchAccountManagedIdentity\",\"nodeIdentityReference\":{\"resourceId\":\"\(identity)\"}}}}"
        return "az rest --method patch --url \"https://management.azure.com\(accountID(account))?api-version=\(batchAPIVersion)\" --body '\(body)'"
    }

    /// Adds `identity` to a pool's user-assigned identities, keeping the ones it has (Pool - Update, PATCH).
    /// Only nodes created after the change get it: the pool has to be scaled to 0 and back.
    static func addPoolIdentity(pool: PoolConfiguration, account: AccountConfiguration?, identity: String) -> String {
        var identities = pool.identities.map(\.resourceID)
        if !identities.contains(where: { ARMScope($0) == ARMScope(identity) }) { identities.append(identity) }
        let map = identities.map { "\"\($0)\":{}" }.joined(separator: ",")
        let poolID = pool.resourceID ?? (account.map(accountID) ?? "<batch-account-id>") + "/pools/\(pool.name)"
        return "az rest --method patch --url \"https://management.azure.com\(poolID)?api-version=\(batchAPIVersion)\" "
            + "--body '{\"identity\":{\"type\":\"UserAssigned\",\"userAssignedIdentities\":{\(map)}}}'"
            + "   # then scale pool \(pool.name) to 0 nodes and back: only nodes created after the change get the identity"
    }

    static func accountID(_ account: AccountConfiguration) -> String {
        account.resourceID ?? "/subscriptions/<subscription-id>/resourceGroups/<resource-group>/providers/Microsoft.Batch/batchAccounts/\(account.name)"
    }

    /// The IMDS token request `url` (or a storage token request when it is unknown) with the header
    /// `Metadata: true`, and with the resource and the identity parameter replaced when given.
    static func imdsRequest(url: String?, resource: String? = nil, identity: (parameter: String, value: String)? = nil) -> String {
        let original = url ?? imdsTokenURL + "?api-version=2018-02-01&resource=https://storage.azure.com/"
        let parts = original.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var items = parts.count > 1 ? parts[1].split(separator: "&").map(String.init) : []
        func name(_ item: String) -> String { String(item.prefix { $0 != "=" }).lowercased() }
        if let resource {
            if let index = items.firstIndex(where: { name($0) == "resource" }) { items[index] = "resource=" + resource } else { items.append("resource=" + resource) }
        }
        if let identity {
            items.removeAll { ["client_id", "object_id", "principal_id", "mi_res_id", "msi_res_id"].contains(name($0)) }
            items.append(identity.parameter + "=" + identity.value)
        }
        let base = parts[0].hasPrefix("http") ? String(parts[0]) : imdsTokenURL
        return "curl -H Metadata:true \"" + base + (items.isEmpty ? "" : "?" + items.joined(separator: "&")) + "\""
    }
}
