import TrailModel

/// The portal's package upload returns a nested 409 `AutoStorageNoPermission`: the Batch account's own
/// identity has no data role on its autostorage account.
struct AutostorageAccountIdentityLacksRoleRule: DiagnosisRule {
    let code = DiagnosisCode.autostorageAccountIdentityLacksRole
    let resolution = ResolutionStrategy.grantingRoleAssignment

    func diagnose(_ facts: FailureFacts, in context: ExplainContext) -> Diagnosis? {
        guard facts.failure.code == "AutoStorageNoPermission", let account = facts.account, let permission = facts.permission else { return nil }
        // The service's own answer is evidence of the missing permission; the role assignments say which roles are there.
        if facts.check?.verdict.verdict == .granted { return nil }
        var diagnosis = Diagnosis(
            code: code, identity: facts.identity, scope: facts.scope, missingRole: permission.leastPrivilegeRole,
            missingAction: permission.action.name,
            finding: "Batch account \(account.name)'s identity cannot write application packages to its autostorage \(storageName(facts.scope))",
            reason: "Autostorage of \(account.name) authenticates with \(account.autoStorageMode ?? "the account's managed identity"); uploading a "
                + "package needs \(permission.action.name) for \(identityName(facts, account)) "
                + "(principal \(facts.identity.principalID ?? "not in the evidence")), and the service answered AutoStorageNoPermission."
                + facts.rolesSentence,
            fix: FixCommands.assignRole(principal: facts.identity.principalID, role: permission.leastPrivilegeRole, scope: facts.scope))
        diagnosis.supporting = [account.evidence]
        if facts.check == nil || facts.check?.verdict.verdict == .unknown {
            diagnosis.missingEvidence = facts.check?.verdict.missingEvidence
                ?? ["a role assignment list covering \(facts.scope ?? "the autostorage account")"]
        }
        return diagnosis
    }

    /// "batchfixture's system-assigned identity", or the user-assigned identity's name.
    func identityName(_ facts: FailureFacts, _ account: AccountConfiguration) -> String {
        if let resourceID = facts.identity.resourceID, let accountID = account.resourceID, ARMScope(resourceID) == ARMScope(accountID) {
            return "\(account.name)'s system-assigned identity"
        }
        return "the account's identity \(facts.identity.displayName)"
    }
}
