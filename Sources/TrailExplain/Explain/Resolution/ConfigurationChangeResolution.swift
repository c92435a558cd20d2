import TrailModel

/// `.configurationChange` and `.identityAttachedToPool`: the first snapshot after the last failure that shows the
/// fix. A snapshot only bounds the change (it was made before the snapshot was taken): when the Activity Log holds
/// the write that made it (a succeeded `Microsoft.Batch/batchAccounts/write` or `.../pools/write` of the same
/// resource, after the last failure and no later than the snapshot), the change is dated by that write.
enum ConfigurationChangeResolution {
    static let accountWrite = "microsoft.batch/batchaccounts/write"
    static let poolWrite = "microsoft.batch/batchaccounts/pools/write"

    /// The first account snapshot after `time` with a node identity reference (or without managed identity autostorage).
    static func nodeIdentityReferenceSet(after time: Timestamp, in context: ExplainContext) -> Resolution? {
        for name in Set(context.configuration.accounts.map(\.name)).sorted() {
            for account in context.configuration.accounts(named: name, after: time) {
                let change: String
                if let reference = account.nodeIdentityReference {
                    change = "node identity reference of \(account.name) set to \(lastSegment(reference) ?? reference)"
                } else if !account.usesManagedIdentityForAutoStorage {
                    change = "autostorage of \(account.name) switched to \(account.autoStorageMode ?? "storage keys")"
                } else {
                    continue
                }
                return dated(change, snapshotAt: account.observedAt, snapshot: account.evidence, after: time, context: context) { operation in
                    operation.isOperation(accountWrite) && operation.targets(id: account.resourceID, name: account.name)
                }
            }
        }
        return nil
    }

    /// The first pool snapshot after `time` whose identities include the identity (or an account reference changed to one of them).
    static func identityAttachedToPool(_ episode: Episode, after time: Timestamp, in context: ExplainContext) -> Resolution? {
        guard let reference = episode.diagnosis.identity.resourceID, let poolName = episode.firstRecord?.pool else { return nil }
        let name = lastSegment(reference) ?? reference
        if let pool = context.configuration.pools(named: poolName, after: time).first(where: { $0.hasIdentity(reference) }) {
            return dated("\(name) added to pool \(pool.name)'s identities", snapshotAt: pool.observedAt, snapshot: pool.evidence,
                         after: time, context: context) { operation in
                operation.isOperation(poolWrite) && operation.targets(id: pool.resourceID, name: pool.name)
            }
        }
        for accountName in Set(context.configuration.accounts.map(\.name)).sorted() {
            let pool = context.configuration.pool(named: poolName, account: accountName, at: nil)
            if let account = context.configuration.accounts(named: accountName, after: time).first(where: { account in
                account.nodeIdentityReference.map { ref in ARMScope(ref) != ARMScope(reference) && (pool?.hasIdentity(ref) ?? false) } ?? false
            }) {
                return dated("node identity reference of \(account.name) changed to an identity of the pool", snapshotAt: account.observedAt,
                             snapshot: account.evidence, after: time, context: context) { operation in
                    operation.isOperation(accountWrite) && operation.targets(id: account.resourceID, name: account.name)
                }
            }
        }
        return nil
    }

    /// The change as the snapshot shows it, dated by the last matching Activity Log write between `time` and the
    /// snapshot when there is one, else by the snapshot.
    static func dated(_ change: String, snapshotAt: Timestamp?, snapshot: EvidenceReference, after time: Timestamp, context: ExplainContext,
                      write matches: (Failure) -> Bool) -> Resolution {
        let seen = "seen in a snapshot at \(snapshotAt.map(\.iso8601) ?? "?")"
        guard let snapshotAt, let (write, count) = context.successfulOperations.last(after: time, through: snapshotAt, where: matches) else {
            return Resolution(at: snapshotAt, by: "\(change) (\(seen))", evidence: snapshot)
        }
        let which = count > 1 ? "the last of \(count) writes" : "the write"
        return Resolution(at: write.time, by: "\(change): \(which) \(write.operationName ?? "") in the Activity Log"
                              + (write.caller.map { " by \($0)" } ?? "") + " (\(seen))",
                          evidence: write.evidence)
    }
}
