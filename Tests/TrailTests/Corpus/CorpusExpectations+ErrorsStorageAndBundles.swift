extension CorpusExpectation {
    static let errorsStorageAndBundles: [CorpusExpectation] = [
        // batch-data-plane/
        .skipped("batch-data-plane/azure-batch-issue4-task-executioninfo-failureinfo-fragment.txt",
                 "fragment: an executionInfo member cut out of a task object (not valid JSON on its own)"),
        .format("batch-data-plane/docs-batch-status-error-codes-error-body.json", "azure-batch-error"),
        .skipped("batch-data-plane/docs-batch-status-error-codes-preprocessingerror-blobnotfound.json",
                 "doc fragment: only the preProcessingError member of a pre-2014 task object, with no task id or URL"),
        .skipped("batch-data-plane/docs-batch-status-error-codes-task-scheduling-table.txt",
                 "doc table of task scheduling error codes (prose, not a payload)"),
        .format("batch-data-plane/docs-batch-task-fail-event-result-failure.json", "azure-batch-diagnostic-events"),
        .format("batch-data-plane/docs-batch-task-schedule-fail-event.json", "azure-batch-diagnostic-events"),
        .format("batch-data-plane/msrestazure-batch-error-invalidheadervalue.json", "azure-batch-error"),
        .format("batch-data-plane/specs-2023-05-01.17.0-NodeGet_Basic.json", "azure-batch-nodes"),
        // Support article prose around a quoted node error: pasted-error-text reads the quote (ApplicationPackageError);
        // its scenario table is documentation and reads as nothing.
        .format("batch-data-plane/supportarticles-mi-batch-scenarios-excerpt.txt", "pasted-error-text"),
        // The portal's rendering of node and task errors (Markdown Code / Message lines), as a user pastes it.
        .format("batch-data-plane/supportarticles-node-unusable-errors-diskfull-applicationpackageerror.txt", "pasted-error-text"),
        .format("batch-data-plane/supportarticles-task-resourcecontaineraccessdenied.txt", "pasted-error-text"),
        // storage-errors/
        .format("storage-errors/azsdkjs-recording-401-invalidauthenticationinfo-audience.xml", "azure-storage-error"),
        .format("storage-errors/azsdkjs-recording-401-invalidauthenticationinfo-headers.txt", "azure-storage-sdk-exception"),
        .format("storage-errors/azsdkjs-recording-403-authorizationpermissionmismatch.xml", "azure-storage-error"),
        .format("storage-errors/azsdkjs-recording-403-authorizationservicemismatch.xml", "azure-storage-error"),
        .skipped("storage-errors/azure-reference-other-StorageBlobLogs-schema.txt",
                 "doc table of the StorageBlobLogs columns (schema, not log rows)"),
        .format("storage-errors/dynatrace-repo-storage-blob-resource-log-entry.json", "azure-storage-blob-logs"),
        .format("storage-errors/kusto-copy-79-403-authorizationpermissionmismatch-headers.txt", "azure-storage-sdk-exception"),
        .format("storage-errors/prime-reportstream-12209-403-authorizationfailure.txt", "azure-storage-sdk-exception"),
    ]
}
