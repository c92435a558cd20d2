import TrailModel
import TrailStore

/// One record that shows something failing, with what explain needs to know about it.
public struct Failure: Sendable {
    public var recordID: Int64
    public var time: Timestamp?
    public var kind: String
    /// The error code the record carries (`ResourceContainerAccessDenied`, `AuthorizationPermissionMismatch`, `invalid_request`...).
    public var code: String?
    public var status: Int?
    public var message: String?
    /// Storage's `AuthenticationErrorDetail`.
    public var detail: String?
    public var errorCodes: String?
    /// A node's state (`starting`, `unusable`).
    public var state: String?
    /// An agent log marker (`TvmJoinPoolInProgress`).
    public var marker: String?
    public var node: String?
    public var pool: String?
    public var job: String?
    public var task: String?
    public var account: String?
    public var principalID: String?
    public var clientID: String?
    public var identityResourceID: String?
    public var tokenAudience: String?
    public var tokenExpiresAt: Timestamp?
    public var scope: String?
    public var action: String?
    public var targetResource: String?
    public var url: String?
    /// The resource a token was requested for.
    public var resource: String?
    public var container: String?
    public var containerURL: String?
    public var autoStorageContainer: String?
    public var metadataHeader: Bool?
    public var noAnswer: Bool
    /// The storage or ARM operation (`GetBlob`, `PutBlob`, `ListBlobs`).
    public var operationName: String?
    public var method: String?
    /// The service's ID of the request (`x-ms-request-id`; StorageBlobLogs' `CorrelationId`).
    public var requestID: String?
    /// The client's ID of the request (`x-ms-client-request-id`), which an SDK keeps across its retries.
    public var clientRequestID: String?
    /// ARM's correlation ID of the request (`x-ms-correlation-request-id`; the Activity Log's `correlationId`).
    public var correlationID: String?
    /// The token the request carried: its fingerprint and when it was issued.
    public var tokenFingerprint: String?
    public var tokenIssuedAt: Timestamp?
    /// Who made an Activity Log operation.
    public var caller: String?
    /// An Azure Policy denial (`RequestDisallowedByPolicy`, top-level or nested), when the error is one.
    public var policyDenial: PolicyDenial?
    /// Other records that show this same failure (the same request seen through another source).
    public var alsoSeenIn: [EvidenceReference] = []
    /// Code, message, detail, error codes and marker in one lower-case text, for the rules' phrase checks.
    var lowercasedErrorText = ""
    public var evidence: EvidenceReference

    /// The failure a row shows.
    init(_ row: EvidenceRow) {
        self.init(row, interner: nil)
    }

    /// The failure a row shows; with an interner, texts that repeat over failures (a node, an identity, a message)
    /// share one copy.
    init(_ row: EvidenceRow, interner: StringInterner?) {
        self.init(row, columns: FailureColumns(row.columns), interner: interner)
    }

    /// The failure a row shows, its cells read at positions looked up once for the row's query.
    init(_ row: EvidenceRow, columns: FailureColumns, interner: StringInterner?) {
        func text(_ column: Int?) -> String? {
            let value = row.string(at: column)
            guard let interner, let column else { return value }
            return interner.intern(value, column: column)
        }
        let recordID = row.integer(at: columns.recordID)
        self.recordID = recordID ?? 0
        time = row.time(at: columns.time)
        kind = text(columns.kind) ?? ""
        code = text(columns.code)
        status = row.integer(at: columns.status).map(Int.init)
        message = text(columns.message)
        detail = text(columns.detail)
        errorCodes = text(columns.errorCodes)
        state = row.string(at: columns.state)?.lowercased()
        marker = text(columns.marker)
        node = text(columns.node)
        pool = text(columns.pool)
        job = text(columns.job)
        task = row.string(at: columns.task)
        account = text(columns.account)
        principalID = text(columns.principalID)
        clientID = text(columns.clientID)
        identityResourceID = text(columns.identityResourceID)
        tokenAudience = text(columns.tokenAudience)
        tokenExpiresAt = row.time(at: columns.tokenExpiresAt)
        scope = text(columns.scope)
        action = text(columns.action)
        targetResource = text(columns.targetResource)
        url = text(columns.url)
        resource = text(columns.resource)
        container = text(columns.container)
        containerURL = text(columns.containerURL)
        autoStorageContainer = text(columns.autoStorageContainer)
        metadataHeader = row.integer(at: columns.metadataHeader).map { $0 != 0 }
        noAnswer = row.integer(at: columns.noAnswer) == 1
        operationName = text(columns.operationName)
        method = text(columns.method)
        requestID = row.string(at: columns.requestID)?.lowercased()
        clientRequestID = row.string(at: columns.clientRequestID)?.lowercased()
        correlationID = row.string(at: columns.correlationID)?.lowercased()
        tokenFingerprint = row.string(at: columns.tokenFingerprint)
        tokenIssuedAt = row.time(at: columns.tokenIssuedAt)
        caller = row.string(at: columns.caller)
        policyDenial = PolicyDenial(json: row.string(at: columns.policyDenial))
        let errorText = [code, message, detail, errorCodes, marker].compactMap { $0 }.joined(separator: " ").lowercased()
        lowercasedErrorText = interner?.intern(errorText) ?? errorText
        let source = row.string(at: columns.source) ?? "?"
        evidence = EvidenceReference(source: interner?.intern(source) ?? source, line: row.integer(at: columns.line).map(Int.init),
                                     recordID: recordID)
    }

