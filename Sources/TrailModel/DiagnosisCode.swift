/// The stable codes of the diagnosis catalog (DESIGN.md), used in JSON output.
/// New codes may be added; existing ones keep their meaning.
public enum DiagnosisCode: String, CaseIterable, Sendable, Comparable {
    case autostorageAccountIdentityLacksRole = "autostorage-account-identity-lacks-role"
    case nodeIdentityReferenceMissing = "node-identity-reference-missing"
    case nodeIdentityNotInPool = "node-identity-not-in-pool"
    case nodeIdentityLacksStorageRole = "node-identity-lacks-storage-role"
    case storageDataRoleMissing = "storage-data-role-missing"
    case controlPlaneRoleOnly = "control-plane-role-only"
    case roleAssignedToOtherPrincipal = "role-assigned-to-other-principal"
    case rbacPropagationDelay = "rbac-propagation-delay"
    case imdsIdentityAmbiguous = "imds-identity-ambiguous"
    case imdsIdentityNotFound = "imds-identity-not-found"
    case imdsMetadataHeaderMissing = "imds-metadata-header-missing"
    case imdsInvalidResource = "imds-invalid-resource"
    case imdsThrottled = "imds-throttled"
    case imdsTransient = "imds-transient"
    case tokenAudienceMismatch = "token-audience-mismatch"
    case tokenExpired = "token-expired"
    case armAuthorizationFailed = "arm-authorization-failed"
    case keyvaultAccessMissing = "keyvault-access-missing"
    case armPolicyDenied = "arm-policy-denied"
    case unexplained

    public static func < (lhs: DiagnosisCode, rhs: DiagnosisCode) -> Bool { lhs.rawValue < rhs.rawValue }
}
