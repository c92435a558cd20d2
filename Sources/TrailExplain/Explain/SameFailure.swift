import TrailModel

/// One failure seen through several records counts once, with every record as its evidence:
///
/// - the same service request ID (`x-ms-request-id`, which StorageBlobLogs keeps as `CorrelationId`): an SDK
///   exception and the storage log record of the same request, an error body and its exchange;
/// - the same client request ID (`x-ms-client-request-id`) or ARM correlation ID (`x-ms-correlation-request-id`,
///   the Activity Log's `correlationId`) and status in two sources, within a minute (an SDK keeps the client ID
///   across its retries and a deployment's operations share a correlation ID, so records of one source with the
///   same ID stay separate attempts);
/// - for token requests, the same node, status and resource in two sources within a second: a client's log line
///   and the IMDS capture of the same request.
///
/// The failure kept is the structured record (a capture or an error body rather than a log line), completed with
/// what the other record adds (the identity a storage log names, say), at the earlier of the two times.
enum SameFailure {
    /// How far apart two records of one token request may be (clocks and logging differ by a little).
    static let tokenRequestTolerance: Int64 = 1_000
    static let clientRequestTolerance: Int64 = 60_000

    /// The failures in the same order, each seen once (`alsoSeenIn` holds the other records).
    static func merged(_ failures: [Failure]) -> [Failure] {
        var failures = failures
        merge(&failures)
        return failures
    }

    /// Merges in place, keeping the order: no second array of a million failures.
    static func merge(_ failures: inout [Failure]) {
        var kept = 0
        var byRequestID: [String: Int] = [:]
        var byClientRequestID: [String: Int] = [:]
        var byCorrelationID: [String: Int] = [:]
        /// Token request failures by second, then source: only other sources are compared (and with a single
        /// source of them, none is).
        var tokenRequestsBySecond: [Int64: [String: [Int]]] = [:]
        var tokenRequestSources = Set<String>()
        for failure in failures where failure.isTokenRequestFailure {
            tokenRequestSources.insert(failure.evidence.source)
            if tokenRequestSources.count > 1 { break }
        }
        let compareTokenRequests = tokenRequestSources.count > 1
        for position in failures.indices {
            let failure = failures[position]
            if let index = match(failure, in: failures, byRequestID: byRequestID, byClientRequestID: byClientRequestID,
                                 byCorrelationID: byCorrelationID, tokenRequestsBySecond: tokenRequestsBySecond) {
                failures[index] = combined(failures[index], failure)
                continue
            }
            let index = kept
            // Until the first merge every failure stays where it is: no copy onto itself.
            if index != position { failures[index] = failure }
            kept += 1
            if let id = failure.requestID { byRequestID[id] = index }
            if let id = failure.clientRequestID, byClientRequestID[id] == nil { byClientRequestID[id] = index }
            if let id = failure.correlationID, byCorrelationID[id] == nil { byCorrelationID[id] = index }
            if compareTokenRequests, failure.isTokenRequestFailure, let time = failure.time {
                tokenRequestsBySecond[time.millisecondsSince1970 / 1000, default: [:]][failure.evidence.source, default: []].append(index)
            }
        }
        failures.removeLast(failures.count - kept)
    }

    static func match(_ failure: Failure, in result: [Failure], byRequestID: [String: Int], byClientRequestID: [String: Int],
                      byCorrelationID: [String: Int], tokenRequestsBySecond: [Int64: [String: [Int]]]) -> Int? {
        if let id = failure.requestID, let index = byRequestID[id], sameStatus(result[index], failure) { return index }
        for (id, index) in [(failure.clientRequestID, failure.clientRequestID.flatMap { byClientRequestID[$0] }),
                            (failure.correlationID, failure.correlationID.flatMap { byCorrelationID[$0] })] {
            guard id != nil, let index, !seen(result[index], in: failure.evidence.source),
                  sameStatus(result[index], failure), within(clientRequestTolerance, result[index], failure) else { continue }
            return index
        }
        guard failure.isTokenRequestFailure, let time = failure.time else { return nil }
        let second = time.millisecondsSince1970 / 1000
        for bucket in [second - 1, second, second + 1] {
            for (source, indices) in tokenRequestsBySecond[bucket] ?? [:] where source != failure.evidence.source {
                if let index = indices.first(where: { !seen(result[$0], in: failure.evidence.source) && sameTokenRequest(result[$0], failure) }) {
                    return index
                }
            }
        }
        return nil
    }

    /// Whether one of the failure's records (it may already be two) comes from `source`: another record of that
    /// source is another request.
    static func seen(_ failure: Failure, in source: String) -> Bool {
        failure.evidence.source == source || failure.alsoSeenIn.contains { $0.source == source }
    }

    static func sameStatus(_ first: Failure, _ second: Failure) -> Bool {
        guard let a = first.status, let b = second.status else { return true }
        return a == b
    }

    static func within(_ tolerance: Int64, _ first: Failure, _ second: Failure) -> Bool {
        guard let a = first.time, let b = second.time else { return true }
        return abs(a.millisecondsSince1970 - b.millisecondsSince1970) <= tolerance
    }

    static func sameTokenRequest(_ first: Failure, _ second: Failure) -> Bool {
        guard within(tokenRequestTolerance, first, second), sameStatus(first, second) else { return false }
        if let a = first.node, let b = second.node, a != b { return false }
        if first.resource != nil, second.resource != nil, !sameResource(first.resource, second.resource) { return false }
        if first.status != nil && second.status != nil { return true }
        return first.code == nil || second.code == nil || first.code == second.code
    }

    /// The better of two records of one failure, completed with what the other says, at the earlier time.
    static func combined(_ kept: Failure, _ other: Failure) -> Failure {
        let otherIsBetter = kept.kind == "azure:identity:client-log-line" && other.kind != "azure:identity:client-log-line"
        var primary = otherIsBetter ? other : kept
        let secondary = otherIsBetter ? kept : other
        primary.time = [kept.time, other.time].compactMap { $0 }.min()
        primary.complete(from: secondary)
        primary.alsoSeenIn += [secondary.evidence] + secondary.alsoSeenIn
        return primary
    }
}

extension Failure {
    /// Fills what this record leaves unknown with what another record of the same failure says.
    mutating func complete(from other: Failure) {
        func fill<T>(_ path: WritableKeyPath<Failure, T?>) { if self[keyPath: path] == nil { self[keyPath: path] = other[keyPath: path] } }
        fill(\.code); fill(\.status); fill(\.message); fill(\.detail); fill(\.errorCodes)
        fill(\.node); fill(\.pool); fill(\.job); fill(\.task); fill(\.account)
        fill(\.principalID); fill(\.clientID); fill(\.identityResourceID)
        fill(\.tokenAudience); fill(\.tokenExpiresAt); fill(\.tokenFingerprint); fill(\.tokenIssuedAt)
        fill(\.scope); fill(\.action); fill(\.targetResource); fill(\.url); fill(\.resource); fill(\.container); fill(\.containerURL)
        fill(\.operationName); fill(\.method); fill(\.requestID); fill(\.clientRequestID); fill(\.correlationID); fill(\.caller); fill(\.policyDenial)
        lowercasedErrorText = [code, message, detail, errorCodes, marker].compactMap { $0 }.joined(separator: " ").lowercased()
    }
}
