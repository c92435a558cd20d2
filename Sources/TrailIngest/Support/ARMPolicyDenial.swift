import Foundation
import TrailModel

/// An Azure Policy denial in an ARM error (CloudError): `RequestDisallowedByPolicy`, the error itself or one
/// nested in its `details[]` (under `InvalidTemplateDeployment`, `DeploymentFailed`, ...), and the policy
/// assignment and definition that denied the request, from the denial's `additionalInfo[]` entry of type
/// `PolicyViolation` (`info.policyAssignmentId`, `policyAssignmentName`, `policyAssignmentDisplayName`,
/// `policyAssignmentScope`, `policyDefinitionId`, `policyDefinitionName`, `policyDefinitionDisplayName`), else
/// from its message: "Policy identifiers: '[{"policyAssignment":{"name","id"},"policyDefinition":{"name","id"}}]'"
/// or the older "Policy identifier(s): '/.../policyDefinitions/NAME'".
///
/// Fields: `policyDenied` (true), `policyAssignmentId`, `policyAssignmentName`, `policyAssignmentScope`,
/// `policyDefinitionId`, `policyDefinitionName`, `policyEffect`, `policyTarget` (the resource denied, by name),
/// `policyMessage` (the denial's message; the outer error's may only say "see details").
enum ARMPolicyDenial {
    static let code = "RequestDisallowedByPolicy"

    static func addFields(ofError error: [String: Any], to fields: inout RecordFields) {
        guard let denial = find(in: error, depth: 0) else { return }
        fields.set("policyDenied", .bool(true))
        let info = violationInfo(denial)
        let named = identifiers(in: denial["message"] as? String)
        fields.set("policyAssignmentId", text(info, "policyAssignmentId") ?? text(info, "policyAsssignmentId") ?? named.assignmentID)
        fields.set("policyAssignmentName", text(info, "policyAssignmentDisplayName") ?? text(info, "policyAssignmentName") ?? named.assignmentName)
        fields.set("policyAssignmentScope", text(info, "policyAssignmentScope"))
        fields.set("policyDefinitionId", text(info, "policyDefinitionId") ?? named.definitionID)
        fields.set("policyDefinitionName", text(info, "policyDefinitionDisplayName") ?? text(info, "policyDefinitionName") ?? named.definitionName)
        fields.set("policyEffect", text(info, "policyDefinitionEffect"))
        fields.set("policyTarget", text(denial, "target"))
        fields.set("policyMessage", text(denial, "message"))
    }

    /// The error whose code is `RequestDisallowedByPolicy`: this one, or the first among its details (depth-first).
    static func find(in error: [String: Any], depth: Int) -> [String: Any]? {
        if (error["code"] as? String)?.caseInsensitiveCompare(code) == .orderedSame { return error }
        guard depth < 8 else { return nil }
        for case let detail as [String: Any] in error["details"] as? [Any] ?? [] {
            if let found = find(in: detail, depth: depth + 1) { return found }
        }
        return nil
    }

    /// The `info` of the denial's first `PolicyViolation` additional info.
    static func violationInfo(_ denial: [String: Any]) -> [String: Any]? {
        for case let entry as [String: Any] in denial["additionalInfo"] as? [Any] ?? [] {
            guard (entry["type"] as? String)?.caseInsensitiveCompare("PolicyViolation") == .orderedSame else { continue }
            if let info = entry["info"] as? [String: Any] { return info }
        }
        return nil
    }

    /// What the message names: the first policy assignment and definition of "Policy identifiers: '[...]'", or
    /// the definition of "Policy identifier(s): 'ID'".
    static func identifiers(in message: String?) -> (assignmentID: String?, assignmentName: String?, definitionID: String?, definitionName: String?) {
        guard let message, let marker = message.range(of: "Policy identifier", options: .caseInsensitive),
              let quote = message[marker.upperBound...].firstIndex(of: "'") else { return (nil, nil, nil, nil) }
        let rest = message[message.index(after: quote)...]
        if rest.hasPrefix("["), let close = rest.range(of: "]'", options: .backwards),
           let list = try? FastJSON.jsonObject(with: Array(rest[..<close.upperBound].dropLast().utf8)) as? [Any],
           let first = list.first as? [String: Any] {
            let assignment = first["policyAssignment"] as? [String: Any]
            let definition = first["policyDefinition"] as? [String: Any]
            return (text(assignment, "id"), text(assignment, "name"), text(definition, "id"), text(definition, "name"))
        }
        guard let end = rest.firstIndex(of: "'") else { return (nil, nil, nil, nil) }
        let id = String(rest[..<end])
        guard id.lowercased().contains("/policydefinitions/") else { return (nil, nil, nil, nil) }
        return (nil, nil, id, id.split(separator: "/").last.map(String.init))
    }

    static func text(_ object: [String: Any]?, _ name: String) -> String? {
        guard let value = object?[name] as? String, !value.isEmpty else { return nil }
        return value
    }
}
