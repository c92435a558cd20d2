/// Which record fields are typed columns, and in which table (migration 0010).
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

    /// One typed column: the field it holds, its name, whether it holds a `names` id, and its SQL type.
    public struct Column: Sendable {
        public let field: String
        public let column: String
        public let interned: Bool
        /// `.integer` for counts, flags and statuses (and every `_ref`), `.text` for the rest.
        public let type: ColumnType
    }

    public enum ColumnType: Sendable {
        case integer
        case text
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
        Column(field: "status", column: "status", interned: false, type: .integer),
        Column(field: "errorCode", column: "error_code", interned: false, type: .text),
        Column(field: "statusText", column: "status_text", interned: false, type: .text),
        Column(field: "statusCode", column: "status_code", interned: false, type: .text),
        Column(field: "transportError", column: "transport_error", interned: false, type: .text),
        Column(field: "noAnswer", column: "no_answer", interned: false, type: .integer),
        Column(field: "state", column: "state", interned: false, type: .text),
        Column(field: "startTaskFailureCode", column: "start_task_failure_code", interned: false, type: .text),
        Column(field: "startTaskFailureMessage", column: "start_task_failure_message", interned: false, type: .text),
        Column(field: "errorMessage", column: "error_message", interned: false, type: .text),
        Column(field: "failureReason", column: "failure_reason", interned: false, type: .text),
        Column(field: "authenticationErrorDetail", column: "authentication_error_detail", interned: false, type: .text),
        Column(field: "errorCodes", column: "error_codes", interned: false, type: .text),
        Column(field: "errorCategory", column: "error_category", interned: false, type: .text),
        Column(field: "result", column: "result", interned: false, type: .text),
        Column(field: "operationStatus", column: "operation_status", interned: false, type: .text),
        Column(field: "operationName", column: "operation_name", interned: false, type: .text),
        Column(field: "eventPhase", column: "event_phase", interned: false, type: .text),
        Column(field: "node", column: "node_ref", interned: true, type: .integer),
        Column(field: "pool", column: "pool_ref", interned: true, type: .integer),
        Column(field: "account", column: "account_ref", interned: true, type: .integer),
        Column(field: "job", column: "job", interned: false, type: .text),
        Column(field: "task", column: "task", interned: false, type: .text),
        Column(field: "principalId", column: "principal_id_ref", interned: true, type: .integer),
        Column(field: "clientId", column: "client_id_ref", interned: true, type: .integer),
        Column(field: "identityResourceId", column: "identity_resource_id_ref", interned: true, type: .integer),
        Column(field: "tenantId", column: "tenant_id_ref", interned: true, type: .integer),
        Column(field: "tokenOid", column: "token_oid_ref", interned: true, type: .integer),
        Column(field: "tokenAppId", column: "token_app_id_ref", interned: true, type: .integer),
        Column(field: "tokenMiResourceId", column: "token_mi_resource_id_ref", interned: true, type: .integer),
        Column(field: "tokenTenantId", column: "token_tenant_id_ref", interned: true, type: .integer),
        Column(field: "tokenAudience", column: "token_audience_ref", interned: true, type: .integer),
        Column(field: "tokenExpiresAt", column: "token_expires_at", interned: false, type: .text),
        Column(field: "tokenFingerprint", column: "token_fingerprint", interned: false, type: .text),
        Column(field: "callerObjectId", column: "caller_object_id_ref", interned: true, type: .integer),
        Column(field: "callerAppId", column: "caller_app_id_ref", interned: true, type: .integer),
        Column(field: "caller", column: "caller", interned: false, type: .text),
        Column(field: "scope", column: "scope_ref", interned: true, type: .integer),
        Column(field: "targetResource", column: "target_resource_ref", interned: true, type: .integer),
        Column(field: "resource", column: "resource_ref", interned: true, type: .integer),
        Column(field: "resourceId", column: "resource_id_ref", interned: true, type: .integer),
        Column(field: "resourceDisplayName", column: "resource_display_name", interned: false, type: .text),
        Column(field: "action", column: "action", interned: false, type: .text),
        Column(field: "url", column: "url", interned: false, type: .text),
        Column(field: "storageAccount", column: "storage_account", interned: false, type: .text),
        Column(field: "storageContainerUrl", column: "storage_container_url", interned: false, type: .text),
        Column(field: "container", column: "container", interned: false, type: .text),
        Column(field: "autoStorageContainerName", column: "auto_storage_container_name", interned: false, type: .text),
        Column(field: "metadataHeader", column: "metadata_header", interned: false, type: .integer),
        Column(field: "continuesLine", column: "continues_line", interned: false, type: .integer),
        Column(field: "durationMs", column: "duration_ms", interned: false, type: .integer),
        Column(field: "marker", column: "marker", interned: false, type: .text),
        Column(field: "messageAt", column: "message_at", interned: false, type: .integer),
        Column(field: "id", column: "id", interned: false, type: .text),
        Column(field: "name", column: "name", interned: false, type: .text),
        Column(field: "principalType", column: "principal_type", interned: false, type: .text),
        Column(field: "principalName", column: "principal_name", interned: false, type: .text),
        Column(field: "roleDefinitionGuid", column: "role_definition_guid", interned: false, type: .text),
        Column(field: "roleDefinitionId", column: "role_definition_id", interned: false, type: .text),
        Column(field: "roleDefinitionName", column: "role_definition_name", interned: false, type: .text),
        Column(field: "condition", column: "condition", interned: false, type: .text),
        Column(field: "createdOn", column: "created_on", interned: false, type: .text),
        Column(field: "updatedOn", column: "updated_on", interned: false, type: .text),
        Column(field: "createdBy", column: "created_by", interned: false, type: .text),
        Column(field: "roleAssignmentName", column: "role_assignment_name", interned: false, type: .text),
        Column(field: "roleAssignmentId", column: "role_assignment_id", interned: false, type: .text),
        Column(field: "accountResourceId", column: "account_resource_id", interned: false, type: .text),
        Column(field: "poolResourceId", column: "pool_resource_id", interned: false, type: .text),
        Column(field: "identityType", column: "identity_type", interned: false, type: .text),
        Column(field: "userAssignedIdentities", column: "user_assigned_identities", interned: false, type: .text),
        Column(field: "autoStorageAccountId", column: "auto_storage_account_id_ref", interned: true, type: .integer),
        Column(field: "autoStorageAuthenticationMode", column: "auto_storage_authentication_mode", interned: false, type: .text),
        Column(field: "nodeIdentityReference", column: "node_identity_reference_ref", interned: true, type: .integer),
        Column(field: "poolAllocationMode", column: "pool_allocation_mode", interned: false, type: .text),
        Column(field: "keyVaultId", column: "key_vault_id", interned: false, type: .text),
        Column(field: "keyVaultUrl", column: "key_vault_url", interned: false, type: .text),
        Column(field: "applicationPackages", column: "application_packages", interned: false, type: .text),
        Column(field: "resourceFileIdentities", column: "resource_file_identities", interned: false, type: .text),
    ]

    static let logLineColumns: [Column] = [
        Column(field: "level", column: "level", interned: false, type: .text),
        Column(field: "messageAt", column: "message_at", interned: false, type: .integer),
        Column(field: "marker", column: "marker", interned: false, type: .text),
        Column(field: "health", column: "health", interned: false, type: .text),
        Column(field: "node", column: "node_ref", interned: true, type: .integer),
        Column(field: "pool", column: "pool_ref", interned: true, type: .integer),
    ]
}
