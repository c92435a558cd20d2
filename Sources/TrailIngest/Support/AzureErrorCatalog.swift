import TrailModel

/// The Azure error codes and messages that mark a failure mitrail can explain, wherever they are
/// quoted: IMDS and the other managed identity endpoints, Entra ID (`AADSTS` codes), ARM and RBAC,
/// Azure Policy, Storage, Batch and Key Vault. Codes are matched as whole words, messages as the
/// documented wording (case-insensitive). Data, not code branches: add a row to recognise a new error.
enum AzureErrorCatalog {
    /// Which service answers with the code, which decides the record kind of text that quotes it.
    enum Service: String {
        case imds, managedIdentityEndpoint = "managed-identity-endpoint", entra, arm, policy, storage, batch, keyVault = "key-vault"

        var kind: RecordKind {
            switch self {
            case .imds, .managedIdentityEndpoint, .entra: return .imdsTokenResponse
            case .arm, .policy, .keyVault: return .armError
            case .storage: return .storageError
            case .batch: return .batchError
            }
        }
    }

    /// How much a code says on its own: a specific code is the cause; a generic one (`invalid_request`,
    /// `Forbidden`) needs its message; a wrapper (`DeploymentFailed`) carries the cause inside it.
    enum Weight: Int, Comparable {
        case wrapper = 0, generic = 1, specific = 2
        static func < (lhs: Weight, rhs: Weight) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// One error code and what is documented of it.
    struct Entry {
        let code: String
        let service: Service
        let weight: Weight
        /// The documented HTTP status of the error, when it has one.
        let status: Int?
        /// The record kind when it is not the service's (a Batch task failure code is a task failure).
        let kindOverride: RecordKind?

        init(_ code: String, _ service: Service, _ weight: Weight = .specific, status: Int? = nil, kind: RecordKind? = nil) {
            self.code = code
            self.service = service
            self.weight = weight
            self.status = status
            self.kindOverride = kind
        }

        var kind: RecordKind { kindOverride ?? service.kind }
    }

    /// A documented wording and the error it is the message of (with the status it comes with, when
    /// the code's own status differs: IMDS throttling is `invalid_request` with 429).
    struct Message {
        let text: String
        let code: String
        let status: Int?

        init(_ text: String, _ code: String, status: Int? = nil) {
            self.text = text
            self.code = code
            self.status = status
        }
    }

    static let entries: [Entry] = identity + resourceManager + storage + batch

    /// IMDS (its error table), the App Service, Cloud Shell and Service Fabric endpoints.
    static let identity: [Entry] = [
        Entry("invalid_request", .imds, .generic, status: 400),
        Entry("bad_request_102", .imds, status: 400),
        Entry("invalid_resource", .imds, status: 400),
        Entry("unknown_source", .imds, status: 401),
        Entry("unauthorized_client", .imds, .generic),
        Entry("invalid_scope", .imds, .generic),
        Entry("AudienceNotSupported", .managedIdentityEndpoint, status: 400),
        Entry("SecretHeaderNotFound", .managedIdentityEndpoint, status: 401),
        Entry("ManagedIdentityNotFound", .managedIdentityEndpoint, status: 404),
        Entry("ArgumentNullOrEmpty", .managedIdentityEndpoint, .generic, status: 400),
        Entry("managed_identity_request_failed", .managedIdentityEndpoint, .generic),
    ]

    static let resourceManager: [Entry] = [
        Entry("AuthorizationFailed", .arm, status: 403),
        Entry("LinkedAuthorizationFailed", .arm, status: 403),
        Entry("InvalidAuthenticationToken", .arm, status: 401),
        Entry("InvalidAuthenticationTokenAudience", .arm, status: 401),
        Entry("InvalidAuthenticationTokenTenant", .arm, status: 401),
        Entry("ExpiredAuthenticationToken", .arm, status: 401),
        Entry("PrincipalNotFound", .arm, status: 400),
        Entry("RoleAssignmentUpdateNotPermitted", .arm, status: 409),
        Entry("RoleAssignmentExists", .arm, status: 409),
        Entry("RoleAssignmentLimitExceeded", .arm),
        Entry("RoleDefinitionDoesNotExist", .arm),
        Entry("InvalidRoleAssignmentId", .arm),
        Entry("MissingSubscriptionRegistration", .arm),
        Entry("RequestDisallowedByPolicy", .policy, status: 403),
        Entry("DeploymentFailed", .arm, .wrapper),
        Entry("BadRequest", .arm, .wrapper),
        Entry("Forbidden", .keyVault, .generic, status: 403),
        Entry("ForbiddenByRbac", .keyVault, status: 403),
        Entry("KeyVaultNotFound", .keyVault),
        Entry("KeyVaultAccessForbidden", .keyVault),
    ]

