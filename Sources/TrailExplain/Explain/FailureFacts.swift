import TrailModel

/// What the evidence says around one failure: the configuration in force, the identity that needed a
/// permission, where, which permission, and what the role assignments say about it.
struct FailureFacts: Sendable {
    let failure: Failure
    var account: AccountConfiguration?
    var pool: PoolConfiguration?
    /// The user-assigned identity (resource ID) that needed the permission, when it is one.
    var identityResourceID: String?
    var identity = IdentityReference()
    /// True when the failure is about reaching the Batch account's autostorage (packages, autostorage containers, node join).
    var usesAutoStorage = false
    var scope: String?
    var permission: RequiredPermission?
    var check: RoleCheck?
    /// Evidence that is missing to go further.
    var needs: [String] = []

    var time: Timestamp? { failure.time }

    static func make(_ failure: Failure, context: ExplainContext) -> FailureFacts {
        var facts = FailureFacts(failure: failure)
        if failure.isBatchNodeFailure {
            facts.collectBatch(context)
        } else if failure.code == "AutoStorageNoPermission" {
            facts.collectAutoStorageUpload(context)
        } else if Self.storagePermissionCodes.contains(failure.code ?? "") || (failure.kind.hasPrefix("azure:storage:") && failure.status == 403) {
            facts.collectStorage(context)
        } else if failure.code == "AuthorizationFailed" || failure.code == "LinkedAuthorizationFailed" {
            facts.collectARM(context)
        }
        facts.evaluate(context)
        return facts
    }

    static let storagePermissionCodes: Set<String> = ["AuthorizationPermissionMismatch", "AuthorizationFailure"]

    mutating func collectBatch(_ context: ExplainContext) {
        pool = context.configuration.pool(named: failure.pool, account: failure.account, at: time)
        account = context.configuration.account(named: failure.account ?? pool?.account, at: time)
        if failure.kind == "azure:batch:task", failure.autoStorageContainer == nil, let task = failure.identityResourceID {
            // Resource files from a container named by URL, with an identity reference of the task's own.
            identityResourceID = task
            permission = context.permission("resource-files-from-container")
        } else {
            usesAutoStorage = true
            identityResourceID = account?.nodeIdentityReference
            permission = context.permission(failure.kind == "azure:batch:task" ? "resource-files-from-container" : "application-package-download")
        }
        scope = context.storageScope(for: failure, autoStorageAccountID: account?.autoStorageAccountID)
        if account == nil {
            needs.append("the Batch account's configuration (az batch account show -n ACCOUNT -g GROUP -o json)")
        }
        if pool == nil {
            needs.append("the pool's configuration (az batch pool show --pool-id \(failure.pool ?? "POOL") -o json)")
        }
        if let identityResourceID { identity = context.reference(forIdentity: identityResourceID, at: time) }
    }

    mutating func collectAutoStorageUpload(_ context: ExplainContext) {
        account = context.configuration.account(named: failure.account, at: time)
        permission = context.permission("autostorage-package-upload")
        guard let account else {
            needs.append("the Batch account's configuration (az batch account show -n ACCOUNT -g GROUP -o json)")
            return
        }
        scope = account.autoStorageAccountID
        if let principal = account.systemPrincipalID {
            identity = IdentityReference(resourceID: account.resourceID, principalID: principal)
        } else if let entry = account.userAssignedIdentities.first {
            identityResourceID = entry.resourceID
            identity = context.reference(forIdentity: entry.resourceID, at: time)
        }
    }

    mutating func collectStorage(_ context: ExplainContext) {
        identity = context.reference(for: failure)
        identityResourceID = identity.resourceID
        permission = context.permission(failure.isStorageWrite ? "blob-write" : "blob-read")
        scope = context.storageScope(for: failure, autoStorageAccountID: nil)
        if identity.principalID == nil {
            needs.append("which identity made the request: StorageBlobLogs (RequesterObjectId) or the token's claims")
        }
        if scope == nil {
            needs.append("which storage account and container: the request URL or StorageBlobLogs")
        }
        // A node identity reading its pool's autostorage is the Batch case.
        if let resourceID = identity.resourceID,
           let account = context.configuration.accounts.last(where: { $0.nodeIdentityReference.map { ARMScope($0) == ARMScope(resourceID) } ?? false }),
           let autoStorage = account.autoStorageAccountID, let scope, ARMScope(autoStorage).contains(ARMScope(scope)) {
            self.account = account
            usesAutoStorage = true
        }
    }

    mutating func collectARM(_ context: ExplainContext) {
        identity = context.reference(for: failure)
        identityResourceID = identity.resourceID
        scope = failure.scope
        if let action = failure.action {
            let role = context.catalog.leastPrivilegedRole(granting: RequiredAction(action, isDataAction: false))
            permission = RequiredPermission(operation: "arm-operation", action: RequiredAction(action, isDataAction: false),
                                            leastPrivilegeRole: role?.name ?? "a role with \(action)")
        }
    }

    /// Asks the role assignments, once, when the identity, permission and scope are known.
    mutating func evaluate(_ context: ExplainContext) {
        guard let principal = identity.principalID, let permission, let scope else { return }
        check = context.roleCheck(principal: principal, action: permission.action, scope: scope, at: time)
    }

    /// A sentence on the identity's roles at the scope, for reasons.
    var rolesSentence: String {
        guard let check else { return "" }
        let own = check.controlPlaneOnly.compactMap(\.roleName)
        return own.isEmpty ? " It holds no role at that scope that grants it." : " It holds only \(own.joined(separator: ", ")) there: control-plane roles, which grant no data access."
    }
}
