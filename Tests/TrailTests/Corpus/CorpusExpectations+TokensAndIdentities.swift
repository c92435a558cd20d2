extension CorpusExpectation {
    static let tokensAndIdentities: [CorpusExpectation] = [
        // imds/
        .format("imds/azsdkgo-imds-400-identity-not-found.json", "imds-response-body"),
        .format("imds/azsdknet-44685-appservice-mi-500.txt", "azure-sdk-exception"),
        .format("imds/azsdknet-imds-uami-success-recording.json", "azure-sdk-recording"),
        .format("imds/azsdkpy-11346-appservice-2019-08-01-token-response.json", "imds-response-body"),
        // A PowerShell console session pasted into an issue: the IMDS body quoted in the error record is read as pasted text.
        .format("imds/azure-docs-21322-imds-400-identity-not-found-powershell.txt", "pasted-error-text"),
        .format("imds/azure-docs-91624-imds-instance-400-missing-metadata-header.json", "imds-response-body"),
        .skipped("imds/docs-entra-imds-error-reference.txt",
                 "documentation: markdown tables of IMDS status codes, error codes and retry guidance, not a payload"),
        .format("imds/docs-entra-imds-token-sample-response.txt", "http-transcript"),
        .format("imds/dotnet-docker-tools-1286-imds-400-multiple-uami.txt", "azure-sdk-exception"),
        .format("imds/hexadite-pr43-imds-400-multiple-uami.txt", "http-transcript"),
        .format("imds/msal-dotnet-imds-400-aadsts500011-invalid-resource.json", "imds-response-body"),
        .format("imds/msal-dotnet-imdsv2-credential-400-missing-metadata-header.txt", "http-transcript"),
        // A Kubernetes event's error chain quoted in Markdown (&emsp; indents, bold, escaped URL): read as pasted text.
        .format("imds/supportarticles-aks-kv-csi-imds-400-identity-not-found.txt", "pasted-error-text"),
        .format("imds/terraform-azurerm-20901-imds-429-throttled.txt", "azure-identity-client-log"),
        // identity-client-logs/
        .format("identity-client-logs/azsdkjava-pr12268-imds-unreachable.log", "azure-identity-client-log"),
        .format("identity-client-logs/azsdkjs-11369-imds-400-fragment.log", "azure-identity-client-log"),
        .format("identity-client-logs/azsdkjs-vsce-976-imds-probe-timestamps.log", "azure-identity-client-log"),
        .format("identity-client-logs/azsdknet-43618-imds-200-azure-core.log", "azure-identity-client-log"),
        .format("identity-client-logs/azsdknet-46709-msal-mi-fragment.log", "azure-identity-client-log"),
        .format("identity-client-logs/azsdkpy-28478-imds-unavailable-fragment.log", "azure-identity-client-log"),
        .format("identity-client-logs/azsdkpy-34337-imds-environment-debug-fragment.log", "azure-identity-client-log"),
        .format("identity-client-logs/azsdkpy-search-openai-demo-1593-defaultazurecredential.log", "azure-identity-client-log"),
        // mi-signin-logs/
        .skipped("mi-signin-logs/azure-reference-other-AADManagedIdentitySignInLogs-schema.txt",
                 "documentation: the Log Analytics column schema of AADManagedIdentitySignInLogs (a markdown table); the CSV fixtures use its column names"),
        .format("mi-signin-logs/elastic-integrations-managed-identity-signinlogs-cut.log", "entra-mi-signin-logs"),
        // har/
        .format("har/node-har-validator-valid.har", "har"),
        // arm-batch-response/
        // The browser DevTools view of the portal's batch response (unquoted names, ",..." ellipses), not JSON: pasted-error-text
        // reads the nested AutoStorageNoPermission; the raw shape is modelled by Fixtures/formats/har/portal-batch-autostorage-409.har.
        .format("arm-batch-response/supportarticles-autostoragenopermission-har-view.txt", "pasted-error-text"),
    ]
}
