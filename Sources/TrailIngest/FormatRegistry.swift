/// Every input format mitrail reads, in the order detection tries them: specific formats first.
public enum FormatRegistry {
    public static let all: [any EvidenceFormat] = [
        // Activity Log delete events carry an assignment's principalId / roleDefinitionId / scope in
        // their properties: the event shape is the more specific one.
        ActivityLogFormat(),
        RoleAssignmentListFormat(),
        RoleDefinitionFormat(),
        ManagedIdentityFormat(),
        // Entra group membership: lists of directory objects, group IDs, checks, audit events.
        EntraDirectoryObjectsFormat(),
        EntraMemberGroupsFormat(),
        EntraGroupMemberCheckFormat(),
        EntraAuditLogsFormat(),
        BatchAccountFormat(),
        BatchPoolFormat(),
        PowerShellRoleAssignmentFormat(),
        PowerShellActivityLogFormat(),
        ActivityLogCSVFormat(),
        AzureCLIDebugLogFormat(),
        BatchNodeFormat(),
        BatchTaskFormat(),
        BatchDiagnosticEventFormat(),
        BatchErrorFormat(),
        ARMErrorFormat(),
        StorageBlobLogFormat(),
        StorageErrorFormat(),
        StorageSDKExceptionFormat(),
        AzureSDKExceptionFormat(),
        JSRestErrorFormat(),
        MitrailTokenRequestFormat(),
        HarFormat(),
        AzureSDKRecordingFormat(),
        EntraMISignInLogsFormat(),
        EntraMISignInLogsCSVFormat(),
        EntraSPSignInLogsFormat(),
        EntraSPSignInLogsCSVFormat(),
        ImdsResponseBodyFormat(),
        HTTPTranscriptFormat(),
        // Line formats: the client logs before the generic ones; the agent log stays last.
        AzureIdentityClientLogFormat(),
        BatchFileUploadLogFormat(),
        // Free text with a known error code or message, before the agent log (whose files it leaves alone).
        PastedErrorTextFormat(),
        AgentLogFormat(),
    ]

    public static var ids: [String] { all.map(\.id) }

    public static func format(id: String) -> (any EvidenceFormat)? {
        all.first { $0.id == id }
    }

    /// The first format that recognises the sample, if any.
    public static func detect(_ sample: SniffSample) -> (any EvidenceFormat)? {
        all.first { $0.sniff(sample) }
    }
}
