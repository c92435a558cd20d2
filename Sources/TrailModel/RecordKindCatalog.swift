/// What one record kind holds, and whether a record of that kind can be a failure.
public struct RecordKindEntry: Hashable, Sendable {
    public var kind: RecordKind
    /// One sentence: what a record of this kind is.
    public var meaning: String
    /// True when the `failures` view considers records of this kind (by their own fields: a status of
    /// 400 or more, an error code, no answer, a node state, an agent log marker, a failed operation).
    public var canBeFailure: Bool

    public init(_ kind: String, _ meaning: String, canBeFailure: Bool) {
        self.kind = RecordKind(kind)
        self.meaning = meaning
        self.canBeFailure = canBeFailure
    }
}

extension RecordKind {
    /// Every kind of record mitrail stores. A format that emits a new kind adds it here, and to the
    /// `failures` view (a new migration) when its records can be failures; a test holds the SQL to it.
    public static let catalog: [RecordKindEntry] = [
        RecordKindEntry("azure:imds:token-request", "one request to a managed identity token endpoint (IMDS, App Service, Arc, a recording proxy) with its answer, or a request that got none", canBeFailure: true),
        RecordKindEntry("azure:imds:token-response", "a token endpoint's answer on its own, without the request: a saved body, or an endpoint error quoted in exception or free text", canBeFailure: true),
        RecordKindEntry("azure:entra:mi-signin", "a managed identity sign-in (token issuance) as Entra ID logs it", canBeFailure: true),
        RecordKindEntry("azure:entra:sp-signin", "a service principal sign-in as Entra ID logs it (an application that is not a managed identity)", canBeFailure: true),
        RecordKindEntry("azure:entra:membership-list", "a list of Entra group memberships as a whole (a group's members, or a member's groups): a snapshot at its observed-at time, complete or a page", canBeFailure: false),
        RecordKindEntry("azure:entra:group-member", "one entry of a membership list: a directory object listed as a member of a group", canBeFailure: false),
        RecordKindEntry("azure:entra:membership-check", "an answer to whether a principal is a member of a group (az ad group member check, checkMemberGroups)", canBeFailure: false),
        RecordKindEntry("azure:entra:audit-event", "an Entra audit log event: a member added to or removed from a group", canBeFailure: false),
        RecordKindEntry("azure:identity:client-log-line", "one line of an Azure Identity / MSAL / Azure SDK client log or of az --debug output", canBeFailure: true),
        RecordKindEntry("azure:identity:managed-identity", "a user-assigned managed identity as az identity or ARM shows it", canBeFailure: false),
        RecordKindEntry("azure:http:exchange", "an HTTP request and response to another service (HAR, recording, transcript)", canBeFailure: true),
        RecordKindEntry("azure:arm:request", "an HTTP request to Azure Resource Manager and its response", canBeFailure: true),
        RecordKindEntry("azure:arm:error", "an ARM error (CloudError body, az CLI rendering, or quoted in free text)", canBeFailure: true),
        RecordKindEntry("azure:arm:batch-response-item", "one answer inside the portal's ARM batch call", canBeFailure: true),
        RecordKindEntry("azure:rbac:role-assignment", "a role assignment seen in a snapshot (a list, a GET or PUT response)", canBeFailure: false),
        RecordKindEntry("azure:rbac:role-definition", "a role definition with its actions and data actions", canBeFailure: false),
        RecordKindEntry("azure:activitylog:event", "an Activity Log event (role assignment writes and deletes among them)", canBeFailure: true),
        RecordKindEntry("azure:storage:error", "an Azure Storage error (XML body, SDK exception text, or quoted in free text)", canBeFailure: true),
        RecordKindEntry("azure:storage:request", "an HTTP request to Azure Storage and its response (HAR, recording, SDK error object)", canBeFailure: true),
        RecordKindEntry("azure:storage:blob-log", "a StorageBlobLogs record (one Storage operation as the service logged it)", canBeFailure: true),
        RecordKindEntry("azure:batch:account", "a Batch account's configuration (identity, autostorage, node identity reference)", canBeFailure: false),
        RecordKindEntry("azure:batch:pool", "a Batch pool's configuration (identities, application packages)", canBeFailure: false),
        RecordKindEntry("azure:batch:node", "a Batch compute node's state and errors", canBeFailure: true),
        RecordKindEntry("azure:batch:task", "a Batch task's state and failure information, or a task failure as a workflow engine reports it", canBeFailure: true),
        RecordKindEntry("azure:batch:error", "a Batch data-plane error body", canBeFailure: true),
        RecordKindEntry("azure:batch:diagnostic-event", "a Batch service log event (task fail, schedule fail)", canBeFailure: true),
        RecordKindEntry("azure:batch:agent-log-line", "one line of a Batch node agent log, with its marker", canBeFailure: true),
        RecordKindEntry("azure:batch:file-upload-log", "one entry of a task's output-file upload log (fileuploaderr.txt, fileuploadout.txt)", canBeFailure: true),
    ]

    /// The catalog entry of this kind, if it is in the catalog.
    public var catalogEntry: RecordKindEntry? {
        Self.catalog.first { $0.kind == self }
    }
}