    /// A short name for what failed: the code, else the state or marker, else the HTTP status.
    public var what: String {
        code ?? marker ?? state.map { "node \($0)" } ?? status.map { "HTTP \($0)" } ?? (noAnswer ? "no answer" : kind)
    }

    /// True for records of a Batch compute node or task (or the node agent's log).
    var isBatchNodeFailure: Bool {
        ["azure:batch:task", "azure:batch:node", "azure:batch:agent-log-line", "azure:batch:diagnostic-event"].contains(kind)
    }

    var isIMDS: Bool { kind == "azure:imds:token-request" || kind == "azure:imds:token-response" }

    /// True for storage operations that write (PutBlob, AppendBlock, CopyBlob, DeleteBlob...).
    var isStorageWrite: Bool {
        let operation = (operationName ?? "").lowercased()
        return ["put", "append", "copy", "set", "delete", "create", "write"].contains { operation.hasPrefix($0) }
    }

    /// Loads every failure of the store, without the agent log noise of a normal start.
    static func all(in store: any EvidenceReader) throws -> [Failure] {
        // Row by row: the rows of a million failures and their failures need not be in memory at once.
        var failures: [Failure] = []
        let interner = StringInterner()
        try store.forEachFailure(ofQuery: "failure_records", interner: interner) { failures.append($0) }
        removeNormalStarts(&failures)
        return failures
    }

    /// A node logs `TvmJoinPoolInProgress` for a while on every start: only a node that keeps
    /// logging it for longer than `normalJoin` is stuck.
    static let normalJoin: Int64 = 5 * 60 * 1000

    /// Removes the lines of normal starts, in place: no second array of a million failures.
    static func removeNormalStarts(_ failures: inout [Failure]) {
        var spans: [String: (Timestamp, Timestamp)] = [:]
        for failure in failures where failure.marker == "TvmJoinPoolInProgress" {
            guard let time = failure.time else { continue }
            let key = failure.node ?? failure.evidence.source
            let span = spans[key] ?? (time, time)
            spans[key] = (min(span.0, time), max(span.1, time))
        }
        guard !spans.isEmpty else { return }
        failures.removeAll { failure in
            guard failure.marker == "TvmJoinPoolInProgress", let span = spans[failure.node ?? failure.evidence.source] else { return false }
            return span.1.millisecondsSince1970 - span.0.millisecondsSince1970 <= normalJoin
        }
    }
}

/// One copy of each text: failures of one store repeat the same few nodes, identities, messages and sources.
final class StringInterner {
    private var texts: Set<String> = []

    func intern(_ text: String?) -> String? {
        guard let text else { return nil }
        return intern(text)
    }

    func intern(_ text: String) -> String {
        texts.insert(text).memberAfterInsert
    }

    /// The last text interned for each column: rows in time order repeat their neighbours' node, kind and message,
    /// and comparing with the last one costs less than hashing.
    private var lastByColumn: [String?] = []

    /// `intern(text)`, for the text of a column (its position in the query's rows).
    func intern(_ text: String?, column: Int) -> String? {
        guard let text else { return nil }
        if column < lastByColumn.count {
            if let last = lastByColumn[column], last == text { return last }
        } else {
            lastByColumn += Array(repeating: nil, count: column + 1 - lastByColumn.count)
        }
        let interned = intern(text)
        lastByColumn[column] = interned
        return interned
    }
}
