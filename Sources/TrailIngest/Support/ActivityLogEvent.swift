import Foundation
import TrailModel

extension RecordKind {
    public static let activityLogEvent = RecordKind("azure:activitylog:event")
}

/// One Activity Log event, whichever tool printed it, reduced to the values mitrail correlates.
///
/// Begin and end records of one operation (`BeginRequest` / `EndRequest`, `Started` /
/// `Succeeded` / `Failed`) are separate events and stay separate records.
struct ActivityLogEvent {
    var time: String?
    var operationName: String?
    var status: String?
    var phase: String?
    var caller: String?
    var correlationId: String?
    var eventDataId: String?
    var resourceId: String?
    var statusCode: String?
    var subStatus: String?
    var category: String?
    var level: String?
    var callerIpAddress: String?
    var authorization: [String: Any]?
    var claims: [String: Any]?
    var properties: [String: Any]?

    /// Activity Log status words as the different exports spell them, in the portal's and CLI's words.
    static let statusWords: [String: String] = [
        "start": "Started", "started": "Started", "accept": "Accepted", "accepted": "Accepted",
        "success": "Succeeded", "succeeded": "Succeeded", "failure": "Failed", "failed": "Failed",
    ]
    static let objectIdClaims = ["http://schemas.microsoft.com/identity/claims/objectidentifier", "oid"]
    static let appIdClaims = ["appid", "azp"]
    static let roleAssignmentsSegment = "/providers/microsoft.authorization/roleassignments/"

    /// The operation: its own name, else the authorized action, else the properties' message (filtered CLI output).
    var resolvedOperationName: String? {
        operationName ?? ARMValues.string(authorization, "action") ?? ARMValues.string(properties, "message")
    }

    var isRoleAssignmentChange: Bool {
        guard let name = resolvedOperationName?.lowercased() else { return false }
        return name.hasPrefix("microsoft.authorization/roleassignments/") && (name.hasSuffix("/write") || name.hasSuffix("/delete"))
    }

    var fields: RecordFields {
        var fields = RecordFields()
        fields.set("operationName", resolvedOperationName)
        fields.set("operationStatus", status.map { Self.statusWords[$0.lowercased()] ?? $0 })
        fields.set("eventPhase", phase)
        fields.set("caller", caller)
        fields.set("callerObjectId", Self.objectIdClaims.lazy.compactMap { ARMValues.string(self.claims, $0) }.first)
        fields.set("callerAppId", Self.appIdClaims.lazy.compactMap { ARMValues.string(self.claims, $0) }.first)
        fields.set("correlationId", correlationId)
        fields.set("eventDataId", eventDataId)
        fields.set("targetResource", resourceId ?? ARMValues.string(properties, "entity"))
        let (substatusText, httpStatus) = Self.splitSubStatus(subStatus)
        fields.set("statusCode", ARMValues.string(properties, "statusCode") ?? substatusText)
        if let httpStatus { fields.set("status", .integer(httpStatus)) }
        fields.set("action", ARMValues.string(authorization, "action"))
        fields.set("authorizationScope", ARMValues.string(authorization, "scope"))
        fields.set("category", category ?? ARMValues.string(properties, "eventCategory"))
        fields.set("level", level)
        fields.set("callerIpAddress", callerIpAddress)
        if isRoleAssignmentChange { addRoleAssignment(to: &fields) }
        ActivityLogStatusMessage.addFields(of: properties, roleAssignmentChange: isRoleAssignmentChange, to: &fields)
        addAuthorizationEvidence(to: &fields)
        return fields
    }

    /// `Created (HTTP Status Code: 201)` → ("Created", 201); other text is kept whole.
    static func splitSubStatus(_ text: String?) -> (String?, Int64?) {
        guard let text, !text.isEmpty else { return (nil, nil) }
        guard let open = text.range(of: " (HTTP Status Code: "), text.hasSuffix(")") else { return (text, nil) }
        let code = text[open.upperBound..<text.index(before: text.endIndex)]
        return (String(text[..<open.lowerBound]), Int64(code))
    }

    /// The assignment a role assignment write or delete is about, from wherever the event carries it:
    /// the request body (write, begin), the response body (write, end), the properties (delete) or the resource ID.
    func addRoleAssignment(to fields: inout RecordFields) {
        let bodies = ["requestbody", "responseBody"].compactMap { ARMValues.object(properties, $0) } + [properties ?? [:]]
        let sources = bodies.map { ARMValues.object($0, "properties") ?? $0 }
        func first(_ name: String) -> String? { sources.lazy.compactMap { ARMValues.string($0, name) }.first }

        // `entity` keeps the ID's case where diagnostic settings upper-case `resourceId`.
        let candidates = [ARMValues.string(properties, "entity"), resourceId, ARMValues.string(authorization, "scope")]
            + bodies.map { ARMValues.string($0, "id") }
        var assignmentId = candidates.compactMap { $0 }.first { $0.lowercased().contains(Self.roleAssignmentsSegment) }
        if let id = assignmentId, let guid = ARMValues.guid(ARMValues.lastSegment(id)) {
            assignmentId = String(id.dropLast(ARMValues.lastSegment(id)?.count ?? 0)) + guid
        }
        fields.set("roleAssignmentId", assignmentId)
        let name = ARMValues.lastSegment(assignmentId) ?? bodies.lazy.compactMap { ARMValues.string($0, "id") }.first
        fields.set("roleAssignmentName", ARMValues.guid(name) ?? name)
        let principalId = first("principalId")
        fields.set("principalId", ARMValues.guid(principalId) ?? principalId)
        fields.set("principalType", first("principalType"))
        let roleDefinitionId = first("roleDefinitionId")
        fields.set("roleDefinitionId", ARMValues.guid(roleDefinitionId) ?? roleDefinitionId)
        fields.set("roleDefinitionGuid", ARMValues.guid(ARMValues.lastSegment(roleDefinitionId)))
        var scope = first("scope")
        if scope == nil, let id = assignmentId, let range = id.range(of: Self.roleAssignmentsSegment, options: .caseInsensitive) {
            scope = range.lowerBound == id.startIndex ? "/" : String(id[..<range.lowerBound])
        }
        fields.set("scope", scope)
    }
}
