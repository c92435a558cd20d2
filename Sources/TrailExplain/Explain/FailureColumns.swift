import TrailModel
import TrailStore

/// Where each column a `Failure` reads sits in a query's rows, looked up once per query: a store of a million
/// failures would otherwise look up each of some forty names in every row.
struct FailureColumns {
    let recordID, time, kind, code, status, message, detail, errorCodes, state, marker: Int?
    let node, pool, job, task, account, principalID, clientID, identityResourceID, tokenAudience, tokenExpiresAt: Int?
    let scope, action, targetResource, url, resource, container, containerURL, autoStorageContainer: Int?
    let metadataHeader, noAnswer, operationName, method, requestID, clientRequestID, correlationID: Int?
    let tokenFingerprint, tokenIssuedAt, caller, policyDenial, source, line: Int?
    /// The positions these were looked up in (the rows of one query share them).
    let positions: ColumnPositions

    init(_ positions: ColumnPositions) {
        self.positions = positions
        recordID = positions["record_id"]; time = positions["time"]; kind = positions["kind"]; code = positions["code"]
        status = positions["status"]; message = positions["message"]; detail = positions["detail"]
        errorCodes = positions["error_codes"]; state = positions["state"]; marker = positions["marker"]
        node = positions["node"]; pool = positions["pool"]; job = positions["job"]; task = positions["task"]
        account = positions["account"]; principalID = positions["principal_id"]; clientID = positions["client_id"]
        identityResourceID = positions["identity_resource_id"]; tokenAudience = positions["token_audience"]
        tokenExpiresAt = positions["token_expires_at"]; scope = positions["scope"]; action = positions["action"]
        targetResource = positions["target_resource"]; url = positions["url"]; resource = positions["resource"]
        container = positions["container"]; containerURL = positions["container_url"]
        autoStorageContainer = positions["autostorage_container"]; metadataHeader = positions["metadata_header"]
        noAnswer = positions["no_answer"]; operationName = positions["operation_name"]; method = positions["method"]
        requestID = positions["request_id"]; clientRequestID = positions["client_request_id"]
        correlationID = positions["correlation_id"]; tokenFingerprint = positions["token_fingerprint"]
        tokenIssuedAt = positions["token_issued_at"]; caller = positions["caller"]; policyDenial = positions["policy_denial"]
        source = positions["source"]; line = positions["line"]
    }

    /// The positions for a row: these when the row is of the query they were looked up for, else the row's own.
    func matching(_ row: EvidenceRow) -> FailureColumns {
        row.columns === positions ? self : FailureColumns(row.columns)
    }
}

extension EvidenceReader {
    /// Each row of a named query as a failure, the columns looked up once.
    func forEachFailure(ofQuery name: String, interner: StringInterner?, _ body: (Failure) throws -> Void) throws {
        var columns: FailureColumns?
        try forEachRow(ofQuery: name) { row in
            let known = columns?.matching(row) ?? FailureColumns(row.columns)
            columns = known
            try body(Failure(row, columns: known, interner: interner))
        }
    }

    /// Every row of a named query as a failure.
    func failures(ofQuery name: String) throws -> [Failure] {
        var failures: [Failure] = []
        try forEachFailure(ofQuery: name, interner: nil) { failures.append($0) }
        return failures
    }
}
