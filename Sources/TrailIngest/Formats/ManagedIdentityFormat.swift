import Foundation
import TrailModel

extension RecordKind {
    public static let managedIdentity = RecordKind("azure:identity:managed-identity")
}

/// User-assigned managed identities as `az identity list` / `az identity show` print them
/// (flat: `id`, `name`, `clientId`, `principalId`, `tenantId`, `location`, `resourceGroup`,
/// `type`, `systemData`) and as ARM returns them (the same with the IDs under `properties`).
/// One record per identity, at the snapshot time: the four IDs that tie one identity together.
public struct ManagedIdentityFormat: EvidenceFormat {
    public let id = "azure-identities"
    public let title = "user-assigned managed identities (az identity list/show, ARM)"
    public let example = "az identity list -o json > identities.json"

    static let resourceType = "Microsoft.ManagedIdentity/userAssignedIdentities"

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        guard let object = ARMDocuments.firstObject(sample) else { return false }
        return Self.isIdentity(object)
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        try ARMDocuments.readSnapshots(input, into: sink, kind: .managedIdentity, fields: Self.fields(of:))
    }

    static func isIdentity(_ object: [String: Any]) -> Bool {
        let properties = object["properties"] as? [String: Any] ?? object
        return ARMValues.isType(object, resourceType) && (properties["clientId"] is String || properties["principalId"] is String)
    }

    static func fields(of value: Any) throws -> RecordFields {
        let object = try ARMValues.requireObject(value, "a managed identity")
        guard isIdentity(object) else {
            throw JSONElementError(reason: "not a user-assigned managed identity: type is not \(resourceType) or it has no clientId / principalId")
        }
        let properties = object["properties"] as? [String: Any] ?? object
        var fields = RecordFields()
        fields.set("identityResourceId", object["id"] as? String)
        fields.set("name", object["name"] as? String)
        for name in ["clientId", "principalId", "tenantId"] { fields.set(name, properties[name] as? String) }
        fields.set("location", object["location"] as? String)
        fields.set("resourceGroup", (object["resourceGroup"] as? String) ?? ARMValues.segment(after: "resourceGroups", in: object["id"] as? String))
        fields.set("createdAt", ARMValues.string(ARMValues.object(object, "systemData"), "createdAt"))
        return fields
    }
}