    /// Storage's error codes (Storage also sends an error's message as the HTTP reason phrase).
    static let storage: [Entry] = [
        Entry("AuthorizationPermissionMismatch", .storage, status: 403),
        Entry("AuthorizationFailure", .storage, status: 403),
        Entry("AuthorizationServiceMismatch", .storage, status: 403),
        Entry("AuthorizationResourceTypeMismatch", .storage, status: 403),
        Entry("AuthorizationSourceIPMismatch", .storage, status: 403),
        Entry("AuthorizationProtocolMismatch", .storage, status: 403),
        Entry("KeyBasedAuthenticationNotPermitted", .storage, status: 403),
        Entry("InvalidAuthenticationInfo", .storage, status: 401),
        Entry("NoAuthenticationInformation", .storage, status: 401),
        Entry("AuthenticationFailed", .storage, .generic, status: 403),
        Entry("ContainerNotFound", .storage, .generic, status: 404),
    ]

    /// Batch account errors and the task failure codes (a task failure reported anywhere is a task failure).
    static let batch: [Entry] = [
        Entry("AutoStorageNoPermission", .batch, status: 409),
        Entry("ApplicationPackageError", .batch),
        Entry("ResourceContainerAccessDenied", .batch, kind: .batchTask),
        Entry("ResourceContainerListMiscError", .batch, kind: .batchTask),
        Entry("BlobAccessDenied", .batch, kind: .batchTask),
        Entry("BlobDownloadMiscError", .batch, .generic, kind: .batchTask),
        Entry("FileUploadAccessDenied", .batch, kind: .batchTask),
        Entry("FileUploadContainerNotFound", .batch, kind: .batchTask),
        Entry("FileUploadMiscError", .batch, .generic, kind: .batchTask),
        Entry("ContainerInvalidImage", .batch, kind: .batchTask),
    ]

    /// Documented wordings (error tables, service messages) and their codes.
    static let messages: [Message] = [
        Message("Identity not found", "invalid_request"),
        Message("Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request",
                "invalid_request"),
        Message("Temporarily throttled, too many requests", "invalid_request", status: 429),
        Message("Required metadata header not specified", "bad_request_102"),
        Message("is not a supported MSI token audience", "AudienceNotSupported"),
        Message("Secret is not found in the request headers", "SecretHeaderNotFound"),
        Message("does not have authorization to perform action", "AuthorizationFailed"),
        Message("does not have authorization or an ABAC condition not fulfilled to perform action", "AuthorizationFailed"),
        Message("does not have permission to perform action(s)", "LinkedAuthorizationFailed"),
        Message("The access token has been obtained for wrong audience or resource", "InvalidAuthenticationTokenAudience"),
        Message("does not exist in the directory", "PrincipalNotFound"),
        Message("Tenant ID, application ID, principal ID, and scope are not allowed to be updated", "RoleAssignmentUpdateNotPermitted"),
        Message("The role assignment already exists", "RoleAssignmentExists"),
        Message("was disallowed by policy", "RequestDisallowedByPolicy"),
        Message("does not have secrets get permission on key vault", "Forbidden"),
        Message("This request is not authorized to perform this operation using this permission", "AuthorizationPermissionMismatch"),
        Message("This request is not authorized to perform this operation", "AuthorizationFailure"),
        Message("Key based authentication is not permitted on this storage account", "KeyBasedAuthenticationNotPermitted"),
        Message("Server failed to authenticate the request. Please refer to the information in the www-authenticate header",
                "InvalidAuthenticationInfo"),
        Message("Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature",
                "AuthenticationFailed"),
        Message("The specified container does not exist", "ContainerNotFound"),
        Message("Access for one of the specified Azure Blob container(s) is denied", "ResourceContainerAccessDenied"),
        Message("Miscellaneous error encountered while listing one of the specified Azure Blob container(s)", "ResourceContainerListMiscError"),
        Message("Access for one of the specified Azure Blob(s) is denied", "BlobAccessDenied"),
    ]

    /// The entry of a code, or of an `AADSTS` code (Entra ID's, as token endpoints relay them).
    static func entry(forCode code: String) -> Entry? {
        if let entry = byCode[code] { return entry }
        return isEntraCode(code) ? Entry(code, .entra) : nil
    }

    static let byCode: [String: Entry] = Dictionary(entries.map { ($0.code, $0) }) { first, _ in first }

    /// `AADSTS` followed by digits: `AADSTS500011`, `AADSTS7000215`.
    static func isEntraCode(_ word: Substring) -> Bool {
        word.hasPrefix("AADSTS") && word.count > 6 && word.dropFirst(6).allSatisfy { $0.isASCII && $0.isNumber }
    }

    static func isEntraCode(_ word: String) -> Bool { isEntraCode(Substring(word)) }

    /// The documented wordings, lower-cased, longest first: the permission mismatch is found before
    /// the shorter authorization failure it starts with.
    static let lowercasedMessages: [(text: String, message: Message)] = messages
        .map { ($0.text.lowercased(), $0) }
        .sorted { $0.0.count > $1.0.count }
}
