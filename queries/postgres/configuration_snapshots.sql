-- name: configuration_snapshots
-- description: Batch account and pool configuration as seen in each snapshot: autostorage authentication mode, node identity reference, pool identities, application packages; the configuration explain uses at a failure's time.
-- params: none
-- PostgreSQL twin of queries/configuration_snapshots.sql: the same SQL, but NULL times sort first as in SQLite.
SELECT r.record_id AS record_id, r.time, r.kind, s.path AS source, r.line,
       r.account AS account,
       r.account_resource_id AS account_resource_id,
       r.pool AS pool,
       r.pool_resource_id AS pool_resource_id,
       r.identity_type AS identity_type,
       lower(r.principal_id) AS principal_id,
       r.tenant_id AS tenant_id,
       r.user_assigned_identities AS user_assigned_identities,
       r.auto_storage_account_id AS autostorage_account_id,
       r.auto_storage_authentication_mode AS autostorage_mode,
       r.node_identity_reference AS node_identity_reference,
       r.pool_allocation_mode AS pool_allocation_mode,
       r.key_vault_id AS key_vault_id,
       r.key_vault_url AS key_vault_url,
       r.application_packages AS application_packages,
       r.resource_file_identities AS resource_file_identities
FROM record_values r JOIN sources s ON s.id = r.source_id
WHERE r.kind IN ('azure:batch:account', 'azure:batch:pool')
ORDER BY r.time NULLS FIRST, r.record_id;
