import Foundation
import TrailModel

/// What an Azure Policy denial (`RequestDisallowedByPolicy`) names: the policy assignment and definition that
/// denied the request, and the resource it was about, as the ingest read them from the error's message or its
/// `additionalInfo[].info` (fields `policyAssignmentId`, `policyDefinitionId`, ... of the record; `failure_records`
/// gives them as one JSON object). A class: a failure holds a reference, which costs a million failures that are
/// not denials one word each.
public final class PolicyDenial: Sendable {
    public let assignmentID: String?
    public let assignmentName: String?
    public let assignmentScope: String?
    public let definitionID: String?
    public let definitionName: String?
    /// The resource the request was about (the error's `target`, a name).
    public let target: String?
    /// The denial's own message (the outer error's may be a deployment's "see details").
    public let message: String?

    /// The denial in a failure record's `policy_denial` JSON object, or nil when it is not one (one column read for every other failure).
    init?(json: String?) {
        guard let json,
              let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return nil }
        func text(_ name: String) -> String? { (object[name] as? String).flatMap { $0.isEmpty ? nil : $0 } }
        assignmentID = text("assignmentId")
        assignmentName = text("assignmentName")
        assignmentScope = text("assignmentScope")
        definitionID = text("definitionId")
        definitionName = text("definitionName")
        target = text("target")
        message = text("message")
    }

    /// The assignment's scope: as the error names it, else the part of its ID before `/providers/Microsoft.Authorization/`.
    public var scopeOfAssignment: String? {
        if let assignmentScope { return assignmentScope }
        guard let id = assignmentID, let range = id.range(of: "/providers/Microsoft.Authorization/policyAssignments/", options: .caseInsensitive)
        else { return nil }
        return range.lowerBound == id.startIndex ? "/" : String(id[..<range.lowerBound])
    }
}
