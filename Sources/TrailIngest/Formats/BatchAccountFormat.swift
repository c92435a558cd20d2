import Foundation
import TrailModel

extension RecordKind {
    public static let batchAccount = RecordKind("azure:batch:account")
}

/// Batch accounts as ARM returns them (`GET .../Microsoft.Batch/batchAccounts/NAME`: `identity`
/// and `properties{autoStorage, poolAllocationMode, keyVaultReference, ...}`) and as
/// `az batch account show` prints them (the same with the properties flattened).
/// One record per account, at the snapshot time: its identities and how it reaches autostorage.
public struct BatchAccountFormat: EvidenceFormat {
    public let id = "azure-batch-account"
    public let title = "Batch accounts (ARM batchAccounts GET, az batch account show)"
    public let example = "az batch account show --name ACCOUNT --resource-group RG -o json > batch-account.json"

    static let resourceType = "Microsoft.Batch/batchAccounts"
    /// Scalar properties copied under their own names.
    static let copiedProperties = ["poolAllocationMode", "accountEndpoint", "provisioningState", "publicNetworkAccess"]

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        guard let object = ARMDocuments.firstObject(sample) else { return false }
        return ARMValues.isType(object, Self.resourceType)
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        try ARMDocuments.readSnapshots(input, into: sink, kind: .batchAccount, fields: Self.fields(of:))
    }

    static func fields(of value: Any) throws -> RecordFields {
        let object = try ARMValues.requireObject(value, "a Batch account")
        guard ARMValues.isType(object, resourceType) else {
            throw JSONElementError(reason: "not a Batch account: type is not \(resourceType)")
        }
        let properties = object["properties"] as? [String: Any] ?? object
        let identity = ARMValues.object(object, "identity")
        let autoStorage = ARMValues.object(properties, "autoStorage")
        var fields = RecordFields()
        fields.set("account", object["name"] as? String)
        fields.set("accountResourceId", object["id"] as? String)
        fields.set("location", object["location"] as? String)
        fields.set("identityType", ARMValues.string(identity, "type"))
        // Only a system-assigned identity puts its principal and tenant at the top of `identity`.
        fields.set("principalId", ARMValues.string(identity, "principalId"))
        fields.set("tenantId", ARMValues.string(identity, "tenantId"))
        fields.set("userAssignedIdentities", ARMValues.userAssignedIdentities(identity))
        fields.set("autoStorageAccountId", ARMValues.string(autoStorage, "storageAccountId"))
        fields.set("autoStorageAuthenticationMode", ARMValues.string(autoStorage, "authenticationMode"))
        fields.set("nodeIdentityReference", ARMValues.string(ARMValues.object(autoStorage, "nodeIdentityReference"), "resourceId"))
        fields.set("autoStorageLastKeySync", ARMValues.string(autoStorage, "lastKeySync"))
        let keyVault = ARMValues.object(properties, "keyVaultReference")
        fields.set("keyVaultUrl", ARMValues.string(keyVault, "url"))
        fields.set("keyVaultId", ARMValues.string(keyVault, "id"))
        for name in copiedProperties { fields.set(name, ARMValues.string(properties, name)) }
        if let modes = properties["allowedAuthenticationModes"] as? [Any] {
            fields.set("allowedAuthenticationModes", ARMValues.jsonText(ARMValues.strings(modes)))
        }
        return fields
    }
}
