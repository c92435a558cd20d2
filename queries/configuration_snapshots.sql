-- name: configuration_snapshots
-- description: Batch account and pool configuration as seen in each snapshot: autostorage authentication mode, node identity reference, pool identities, application packages; the configuration explain uses at a failure's time.
-- params: none
SELECT r.id AS record_id, r.time, r.kind, s.path AS source, r.line,
       json_extract(r.fields, '$.account') AS account,
       json_extract(r.fields, '$.accountResourceId') AS account_resource_id,
       json_extract(r.fields, '$.pool') AS pool,
       json_extract(r.fields, '$.poolResourceId') AS pool_resource_id,
       json_extract(r.fields, '$.identityType') AS identity_type,
       lower(json_extract(r.fields, '$.principalId')) AS principal_id,
       json_extract(r.fields, '$.tenantId') AS tenant_id,
       json_extract(r.fields, '$.userAssignedIdentities') AS user_assigned_identities,
       json_extract(r.fields, '$.autoStorageAccountId') AS autostorage_account_id,
       json_extract(r.fields, '$.autoStorageAuthenticationMode') AS autostorage_mode,
       json_extract(r.fields, '$.nodeIdentityReference') AS node_identity_reference,
       json_extract(r.fields, '$.poolAllocationMode') AS pool_allocation_mode,
       json_extract(r.fields, '$.keyVaultId') AS key_vault_id,
       json_extract(r.fields, '$.keyVaultUrl') AS key_vault_url,
       json_extract(r.fields, '$.applicationPackages') AS application_packages,
       json_extract(r.fields, '$.resourceFileIdentities') AS resource_file_identities
FROM records r JOIN sources s ON s.id = r.source_id
WHERE r.kind IN ('azure:batch:account', 'azure:batch:pool')
ORDER BY r.time, r.id;
