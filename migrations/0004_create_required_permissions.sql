-- What each kind of failure needs, as data: the action or data action, which identity needs it,
-- the error codes that reveal it, and the least-privilege built-in role that grants it.
-- Explanations read this table; ARM operations refused with AuthorizationFailed name their own action.

CREATE TABLE required_permissions (
    -- A stable name for the operation.
    operation TEXT PRIMARY KEY,
    description TEXT NOT NULL,
    action TEXT NOT NULL,
    -- 1 for a data action (granted only by dataActions), 0 for a control-plane action.
    is_data_action INTEGER NOT NULL CHECK (is_data_action IN (0, 1)),
    -- Whose permission it is: the Batch account's identity, the pool's node identity, or the caller.
    needed_by TEXT NOT NULL CHECK (needed_by IN ('batch-account-identity', 'node-identity', 'caller')),
    -- Where it is needed: the autostorage account, the container named in the task, the resource in the error.
    scope_kind TEXT NOT NULL,
    -- Error codes that show this permission missing (JSON array).
    failure_codes TEXT NOT NULL,
    least_privilege_role_guid TEXT NOT NULL REFERENCES builtin_roles(role_definition_guid)
);

INSERT INTO required_permissions VALUES
    ('autostorage-package-upload',
     'The Batch service writes an uploaded application package to the autostorage account with the Batch account''s identity.',
     'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write', 1, 'batch-account-identity', 'autostorage-account',
     '["AutoStorageNoPermission"]', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'),
    ('application-package-download',
     'A compute node downloads the pool''s application packages from autostorage with the node identity reference.',
     'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read', 1, 'node-identity', 'autostorage-account',
     '["ApplicationPackageError"]', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'),
    ('resource-files-from-container',
     'A compute node lists and downloads a task''s resource files from a blob container with an identity reference.',
     'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read', 1, 'node-identity', 'container',
     '["ResourceContainerAccessDenied", "ResourceContainerListMiscError", "BlobAccessDenied"]', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'),
    ('output-file-upload',
     'A task uploads its output files to a blob container with an identity reference.',
     'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write', 1, 'node-identity', 'container',
     '[]', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'),
    ('blob-read',
     'Reading or listing blobs with an Entra ID token (Storage 403 AuthorizationPermissionMismatch on a read).',
     'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read', 1, 'caller', 'container',
     '["AuthorizationPermissionMismatch"]', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'),
    ('blob-write',
     'Writing blobs with an Entra ID token (Storage 403 AuthorizationPermissionMismatch on a write).',
     'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write', 1, 'caller', 'container',
     '["AuthorizationPermissionMismatch"]', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'),
    ('key-vault-secrets',
     'A Batch account in user subscription mode keeps its secrets in the account''s Key Vault.',
     'Microsoft.KeyVault/vaults/secrets/setSecret/action', 1, 'batch-account-identity', 'key-vault',
     '["KeyVaultNotFound"]', 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7');
