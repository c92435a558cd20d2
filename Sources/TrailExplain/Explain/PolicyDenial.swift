import TrailModel

/// What an Azure Policy denial (`RequestDisallowedByPolicy`) names: the policy assignment and definition that
/// denied the request, and the resource it was about, as the ingest read them from the error's message or its
/// `additionalInfo[].info` (fields `policyAssignmentId`, `policyDefinitionId`, ... of the record).
public struct PolicyDenial: Sendable, Equatable {
    public var assignmentID: String?
    public var assignmentName: String?
    public var assignmentScope: String?
    public var definitionID: String?
    public var definitionName: String?
    /// The resource the request was about (the error's `target`, a name).
    public var target: String?
    /// The denial's own message (the outer error's may be a deployment's "see details").
    public var message: String?

    /// The denial a failure record carries, or nil when it is not one (one column read for every other failure).
    init?(_ row: EvidenceRow) {
        guard row.integer("policy_denied") == 1 else { return nil }
        assignmentID = row.string("policy_assignment_id")
        assignmentName = row.string("policy_assignment_name")
        assignmentScope = row.string("policy_assignment_scope")
        definitionID = row.string("policy_definition_id")
        definitionName = row.string("policy_definition_name")
        target = row.string("policy_target")
        message = row.string("policy_message")
    }

    /// The assignment's scope: as the error names it, else the part of its ID before `/providers/Microsoft.Authorization/`.
    public var scopeOfAssignment: String? {
        if let assignmentScope { return assignmentScope }
        guard let id = assignmentID, let range = id.range(of: "/providers/Microsoft.Authorization/policyAssignments/", options: .caseInsensitive)
        else { return nil }
        return range.lowerBound == id.startIndex ? "/" : String(id[..<range.lowerBound])
    }
}
