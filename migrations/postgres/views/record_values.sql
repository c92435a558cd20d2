-- PostgreSQL twin of the view record_values (migrations/0011_views_on_typed_fields.sql).
-- The same SQL: nothing in it differs between the dialects.
CREATE VIEW record_values AS
SELECT r.id AS record_id, r.source_id, k.kind, r.line, r.pointer, r.time_ms, r.time, r.time_origin, r.raw, r.fields,
       f.status, f.error_code, f.status_text, f.status_code, f.transport_error, f.no_answer, f.state,
       f.start_task_failure_code, f.start_task_failure_message, f.error_message, f.failure_reason,
       f.authentication_error_detail, f.error_codes, f.error_category, f.result, f.operation_status,
       f.operation_name, f.event_phase,
       coalesce(n_node.value, l_node.value) AS node, coalesce(n_pool.value, l_pool.value) AS pool, n_account.value AS account, f.job, f.task,
       n_principal_id.value AS principal_id, n_client_id.value AS client_id,
       n_identity_resource_id.value AS identity_resource_id, n_tenant_id.value AS tenant_id,
       n_token_oid.value AS token_oid, n_token_app_id.value AS token_app_id,
       n_token_mi_resource_id.value AS token_mi_resource_id, n_token_tenant_id.value AS token_tenant_id,
       n_token_audience.value AS token_audience, f.token_expires_at, f.token_fingerprint,
       n_caller_object_id.value AS caller_object_id, n_caller_app_id.value AS caller_app_id, f.caller,
       n_scope.value AS scope, n_target_resource.value AS target_resource, n_resource.value AS resource,
       n_resource_id.value AS resource_id, f.resource_display_name, f.action, f.url, f.storage_account,
       f.storage_container_url, f.container, f.auto_storage_container_name, f.metadata_header, f.continues_line,
       f.duration_ms, coalesce(f.marker, l.marker) AS marker, coalesce(f.message_at, l.message_at) AS message_at,
       l.level, l.health,
       f.id, f.name, f.principal_type, f.principal_name, f.role_definition_guid, f.role_definition_id,
       f.role_definition_name, f.condition, f.created_on, f.updated_on, f.created_by, f.role_assignment_name,
       f.role_assignment_id, f.account_resource_id, f.pool_resource_id, f.identity_type, f.user_assigned_identities,
       n_auto_storage_account_id.value AS auto_storage_account_id, f.auto_storage_authentication_mode,
       n_node_identity_reference.value AS node_identity_reference, f.pool_allocation_mode, f.key_vault_id,
       f.key_vault_url, f.application_packages, f.resource_file_identities
FROM records r
JOIN record_kinds k ON k.id = r.kind_id
LEFT JOIN record_fields f ON f.record_id = r.id
LEFT JOIN log_line_fields l ON l.record_id = r.id
LEFT JOIN names n_node ON n_node.id = f.node_ref
LEFT JOIN names l_node ON l_node.id = l.node_ref
LEFT JOIN names n_pool ON n_pool.id = f.pool_ref
LEFT JOIN names l_pool ON l_pool.id = l.pool_ref
LEFT JOIN names n_account ON n_account.id = f.account_ref
LEFT JOIN names n_principal_id ON n_principal_id.id = f.principal_id_ref
LEFT JOIN names n_client_id ON n_client_id.id = f.client_id_ref
LEFT JOIN names n_identity_resource_id ON n_identity_resource_id.id = f.identity_resource_id_ref
LEFT JOIN names n_tenant_id ON n_tenant_id.id = f.tenant_id_ref
LEFT JOIN names n_token_oid ON n_token_oid.id = f.token_oid_ref
LEFT JOIN names n_token_app_id ON n_token_app_id.id = f.token_app_id_ref
LEFT JOIN names n_token_mi_resource_id ON n_token_mi_resource_id.id = f.token_mi_resource_id_ref
LEFT JOIN names n_token_tenant_id ON n_token_tenant_id.id = f.token_tenant_id_ref
LEFT JOIN names n_token_audience ON n_token_audience.id = f.token_audience_ref
LEFT JOIN names n_caller_object_id ON n_caller_object_id.id = f.caller_object_id_ref
LEFT JOIN names n_caller_app_id ON n_caller_app_id.id = f.caller_app_id_ref
LEFT JOIN names n_scope ON n_scope.id = f.scope_ref
LEFT JOIN names n_target_resource ON n_target_resource.id = f.target_resource_ref
LEFT JOIN names n_resource ON n_resource.id = f.resource_ref
LEFT JOIN names n_resource_id ON n_resource_id.id = f.resource_id_ref
LEFT JOIN names n_auto_storage_account_id ON n_auto_storage_account_id.id = f.auto_storage_account_id_ref
LEFT JOIN names n_node_identity_reference ON n_node_identity_reference.id = f.node_identity_reference_ref;
