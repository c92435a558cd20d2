import TrailModel

/// What `az batch account show` says that decides what to collect next.
public struct BatchAccountFacts: Equatable, Sendable {
    public var id: String
    public var name: String
    /// `ACCOUNT.REGION.batch.azure.com`, as the account gives it.
    public var endpoint: String
    public var autoStorageAccountID: String?
    public var nodeIdentityReference: String?
    /// The account's user-assigned identities (and the node identity reference).
    public var userAssignedIdentityIDs: [String]
    /// The principal ID of the account's system-assigned identity.
    public var systemAssignedPrincipalID: String?
    /// The Key Vault of a user subscription mode account.
    public var keyVaultID: String?

    /// The endpoint with its scheme, as `--account-endpoint` takes it.
    public var endpointURL: String { endpoint.hasPrefix("https://") ? endpoint : "https://" + endpoint }

    /// Reads an account as ARM returns it (`properties`) or as the Azure CLI prints it (flattened).
    static func read(_ value: Any?, name: String) -> BatchAccountFacts? {
        guard let object = AzureJSON.objects(value).first, let id = object["id"] as? String,
              let endpoint = AzureJSON.string(object, "accountEndpoint") else { return nil }
        let autoStorage = AzureJSON.object(object, "autoStorage")
        let identity = object["identity"] as? [String: Any]
        return BatchAccountFacts(
            id: id, name: (object["name"] as? String) ?? name, endpoint: endpoint,
            autoStorageAccountID: AzureJSON.string(autoStorage, "storageAccountId"),
            nodeIdentityReference: AzureJSON.string(AzureJSON.object(autoStorage, "nodeIdentityReference"), "resourceId"),
            userAssignedIdentityIDs: AzureJSON.userAssignedIdentityIDs(in: [identity as Any, autoStorage as Any]),
            systemAssignedPrincipalID: (identity?["type"] as? String)?.lowercased().contains("systemassigned") == true
                ? identity?["principalId"] as? String : nil,
            keyVaultID: AzureJSON.string(AzureJSON.object(object, "keyVaultReference"), "id"))
    }
}

/// What a managed identity's `az identity show` says: the IDs Log Analytics rows carry.
struct IdentityFacts: Equatable {
    var principalID: String?
    var clientID: String?

    static func read(_ value: Any?) -> IdentityFacts? {
        guard let object = AzureJSON.objects(value).first else { return nil }
        return IdentityFacts(principalID: AzureJSON.string(object, "principalId"), clientID: AzureJSON.string(object, "clientId"))
    }
}

/// One role assignment of an `az role assignment list` answer, as far as collecting needs it.
struct AssignmentFacts: Equatable {
    var scope: String
    var principalID: String
    var principalType: String?
    /// The GUID at the end of `roleDefinitionId`, lower-cased.
    var roleDefinitionGUID: String?
    /// The subscription of the role definition ID, lower-cased (nil for a tenant-level built-in ID).
    var roleDefinitionSubscription: String?

    var isGroup: Bool { principalType?.lowercased() == "group" }

    static func read(_ value: Any?) -> [AssignmentFacts] {
        AzureJSON.objects(value).compactMap { object in
            guard let scope = AzureJSON.string(object, "scope"), let principal = AzureJSON.string(object, "principalId") else { return nil }
            let definition = AzureJSON.string(object, "roleDefinitionId").map(ARMScope.init)
            return AssignmentFacts(scope: scope, principalID: principal, principalType: AzureJSON.string(object, "principalType"),
                                   roleDefinitionGUID: definition?.lastSegment, roleDefinitionSubscription: definition?.subscriptionID)
        }
    }

    /// True when the assignment applies at one of `scopes` (it is at or above it), or is held by one of `principals`.
    func matters(at scopes: [ARMScope], principals: Set<String>) -> Bool {
        if principals.contains(principalID.lowercased()) { return true }
        let assigned = ARMScope(scope)
        return scopes.contains { assigned.relation(to: $0) != .unrelated }
    }
}

/// The nested groups among an `az ad group member list` answer (Microsoft Graph directory objects).
enum GroupMemberFacts {
    static func nestedGroupIDs(_ value: Any?) -> [String] {
        AzureJSON.objects(value).compactMap { member in
            guard (member["@odata.type"] as? String)?.lowercased() == "#microsoft.graph.group" else { return nil }
            return member["id"] as? String
        }
    }
}
