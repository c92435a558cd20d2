import TrailModel

/// Secondary finding: the identity does hold roles at the scope, but only control-plane ones (Owner,
/// Contributor, Reader, Storage Account Contributor...), which grant no data action: the most common
/// confusion behind a storage 403.
struct ControlPlaneRoleOnlyRule: ContributingRule {
    let code = DiagnosisCode.controlPlaneRoleOnly

    func applies(to diagnosis: Diagnosis, facts: FailureFacts) -> Bool {
        // Only where the permission was missing: beside a grant that had not applied yet, it explains nothing.
        guard diagnosis.missingRole != nil, facts.permission?.action.isDataAction == true, let check = facts.check else { return false }
        return !check.controlPlaneOnly.isEmpty
    }
}
