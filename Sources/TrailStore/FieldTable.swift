/// Which record fields are typed columns, and in which table (migration 0007).
///
/// Every field a view or named query reads is a column: of `log_line_fields` for Batch agent log lines, of
/// `record_fields` for every other record. Interned columns (`_ref`) hold an id into `names`. A field that is
/// not listed stays in the record's remainder `fields` JSON.
public enum FieldTable: Int, Sendable, CaseIterable {
    case record
    case logLine

    /// The table of a record of this kind.
    public static func of(kind: String) -> FieldTable {
        kind == "azure:batch:agent-log-line" ? .logLine : .record
    }

    public var tableName: String {
        switch self {
        case .record: return "record_fields"
        case .logLine: return "log_line_fields"
        }
    }

    /// One typed column: the field it holds, its name, and whether it holds a `names` id.
    public struct Column: Sendable {
        public let field: String
        public let column: String
        public let interned: Bool
    }

    /// The typed columns, in table order (after the leading record_id, source_id, [kind_id,] line, time_ms).
    public var columns: [Column] {
        switch self {
        case .record: return Self.recordColumns
        case .logLine: return Self.logLineColumns
        }
    }

    /// Column position by field name.
    public func position(ofField name: String) -> Int? {
        switch self {
        case .record: return Self.recordPositions[name]
        case .logLine: return Self.logLinePositions[name]
        }
    }

    static let recordPositions = positions(recordColumns)
    static let logLinePositions = positions(logLineColumns)

    static func positions(_ columns: [Column]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($0.element.field, $0.offset) })
    }

    static let recordColumns: [Column] = [
        Column(field: "status", column: "status", interned: false),
        Column(field: "errorCode", column: "error_code", interned: false),
        Column(field: "statusText", column: "status_text", interned: false),
        Column(field: "statusCode", column: "status_code", interned: false),
        Column(field: "transportError", column: "transport_error", interned: false),
        Column(field: "noAnswer", column: "no_answer", interned: false),
        Column(field: "state", column: "state", interned: false),
        Column(field: "startTaskFailureCode", column: "start_task_failure_code", interned: false),
        Column(field: "startTaskFailureMessage", column: "start_task_failure_message", interned: false),
        Column(field: "errorMessage", column: "error_message", interned: false),
        Column(field: "failureReason", column: "failure_reason", interned: false),
        Column(field: "authenticationErrorDetail", column: "authentication_error_detail", interned: false),
        Column(field: "errorCodes", column: "error_codes", interned: false),
        Column(field: "errorCategory", column: "error_category", interned: false),
        Column(field: "result", column: "result", interned: false),
        Column(field: "operationStatus", column: "operation_status", interned: false),
        Column(field: "operationName", column: "operation_name", interned: false),
        Column(field: "eventPhase", column: "event_phase", interned: false),
        Column(field: "node", column: "node_ref", interned: true),
        Column(field: "pool", column: "pool_ref", interned: true),
        Column(field: "account", column: "account_ref", interned: true),
        Column(field: "job", column: "job", interned: false),
        Column(field: "task", column: "task", interned: false),
        Column(field: "principalId", column: "principal_id_ref", interned: true),
        Column(field: "clientId", column: "client_id_ref", interned: true),
        Column(field: "identityResourceId", column: "identity_resource_id_ref", interned: true),
        Column(field: "tenantId", column: "tenant_id_ref", interned: true),
        Column(field: "tokenOid", column: "token_oid_ref", interned: true),
        Column(field: "tokenAppId", column: "token_app_id_ref", interned: true),
        Column(field: "tokenMiResourceId", column: "token_mi_resource_id_ref", interned: true),
        Column(field: "tokenTenantId", column: "token_tenant_id_ref", interned: true),
        Column(field: "tokenAudience", column: "token_audience_ref", interned: true),
        Column(field: "tokenExpiresAt", column: "token_expires_at", interned: false),
        Column(field: "tokenFingerprint", column: "token_fingerprint", interned: false),
        Column(field: "callerObjectId", column: "caller_object_id_ref", interned: true),
        Column(field: "callerAppId", column: "caller_app_id_ref", interned: true),
        Column(field: "caller", column: "caller", interned: false),
        Column(field: "scope", column: "scope_ref", interned: true),
        Column(field: "targetResource", column: "target_resource_ref", interned: true),
        Column(field: "resource", column: "resource_ref", interned: true),
        Column(field: "resourceId", column: "resource_id_ref", interned: true),
        Column(field: "resourceDisplayName", column: "resource_display_name", interned: false),
        Column(field: "action", column: "action", interned: false),
        Column(field: "url", column: "url", interned: false),
        Column(field: "storageAccount", column: "storage_account", interned: false),
        Column(field: "storageContainerUrl", column: "storage_container_url", interned: false),
        Column(field: "container", column: "container", interned: false),
        Column(field: "autoStorageContainerName", column: "auto_storage_container_name", interned: false),
        Column(field: "metadataHeader", column: "metadata_header", interned: false),
        Column(field: "continuesLine", column: "continues_line", interned: false),
        Column(field: "durationMs", column: "duration_ms", interned: false),
        Column(field: "marker", column: "marker", interned: false),
        Column(field: "messageAt", column: "message_at", interned: false),
        Column(field: "id", column: "id", interned: false),
        Column(field: "name", column: "name", interned: false),
        Column(field: "principalType", column: "principal_type", interned: false),
        Column(field: "principalName", column: "principal_name", interned: false),
        Column(field: "roleDefinitionGuid", column: "role_definition_guid", interned: false),
        Column(field: "roleDefinitionId", column: "role_definition_id", interned: false),
        Column(field: "roleDefinitionName", column: "role_definition_name", interned: false),
        Column(field: "condition", column: "condition", interned: false),
        Column(field: "createdOn", column: "created_on", interned: false),
        Column(field: "updatedOn", column: "updated_on", interned: false),
        Column(field: "createdBy", column: "created_by", interned: false),
        Column(field: "roleAssignmentName", column: "role_assignment_name", interned: false),
        Column(field: "roleAssignmentId", column: "role_assignment_id", interned: false),
        Column(field: "accountResourceId", column: "account_resource_id", interned: false),
        Column(field: "poolResourceId", column: "pool_resource_id", interned: false),
        Column(field: "identityType", column: "identity_type", interned: false),
        Column(field: "userAssignedIdentities", column: "user_assigned_identities", interned: false),
        Column(field: "autoStorageAccountId", column: "auto_storage_account_id_ref", interned: true),
        Column(field: "autoStorageAuthenticationMode", column: "auto_storage_authentication_mode", interned: false),
        Column(field: "nodeIdentityReference", column: "node_identity_reference_ref", interned: true),
        Column(field: "poolAllocationMode", column: "pool_allocation_mode", interned: false),
        Column(field: "keyVaultId", column: "key_vault_id", interned: false),
        Column(field: "keyVaultUrl", column: "key_vault_url", interned: false),
        Column(field: "applicationPackages", column: "application_packages", interned: false),
        Column(field: "resourceFileIdentities", column: "resource_file_identities", interned: false),
    ]

    static let logLineColumns: [Column] = [
        Column(field: "level", column: "level", interned: false),
        Column(field: "messageAt", column: "message_at", interned: false),
        Column(field: "marker", column: "marker", interned: false),
        Column(field: "health", column: "health", interned: false),
        Column(field: "node", column: "node_ref", interned: true),
        Column(field: "pool", column: "pool_ref", interned: true),
    ]
}
