import TrailModel
import TrailStore

/// Requests and operations that succeeded, other than IMDS token requests (the named query
/// `successful_operations`): HTTP 2xx exchanges, StorageBlobLogs 2xx and succeeded Activity Log operations,
/// in time order. They show a fix working (a call that succeeds after a fresh token, an account created once
/// Batch may use its vault), date a configuration change (the Activity Log write), and answer a bearer challenge.
struct SuccessfulOperations: Sendable {
    let all: [Failure]

    init(_ records: [Failure]) {
        // The query orders by time; a time it orders differently than explain (none, or odd text) goes first.
        all = zip(records, records.dropFirst()).allSatisfy { ($0.time ?? .distantPast) <= ($1.time ?? .distantPast) }
            ? records : records.sorted { ($0.time ?? .distantPast) < ($1.time ?? .distantPast) }
    }

    init(store: any EvidenceReader) throws {
        self.init(try store.failures(ofQuery: "successful_operations"))
    }

    /// The first operation after `time` (no later than `limit` when given) that `matches`.
    func first(after time: Timestamp, until limit: Timestamp? = nil, where matches: (Failure) -> Bool) -> Failure? {
        let start = ExplainContext.firstIndex(in: all.count, after: time) { all[$0].time ?? .distantPast }
        for operation in all[start...] {
            if let limit, let at = operation.time, at > limit { return nil }
            if matches(operation) { return operation }
        }
        return nil
    }

    /// The last operation after `start` and at or before `end` that `matches`, with how many matched.
    func last(after start: Timestamp, through end: Timestamp, where matches: (Failure) -> Bool) -> (operation: Failure, count: Int)? {
        let from = ExplainContext.firstIndex(in: all.count, after: start) { all[$0].time ?? .distantPast }
        var found: (Failure, Int)?
        for operation in all[from...] {
            guard let at = operation.time, at <= end else { break }
            if matches(operation) { found = (operation, (found?.1 ?? 0) + 1) }
        }
        return found.map { ($0.0, $0.1) }
    }
}

extension Failure {
    /// The operation name compared without case (`microsoft.batch/batchaccounts/write`).
    func isOperation(_ lowercasedName: String) -> Bool {
        operationName?.lowercased() == lowercasedName
    }

    /// The resource an operation or request was about names `name` as its last segment, or is `id` (ARM IDs).
    func targets(id: String?, name: String?) -> Bool {
        guard let target = targetResource else { return false }
        if let id, ARMScope(target) == ARMScope(id) { return true }
        guard let name, let last = lastSegment(target) else { return false }
        return last.lowercased() == name.lowercased()
    }
}
