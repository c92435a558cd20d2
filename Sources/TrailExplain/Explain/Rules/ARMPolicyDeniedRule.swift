import TrailModel

/// ARM `RequestDisallowedByPolicy` (the error itself, or nested in `details[]` under a deployment's error): an
/// Azure Policy assignment with a deny effect refused the request. It is never a missing role (no role lets a
/// request through a deny policy), so no role assignment is asked about: the fix is a request that complies,
/// or an exemption from the assignment.
struct ARMPolicyDeniedRule: DiagnosisRule {
    let code = DiagnosisCode.armPolicyDenied
    let resolution = ResolutionStrategy.none

    func diagnose(_ facts: FailureFacts, in context: ExplainContext) -> Diagnosis? {
        guard let denial = facts.failure.policyDenial else { return nil }
        let failure = facts.failure
        let resource = denial.target ?? failure.targetResource.flatMap(lastSegment) ?? "the resource"
        let assignment = denial.assignmentName ?? denial.assignmentID.flatMap(lastSegment) ?? "an Azure Policy assignment"
        let definition = denial.definitionName ?? denial.definitionID.flatMap(lastSegment)
        let scope = failure.targetResource.flatMap { $0.hasPrefix("/subscriptions/") ? $0 : nil } ?? denial.scopeOfAssignment
        var reason = "Azure Resource Manager refused the request with RequestDisallowedByPolicy: policy assignment '\(assignment)'"
            + (denial.scopeOfAssignment.map { " at \($0)" } ?? "")
            + (definition.map { " (policy definition '\($0)')" } ?? "")
            + " does not allow it. No role assignment changes that: the request must comply with the policy, or the resource needs an exemption from the assignment."
        if let message = denial.message ?? failure.message { reason += " The error said: \"\(Self.firstSentence(message))\"" }
        let exemption = FixCommands.policyExemption(assignmentID: denial.assignmentID, assignmentName: denial.assignmentID.flatMap(lastSegment),
                                                    resourceID: scope == denial.scopeOfAssignment ? nil : scope, resourceName: resource)
        let comply = definition.map { "policy definition '\($0)'" } ?? "the policy"
        let show = denial.definitionID.flatMap(lastSegment).map { " (az policy definition show --name \($0))" } ?? ""
        var diagnosis = Diagnosis(
            code: code, identity: facts.identity, scope: scope,
            finding: "Azure Policy denied the request for \(resource): policy assignment '\(assignment)'",
            reason: reason, fix: exemption + "   # or change the request to comply with " + comply + show)
        diagnosis.missingEvidence = denial.assignmentID == nil ? ["the policy assignment that denied it: the error's additionalInfo (PolicyViolation) or the Activity Log event"] : []
        return diagnosis
    }

    /// The message up to its first ". " (a policy message goes on with the identifiers as JSON).
    static func firstSentence(_ message: String) -> String {
        guard let end = message.range(of: ". ") else { return message }
        return String(message[..<end.lowerBound]) + "."
    }
}
