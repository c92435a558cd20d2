-- The built-in Azure roles that matter when a managed identity is refused, shipped as data,
-- and one view over them and the role definitions ingested as evidence.
--
-- Every GUID, description and permission list is copied from the role's JSON in Microsoft's
-- documentation (the files named on each row are in ../shared/corpus/role-definitions/).
-- Lists are JSON arrays as text, in the documentation's order. A role that changes upstream is
-- fixed by a new migration, never by editing this one.

CREATE TABLE builtin_roles (
    -- The role definition's name: a lower-case GUID, the same in every subscription.
    role_definition_guid TEXT PRIMARY KEY,
    role_name TEXT NOT NULL,
    description TEXT,
    actions TEXT NOT NULL,
    not_actions TEXT NOT NULL,
    data_actions TEXT NOT NULL,
    not_data_actions TEXT NOT NULL
);

-- corpus: role-definitions/docs-builtin-owner.json
INSERT INTO builtin_roles VALUES (
    '8e3af657-a8ff-443c-a75c-2fe8c4bcb635', 'Owner',
    'Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.',
    '["*"]',
    '[]',
    '[]',
    '[]');

-- corpus: role-definitions/docs-builtin-contributor.json
INSERT INTO builtin_roles VALUES (
    'b24988ac-6180-42a0-ab88-20f7382dd24c', 'Contributor',
    'Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.',
    '["*"]',
    '["Microsoft.Authorization/*/Delete","Microsoft.Authorization/*/Write","Microsoft.Authorization/elevateAccess/Action","Microsoft.Blueprint/blueprintAssignments/write","Microsoft.Blueprint/blueprintAssignments/delete","Microsoft.Compute/galleries/share/action","Microsoft.Purview/consents/write","Microsoft.Purview/consents/delete"]',
    '[]',
    '[]');

-- corpus: role-definitions/docs-builtin-reader.json
INSERT INTO builtin_roles VALUES (
    'acdd72a7-3385-48ef-bd42-f606fba81ae7', 'Reader',
    'View all resources, but does not allow you to make any changes.',
    '["*/read"]',
    '[]',
    '[]',
    '[]');

-- corpus: role-definitions/docs-builtin-user-access-administrator.json
INSERT INTO builtin_roles VALUES (
    '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9', 'User Access Administrator',
    'Lets you manage user access to Azure resources.',
    '["*/read","Microsoft.Authorization/*","Microsoft.Support/*"]',
    '[]',
    '[]',
    '[]');

-- corpus: role-definitions/docs-builtin-storage-blob-data-owner.json
INSERT INTO builtin_roles VALUES (
    'b7e6dc6d-f1e8-4753-8033-0f276bb0955b', 'Storage Blob Data Owner',
    'Allows for full access to Azure Storage blob containers and data, including assigning POSIX access control.',
    '["Microsoft.Storage/storageAccounts/blobServices/containers/*","Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action"]',
    '[]',
    '["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*"]',
    '[]');

-- corpus: role-definitions/docs-builtin-storage-blob-data-contributor.json
INSERT INTO builtin_roles VALUES (
    'ba92f5b4-2d11-453d-a403-e96b0029c9fe', 'Storage Blob Data Contributor',
    'Allows for read, write and delete access to Azure Storage blob containers and data',
    '["Microsoft.Storage/storageAccounts/blobServices/containers/delete","Microsoft.Storage/storageAccounts/blobServices/containers/read","Microsoft.Storage/storageAccounts/blobServices/containers/write","Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action"]',
    '[]',
    '["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete","Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read","Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write","Microsoft.Storage/storageAccounts/blobServices/containers/blobs/move/action","Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action"]',
    '[]');

-- corpus: role-definitions/docs-builtin-storage-blob-data-reader.json
INSERT INTO builtin_roles VALUES (
    '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1', 'Storage Blob Data Reader',
    'Allows for read access to Azure Storage blob containers and data',
    '["Microsoft.Storage/storageAccounts/blobServices/containers/read","Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action"]',
    '[]',
    '["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"]',
    '[]');

-- corpus: role-definitions/docs-builtin-storage-account-contributor.json
INSERT INTO builtin_roles VALUES (
    '17d1049b-9a84-46fb-8f53-869881c3d3ab', 'Storage Account Contributor',
    'Lets you manage storage accounts, including accessing storage account keys which provide full access to storage account data.',
    '["Microsoft.Authorization/*/read","Microsoft.Insights/alertRules/*","Microsoft.Insights/diagnosticSettings/*","Microsoft.Network/virtualNetworks/subnets/joinViaServiceEndpoint/action","Microsoft.ResourceHealth/availabilityStatuses/read","Microsoft.Resources/deployments/*","Microsoft.Resources/subscriptions/resourceGroups/read","Microsoft.Storage/storageAccounts/*","Microsoft.Support/*"]',
    '[]',
    '[]',
    '[]');

