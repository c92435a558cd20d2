/// Every input format mitrail reads, in the order detection tries them: specific formats first.
public enum FormatRegistry {
    public static let all: [any EvidenceFormat] = [
        RoleAssignmentListFormat(),
        MitrailTokenRequestFormat(),
        HarFormat(),
        AzureSDKRecordingFormat(),
        EntraMISignInLogsFormat(),
        EntraMISignInLogsCSVFormat(),
        ImdsResponseBodyFormat(),
        HTTPTranscriptFormat(),
        // Line formats: the client logs before the generic agent log, which must stay last.
        AzureIdentityClientLogFormat(),
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
