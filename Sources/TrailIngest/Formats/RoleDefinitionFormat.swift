import Foundation
import TrailModel

extension RecordKind {
    public static let roleDefinition = RecordKind("azure:rbac:role-definition")
}

/// Role definitions as `az role definition list` prints them (flat: `roleName`, `roleType`,
/// `permissions`, ...), as the ARM REST API returns them (`{"value": [{"properties": {roleName,
/// type, permissions, ...}, "id", "name", "type"}]}`), and single definitions as the built-in
/// role documentation shows them.
public struct RoleDefinitionFormat: EvidenceFormat {
    public let id = "azure-role-definitions"
    public let title = "role definitions (az role definition list, ARM roleDefinitions responses)"
    public let example = "az role definition list --name \"Storage Blob Data Reader\" -o json > role-definitions.json"

    /// The permission lists, merged across `permissions` entries, each stored as JSON text.
    static let permissionLists = ["actions", "notActions", "dataActions", "notDataActions"]

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        guard let object = ARMDocuments.firstObject(sample) else { return false }
        return Self.definitionProperties(object) != nil
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        try ARMDocuments.readSnapshots(input, into: sink, kind: .roleDefinition, fields: Self.fields(of:))
    }

    /// The object holding `roleName` and `permissions`: the object itself (CLI, docs) or its `properties` (ARM).
    static func definitionProperties(_ object: [String: Any]) -> (properties: [String: Any], nested: Bool)? {
        func isDefinition(_ candidate: [String: Any]) -> Bool { candidate["roleName"] is String && candidate["permissions"] is [Any] }
        if let nested = object["properties"] as? [String: Any], isDefinition(nested) { return (nested, true) }
        return isDefinition(object) ? (object, false) : nil
    }

    static func fields(of value: Any) throws -> RecordFields {
        let object = try ARMValues.requireObject(value, "a role definition")
        guard let (properties, nested) = definitionProperties(object) else {
            throw JSONElementError(reason: "not a role definition: it needs roleName and permissions")
        }
        var fields = RecordFields()
        let id = object["id"] as? String
        fields.set("roleDefinitionId", id)
        let guid = ARMValues.guid(object["name"] as? String) ?? ARMValues.guid(ARMValues.lastSegment(id))
        fields.set("roleDefinitionGuid", guid)
        fields.set("roleName", properties["roleName"] as? String)
        // ARM puts BuiltInRole / CustomRole in properties.type; the CLI flattens it to roleType
        // (its own `type` is the resource type).
        fields.set("roleType", (properties["roleType"] as? String) ?? (nested ? properties["type"] as? String : nil))
        fields.set("description", properties["description"] as? String)
        fields.set("assignableScopes", ARMValues.jsonText(ARMValues.strings(properties["assignableScopes"])))
        let permissions = (properties["permissions"] as? [Any] ?? []).compactMap { $0 as? [String: Any] }
        for list in permissionLists {
            fields.set(list, ARMValues.jsonText(permissions.flatMap { ARMValues.strings($0[list]) }))
        }
        let conditions = permissions.compactMap { $0["condition"] as? String }
        if !conditions.isEmpty { fields.set("conditions", ARMValues.jsonText(conditions)) }
        for name in ["createdOn", "updatedOn"] { fields.set(name, properties[name] as? String) }
        return fields
    }
}