-- corpus: role-definitions/docs-batch-rbac-azure-batch-account-contributor.json
INSERT INTO builtin_roles VALUES (
    '29fe4964-1e60-436b-bd3a-77fd4c178b3c', 'Azure Batch Account Contributor',
    'Grants full access to manage all Batch resources, including Batch accounts, pools and jobs.',
    '["Microsoft.Authorization/*/read","Microsoft.Batch/batchAccounts/*","Microsoft.Insights/alertRules/*","Microsoft.Resources/deployments/*","Microsoft.Resources/subscriptions/resourceGroups/read"]',
    '[]',
    '["Microsoft.Batch/batchAccounts/*"]',
    '[]');

-- corpus: role-definitions/docs-batch-rbac-azure-batch-account-reader.json
INSERT INTO builtin_roles VALUES (
    '11076f67-66f6-4be0-8f6b-f0609fd05cc9', 'Azure Batch Account Reader',
    'Lets you view all resources including pools and jobs in the Batch account.',
    '["Microsoft.Batch/batchAccounts/read","Microsoft.Batch/batchAccounts/*/read","Microsoft.Resources/subscriptions/resourceGroups/read"]',
    '[]',
    '["Microsoft.Batch/batchAccounts/*/read"]',
    '[]');

-- The Batch RBAC article's permission table and its JSON disagree about the pools action;
-- this row follows the JSON (Microsoft.Batch/batchAccounts/pools/*).
-- corpus: role-definitions/docs-batch-rbac-azure-batch-data-contributor.json
INSERT INTO builtin_roles VALUES (
    '6aaa78f1-f7de-44ca-8722-c64a23943cae', 'Azure Batch Data Contributor',
    'Grants permissions to manage Batch pools and jobs but not to modify accounts.',
    '["Microsoft.Authorization/*/read","Microsoft.Batch/batchAccounts/read","Microsoft.Batch/batchAccounts/applications/*","Microsoft.Batch/batchAccounts/certificates/*","Microsoft.Batch/batchAccounts/certificateOperationResults/*","Microsoft.Batch/batchAccounts/pools/*","Microsoft.Batch/batchAccounts/poolOperationResults/*","Microsoft.Batch/locations/*/read","Microsoft.Insights/alertRules/*","Microsoft.Resources/deployments/*","Microsoft.Resources/subscriptions/resourceGroups/read"]',
    '[]',
    '["Microsoft.Batch/batchAccounts/jobSchedules/*","Microsoft.Batch/batchAccounts/jobs/*"]',
    '[]');

-- corpus: role-definitions/docs-batch-rbac-azure-batch-job-submitter.json
INSERT INTO builtin_roles VALUES (
    '48e5e92e-a480-4e71-aa9c-2778f4c13781', 'Azure Batch Job Submitter',
    'Lets you submit and manage jobs in the Batch account.',
    '["Microsoft.Batch/batchAccounts/applications/read","Microsoft.Batch/batchAccounts/applications/versions/read","Microsoft.Batch/batchAccounts/pools/read","Microsoft.Insights/alertRules/*","Microsoft.Resources/subscriptions/resourceGroups/read"]',
    '[]',
    '["Microsoft.Batch/batchAccounts/jobSchedules/*","Microsoft.Batch/batchAccounts/jobs/*"]',
    '[]');

-- not in the corpus: Microsoft Learn, "Azure built-in roles for Security" (built-in-roles/security.md, 2025-01-25), the role's JSON
INSERT INTO builtin_roles VALUES (
    'b86a8fe4-44ce-4948-aee5-eccb2c155cd7', 'Key Vault Secrets Officer',
    'Perform any action on the secrets of a key vault, except manage permissions. Only works for key vaults that use the ''Azure role-based access control'' permission model.',
    '["Microsoft.Authorization/*/read","Microsoft.Insights/alertRules/*","Microsoft.Resources/deployments/*","Microsoft.Resources/subscriptions/resourceGroups/read","Microsoft.Support/*","Microsoft.KeyVault/checkNameAvailability/read","Microsoft.KeyVault/deletedVaults/read","Microsoft.KeyVault/locations/*/read","Microsoft.KeyVault/vaults/*/read","Microsoft.KeyVault/operations/read"]',
    '[]',
    '["Microsoft.KeyVault/vaults/secrets/*"]',
    '[]');

-- Role definitions known to the store: the built-in catalog above, then every definition read from
-- evidence (az role definition list, ARM), each with where it came from and when it was observed.
CREATE VIEW role_definitions AS
SELECT b.role_definition_guid, b.role_name, 'BuiltInRole' AS role_type,
       b.actions, b.not_actions, b.data_actions, b.not_data_actions,
       'builtin' AS source, NULL AS observed_at
FROM builtin_roles b
UNION ALL
SELECT lower(json_extract(r.fields, '$.roleDefinitionGuid')) AS role_definition_guid,
       json_extract(r.fields, '$.roleName') AS role_name,
       json_extract(r.fields, '$.roleType') AS role_type,
       coalesce(json_extract(r.fields, '$.actions'), '[]') AS actions,
       coalesce(json_extract(r.fields, '$.notActions'), '[]') AS not_actions,
       coalesce(json_extract(r.fields, '$.dataActions'), '[]') AS data_actions,
       coalesce(json_extract(r.fields, '$.notDataActions'), '[]') AS not_data_actions,
       s.path AS source, r.time AS observed_at
FROM records r JOIN sources s ON s.id = r.source_id
WHERE r.kind = 'azure:rbac:role-definition';
