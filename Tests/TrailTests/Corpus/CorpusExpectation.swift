/// What ingest must make of one file of the shared corpus of real Azure payloads (../shared/corpus).
struct CorpusExpectation {
    enum Outcome {
        /// The file holds machine-readable payloads: this format must claim it and store at least one record.
        case format(String)
        /// The file is prose, a table, a screenshot rendering or otherwise not evidence as tools emit it.
        case skipped(reason: String)
    }

    /// Path relative to the corpus folder, e.g. "imds/azsdkgo-imds-400-identity-not-found.json".
    let path: String
    let outcome: Outcome

    static func format(_ path: String, _ id: String) -> CorpusExpectation {
        CorpusExpectation(path: path, outcome: .format(id))
    }

    static func skipped(_ path: String, _ reason: String) -> CorpusExpectation {
        CorpusExpectation(path: path, outcome: .skipped(reason: reason))
    }

    /// Every corpus file, each listed exactly once across the groups.
    static var all: [CorpusExpectation] { tokensAndIdentities + rbacAndConfiguration + errorsStorageAndBundles + foundation }

    /// The files the first two formats claim.
    static let foundation: [CorpusExpectation] = [
        .format("rbac-role-assignments/docs-troubleshooting-az-role-assignment-list-orphaned-principal.json", "azure-role-assignments"),
        .format("rbac-role-assignments/docs-conditions-az-role-assignment-create-output-flat.json", "azure-role-assignments"),
        .format("rbac-role-assignments/docs-scope-overview-az-role-assignment-list-container-scope.json", "azure-role-assignments"),
        .format("rbac-role-assignments/azcli-recording-roleassignment-put-201.json", "azure-role-assignments"),
        .format("batch-node-agent-logs/supportarticles-agent-debug-log-quoted-message.txt", "batch-agent-log"),
    ]
}
