import TrailModel

/// `.keyVaultGrantThenSuccess`: Batch could not use the account's Key Vault until it was granted access there.
/// The episode ends at the grant for the Azure Batch service principal made after the last failure, a role
/// assignment on the vault (or above) whose role can write secrets, or an access policy write on the vault,
/// once an operation of the account succeeds after it (the account's create or update in the Activity Log, an
/// ARM request to the account that succeeded, or an account snapshot that uses the vault). Without that later
/// success the grant is not known to be the one Batch needed, and the episode stays ongoing.
enum KeyVaultGrantThenSuccess {
    static let accessPolicyWrite = "microsoft.keyvault/vaults/accesspolicies/write"
    static let secretsAction = RequiredAction("Microsoft.KeyVault/vaults/secrets/setSecret/action", isDataAction: true)
    static let batchServiceNames: Set<String> = [KeyvaultAccessMissingRule.batchServiceAppID, "microsoft azure batch"]

    static func find(for diagnosis: Diagnosis, failure: Failure, after time: Timestamp, in context: ExplainContext) -> Resolution? {
        let vaultID = diagnosis.scope
        guard let vaultName = vaultID.flatMap(lastSegment) ?? KeyvaultAccessMissingRule.vaultName(in: failure.message) else { return nil }
        guard let grant = firstGrant(after: time, vaultID: vaultID, vaultName: vaultName, context: context), let granted = grant.at,
              let success = laterSuccess(after: granted, failure: failure, vaultName: vaultName, context: context) else { return nil }
        return Resolution(at: granted, by: grant.by + "; then \(success.by)", evidence: grant.evidence)
    }

    /// The earliest grant after `time`: a role assignment for the Batch service principal or an access policy write.
    static func firstGrant(after time: Timestamp, vaultID: String?, vaultName: String, context: ExplainContext) -> Resolution? {
        var best: Resolution?
        func consider(_ candidate: Resolution) {
            guard let at = candidate.at, at > time else { return }
            if best?.at.map({ at < $0 }) ?? true { best = candidate }
        }
        for assignment in context.history.assignments where isForBatch(assignment) {
            guard let scope = assignment.scope, coversVault(scope, id: vaultID, name: vaultName, context: context),
                  context.catalog.role(guid: assignment.roleGUID, name: assignment.roleName)?.permissions.grants(secretsAction) == true else { continue }
            for interval in assignment.intervals {
                let grant = GrantingAssignment.Grant(knownFrom: interval.knownFrom, assignment: assignment, interval: interval)
                consider(Resolution(at: grant.knownFrom, by: GrantingAssignment.describe(grant, scope: scope.original, context: context)
                                        + granted(to: assignment),
                                    evidence: interval.startEvidence ?? assignment.evidence.first))
            }
        }
        if let write = context.successfulOperations.first(after: time, where: { operation in
            operation.isOperation(accessPolicyWrite) && operation.targets(id: vaultID, name: vaultName)
        }) {
            consider(Resolution(at: write.time, by: "an access policy write on Key Vault \(vaultName) in the Activity Log" + (write.caller.map { " by \($0)" } ?? ""),
                                evidence: write.evidence))
        }
        return best
    }

    /// ", for ddbf3205-... (Microsoft Azure Batch)", or the principal ID when the evidence does not name it.
    static func granted(to assignment: RoleAssignmentHistory.Assignment) -> String {
        guard let name = assignment.principalName, !name.isEmpty else { return ", for principal \(assignment.principalID ?? "?")" }
        return ", for \(name)" + (name.lowercased() == KeyvaultAccessMissingRule.batchServiceAppID ? " (Microsoft Azure Batch)" : "")
    }

    /// An assignment for the Azure Batch service principal: named by its application ID or display name, or
    /// (an Activity Log write names only the object ID) a service principal the evidence does not name.
    static func isForBatch(_ assignment: RoleAssignmentHistory.Assignment) -> Bool {
        if let name = assignment.principalName?.lowercased(), !name.isEmpty { return batchServiceNames.contains(name) }
        return assignment.principalType.map { $0.lowercased() == "serviceprincipal" } ?? true
    }

    /// The assignment's scope is the vault (by ID, or by name when the vault's ID is not in the evidence) or above it.
    static func coversVault(_ scope: ARMScope, id: String?, name: String, context: ExplainContext) -> Bool {
        if let id { return scope.contains(context.scopes.scope(id)) }
        return scope.lastSegment?.lowercased() == name.lowercased() && scope.original.lowercased().contains("/microsoft.keyvault/vaults/")
    }

    /// The first operation of the account after the grant that succeeded, or a snapshot of an account using the vault.
    static func laterSuccess(after time: Timestamp, failure: Failure, vaultName: String, context: ExplainContext) -> Resolution? {
        let account = failure.account
        let operation = context.successfulOperations.first(after: time) { operation in
            let isAccount = operation.isOperation(ConfigurationChangeResolution.accountWrite)
                || (operation.kind == "azure:arm:request" && (operation.targetResource ?? "").lowercased().contains("/microsoft.batch/batchaccounts/"))
            return isAccount && (account == nil || operation.targets(id: nil, name: account))
        }
        let snapshot = context.configuration.accounts.first { snapshot in
            (snapshot.observedAt.map { $0 > time } ?? false) && snapshot.keyVaultID.flatMap(lastSegment)?.lowercased() == vaultName.lowercased()
        }
        let operationFirst = operation.map { operation in
            guard let seen = snapshot?.observedAt else { return true }
            return operation.time.map { $0 <= seen } ?? false
        } ?? false
        if let operation, operationFirst {
            return Resolution(at: operation.time, by: "\(operation.operationName ?? operation.method ?? "a request") on the Batch account succeeded at "
                                  + (operation.time?.iso8601 ?? "?"), evidence: operation.evidence)
        }
        guard let snapshot else { return nil }
        return Resolution(at: snapshot.observedAt, by: "Batch account \(snapshot.name) uses the vault (seen in a snapshot at \(snapshot.observedAt?.iso8601 ?? "?"))",
                          evidence: snapshot.evidence)
    }
}
