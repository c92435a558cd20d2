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
        } else if failure.isTokenRequestFailure {
            facts.collectTokenRequest(context)
        } else {
            // Token failures, policy denials, Key Vault and other errors: the identity the record names, completed
            // through every sighting of it.
            facts.identity = context.reference(for: failure)
            facts.identityResourceID = facts.identity.resourceID
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
           let account = context.configuration.accounts.last(where: { account in
               account.nodeIdentityReference.map { context.scopes.scope($0) == context.scopes.scope(resourceID) } ?? false
           }),
           let autoStorage = account.autoStorageAccountID, let scope, context.scopes.scope(autoStorage).contains(context.scopes.scope(scope)) {
            self.account = account
            usesAutoStorage = true
            // The pool whose nodes use it, when only one pool in force has it.
            let pools = Set(context.configuration.pools.map { $0.name.lowercased() }).compactMap { name in
                context.configuration.pool(named: name, account: account.name, at: time)
            }.filter { $0.hasIdentity(resourceID) }
            if pools.count == 1 { pool = pools[0] }
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

    /// A token request (IMDS, a client's log of one): the identity it named, completed through every sighting; a
    /// request that names none, on a pool with exactly one user-assigned identity, asked for that one (inferred).
    mutating func collectTokenRequest(_ context: ExplainContext) {
        if failure.clientID != nil || failure.principalID != nil || failure.identityResourceID != nil {
            identity = context.reference(for: failure)
        } else if let pool = context.configuration.pool(named: failure.pool, account: failure.account, at: time), pool.identities.count == 1 {
            self.pool = pool
            identity = context.reference(forIdentity: pool.identities[0].resourceID, at: time)
            identity.inferredFrom = "the request named no identity, and it is the only user-assigned identity of pool \(pool.name)"
        }
        identityResourceID = identity.resourceID
    }

    /// Asks the role assignments, once, when the identity, permission and scope are known.
    mutating func evaluate(_ context: ExplainContext) {
        guard let principal = identity.principalID, let permission, let scope else { return }
        check = context.roleCheck(principal: principal, action: permission.action, scope: scope, at: time)
    }

    /// The scope a diagnosis names and its fix grants at: the autostorage account for the Batch autostorage
    /// cases (packages and autostorage containers are all in it, and the seed's permissions are "in the
    /// autostorage account"), else the scope the permission was needed at.
    var diagnosisScope: String? {
        usesAutoStorage ? account?.autoStorageAccountID ?? scope : scope
    }

    /// A sentence on the identity's roles at the scope, for reasons: only when the role assignments say
    /// `not-granted` (with `unknown` the evidence cannot tell what it held).
    var rolesSentence: String {
        guard let check, check.verdict.verdict == .notGranted, let permission else { return "" }
        let held = check.heldRoles
        var sentence: String
        if held.isEmpty {
            sentence = " It holds no role at that scope or above."
        } else if permission.action.isDataAction, Set(held) == Set(check.controlPlaneOnly.compactMap(\.roleName)) {
            sentence = " It holds only \(held.joined(separator: ", ")) there: control-plane roles, which grant no data access."
        } else {
            sentence = " The roles it holds there (\(held.joined(separator: ", "))) do not include it."
        }
        for (role, ended, by) in check.endedGrants {
            sentence += " Its \(role) assignment there, which would grant it, was removed at \(ended)\(by.map { " by \($0)" } ?? "")."
        }
        return sentence + check.notMemberGroupsSentence
    }
}
