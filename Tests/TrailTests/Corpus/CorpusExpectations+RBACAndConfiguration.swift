extension CorpusExpectation {
    /// rbac-role-assignments/ (four of its files are in `foundation`), role-definitions/, activity-log/, batch-mgmt/.
    static let rbacAndConfiguration: [CorpusExpectation] = [
        // rbac-role-assignments/
        .format("rbac-role-assignments/azcli-issue-27509-debug-roleassignments-response-fragment.txt", "azure-cli-debug-log"),
        .format("rbac-role-assignments/docs-role-assignments-list-cli-jq-projection.txt", "azure-role-assignments"),
        .format("rbac-role-assignments/docs-role-assignments-list-rest-output.json", "azure-role-assignments"),
        .format("rbac-role-assignments/docs-troubleshooting-get-azroleassignment-orphaned-principal.txt", "powershell-role-assignments"),
        .format("rbac-role-assignments/specs-2022-04-01-RoleAssignments_Get.json", "azure-role-assignments"),
        .format("rbac-role-assignments/specs-2022-04-01-RoleAssignments_ListForScope.json", "azure-role-assignments"),

        // role-definitions/
        .format("role-definitions/azcli-recording-roledefinitions-filter-contributor-2020.json", "azure-role-definitions"),
        .format("role-definitions/docs-batch-rbac-azure-batch-account-contributor.json", "azure-role-definitions"),
        .format("role-definitions/docs-batch-rbac-azure-batch-account-reader.json", "azure-role-definitions"),
        .format("role-definitions/docs-batch-rbac-azure-batch-data-contributor.json", "azure-role-definitions"),
        .format("role-definitions/docs-batch-rbac-azure-batch-job-submitter.json", "azure-role-definitions"),
        .format("role-definitions/docs-builtin-contributor.json", "azure-role-definitions"),
        .format("role-definitions/docs-builtin-owner.json", "azure-role-definitions"),
        .format("role-definitions/docs-builtin-reader.json", "azure-role-definitions"),
        .format("role-definitions/docs-builtin-storage-account-contributor.json", "azure-role-definitions"),
        .format("role-definitions/docs-builtin-storage-blob-data-contributor.json", "azure-role-definitions"),
        .format("role-definitions/docs-builtin-storage-blob-data-owner.json", "azure-role-definitions"),
        .format("role-definitions/docs-builtin-storage-blob-data-reader.json", "azure-role-definitions"),
        .format("role-definitions/docs-builtin-user-access-administrator.json", "azure-role-definitions"),

        // activity-log/
        .format("activity-log/azcli-recording-roleassignment-events-cut.json", "azure-activity-log"),
        .format("activity-log/docs-rbac-change-history-az-monitor-activity-log-filtered.json", "azure-activity-log"),
        .format("activity-log/docs-rbac-change-history-get-azlog-format-list.txt", "powershell-activity-log"),

        // batch-mgmt/
        .format("batch-mgmt/azcli-recording-batch-account-get-uami-autostorage.json", "azure-batch-account"),
        .format("batch-mgmt/specs-2024-07-01-BatchAccountCreate_UserAssignedIdentity.json", "azure-batch-account"),
        .format("batch-mgmt/specs-2024-07-01-BatchAccountGet.json", "azure-batch-account"),
        .format("batch-mgmt/specs-2024-07-01-PoolCreate_UserAssignedIdentities.json", "azure-batch-pool"),
        .format("batch-mgmt/specs-2024-07-01-PoolGet.json", "azure-batch-pool"),
    ]
}
