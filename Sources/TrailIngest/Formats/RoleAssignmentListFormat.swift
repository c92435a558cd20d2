import Foundation
import TrailModel

/// Role assignments as `az role assignment list -o json` prints them (a flat camelCase array)
/// and as the ARM REST API returns them (`{"value": [{"properties": {...}, "id", "name"}]}`),
/// including a single assignment (`az role assignment create`, ARM GET or PUT), objects printed one
/// after another (`az role assignment list --query "[].{...}"` piped through jq), and the REST
/// specification examples (`{"parameters": ..., "responses": {"200": {"body": ...}}}`).
public struct RoleAssignmentListFormat: EvidenceFormat {
    public let id = "azure-role-assignments"
    public let title = "role assignments (az role assignment list, ARM roleAssignments responses)"
    public let example = "az role assignment list --all --include-inherited -o json > role-assignments.json"

    /// Properties copied into the record's fields, in this order, when present.
    static let copiedProperties = [
        "roleDefinitionId", "roleDefinitionName", "principalId", "principalName", "principalType", "scope",
        "condition", "conditionVersion", "createdOn", "updatedOn", "createdBy", "updatedBy", "description",
        "canDelegate", "delegatedManagedIdentityResourceId",
    ]

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        guard let object = ARMDocuments.firstObject(sample) else { return false }
        return Self.assignmentProperties(object) != nil
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        try ARMDocuments.readSnapshots(input, into: sink, kind: .roleAssignment, fields: Self.fields(of:))
    }

    /// The object holding the assignment's properties: the object itself (CLI) or its `properties` (ARM).
    static func assignmentProperties(_ object: [String: Any]) -> [String: Any]? {
        // An Activity Log event about an assignment is not the assignment.
        if object["eventTimestamp"] != nil || object["operationName"] != nil { return nil }
        for candidate in [object["properties"] as? [String: Any], object].compactMap({ $0 }) {
            let hasRole = candidate["roleDefinitionId"] is String || candidate["roleDefinitionName"] is String
            let hasPrincipal = candidate["principalId"] is String || candidate["principalName"] is String
            if hasRole && hasPrincipal && candidate["scope"] is String { return candidate }
        }
        return nil
    }

    static func fields(of value: Any) throws -> RecordFields {
        guard let object = value as? [String: Any] else {
            throw JSONElementError(reason: "expected a role assignment object, found \(JSONValues.typeName(value))")
        }
        guard let properties = assignmentProperties(object) else {
            throw JSONElementError(reason: "not a role assignment: it needs scope, a role (roleDefinitionId or roleDefinitionName) and a principal (principalId or principalName)")
        }
        var fields = RecordFields()
        fields.set("id", object["id"] as? String)
        fields.set("name", object["name"] as? String)
        for name in copiedProperties {
            if let value = properties[name].flatMap(JSONValues.fieldValue) { fields.set(name, value) }
        }
        if let guid = ARMValues.lastSegment(properties["roleDefinitionId"] as? String) {
            fields.set("roleDefinitionGuid", .string(guid.lowercased()))
        }
        return fields
    }
}
