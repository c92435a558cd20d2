import Foundation
import TrailModel
import TrailStore

/// A Batch account's configuration as one snapshot shows it.
public struct AccountConfiguration: Sendable {
    public var name: String
    public var resourceID: String?
    /// The account's system-assigned identity, when it has one.
    public var systemPrincipalID: String?
    public var userAssignedIdentities: [IdentityEntry]
    public var autoStorageAccountID: String?
    /// `StorageKeys` or `BatchAccountManagedIdentity`.
    public var autoStorageMode: String?
    /// The user-assigned identity compute nodes use to reach autostorage.
    public var nodeIdentityReference: String?
    public var poolAllocationMode: String?
    public var keyVaultID: String?
    public var observedAt: Timestamp?
    public var evidence: EvidenceReference

    public var usesManagedIdentityForAutoStorage: Bool {
        autoStorageMode?.lowercased() == "batchaccountmanagedidentity"
    }
}

/// A pool's configuration as one snapshot shows it.
public struct PoolConfiguration: Sendable {
    public var name: String
    public var account: String?
    public var resourceID: String?
    public var identities: [IdentityEntry]
    public var applicationPackages: String?
    public var observedAt: Timestamp?
    public var evidence: EvidenceReference

    /// Whether `resourceID` is one of the pool's user-assigned identities (case-insensitive).
    public func hasIdentity(_ resourceID: String) -> Bool {
        // The same text (but for case) is the common answer: no need to split the IDs for it.
        if identities.contains(where: { sameASCIIIgnoringCase($0.resourceID, resourceID) }) { return true }
        let wanted = ARMScope(resourceID)
        return identities.contains { ARMScope($0.resourceID) == wanted }
    }
}

/// A user-assigned identity as an account or pool lists it.
public struct IdentityEntry: Sendable, Hashable {
    public var resourceID: String
    public var principalID: String?
    public var clientID: String?
}

/// Every account and pool snapshot, to ask what was configured at a given time.
public struct BatchConfiguration: Sendable {
    public var accounts: [AccountConfiguration] = []
    public var pools: [PoolConfiguration] = []

    public init(store: any EvidenceReader) throws {
        for row in try store.rows(ofQuery: "configuration_snapshots") {
            let identities = Self.identities(row.string("user_assigned_identities"))
            if row.string("kind") == "azure:batch:account" {
                accounts.append(AccountConfiguration(
                    name: row.string("account") ?? "?", resourceID: row.string("account_resource_id"),
                    systemPrincipalID: row.string("principal_id"), userAssignedIdentities: identities,
                    autoStorageAccountID: row.string("autostorage_account_id"), autoStorageMode: row.string("autostorage_mode"),
                    nodeIdentityReference: row.string("node_identity_reference"), poolAllocationMode: row.string("pool_allocation_mode"),
                    keyVaultID: row.string("key_vault_id"), observedAt: row.time("time"), evidence: row.evidence))
            } else {
                pools.append(PoolConfiguration(
                    name: row.string("pool") ?? "?", account: row.string("account"), resourceID: row.string("pool_resource_id"),
                    identities: identities, applicationPackages: row.string("application_packages"),
                    observedAt: row.time("time"), evidence: row.evidence))
            }
        }
    }

    /// The account in force at `time`: the latest snapshot at or before it, else the first after it.
    /// With no name, the only account in the evidence (if there is one).
    public func account(named name: String?, at time: Timestamp?) -> AccountConfiguration? {
        let candidates = name.map { name in accounts.filter { $0.name.lowercased() == name.lowercased() } }
            ?? (Set(accounts.map { $0.name.lowercased() }).count == 1 ? accounts : [])
        return Self.inForce(candidates, at: time, \.observedAt)
    }

    /// The pool in force at `time`, by name (and account when known).
    public func pool(named name: String?, account: String?, at time: Timestamp?) -> PoolConfiguration? {
        guard let name else { return Set(pools.map { $0.name.lowercased() }).count == 1 ? Self.inForce(pools, at: time, \.observedAt) : nil }
        let candidates = pools.filter { pool in
            pool.name.lowercased() == name.lowercased() && (account == nil || pool.account == nil || pool.account?.lowercased() == account?.lowercased())
        }
        return Self.inForce(candidates, at: time, \.observedAt)
    }

    /// The first snapshot after `time` of the same account, for finding what changed.
    public func accounts(named name: String, after time: Timestamp) -> [AccountConfiguration] {
        accounts.filter { $0.name.lowercased() == name.lowercased() && ($0.observedAt.map { $0 > time } ?? false) }
    }

    public func pools(named name: String, after time: Timestamp) -> [PoolConfiguration] {
        pools.filter { $0.name.lowercased() == name.lowercased() && ($0.observedAt.map { $0 > time } ?? false) }
    }

    static func inForce<T>(_ snapshots: [T], at time: Timestamp?, _ observedAt: KeyPath<T, Timestamp?>) -> T? {
        guard let time else { return snapshots.last }
        return snapshots.last { ($0[keyPath: observedAt] ?? time) <= time } ?? snapshots.first
    }

    static func identities(_ json: String?) -> [IdentityEntry] {
        guard let json, let data = json.data(using: .utf8), let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            return []
        }
        return list.compactMap { item in
            guard let resourceID = item["identityResourceId"] as? String else { return nil }
            return IdentityEntry(resourceID: resourceID, principalID: (item["principalId"] as? String)?.lowercased(),
                                 clientID: (item["clientId"] as? String)?.lowercased())
        }
    }
}

/// Whether two texts are the same but for the case of ASCII letters (ARM IDs), byte by byte.
func sameASCIIIgnoringCase(_ first: String, _ second: String) -> Bool {
    guard first.utf8.count == second.utf8.count else { return false }
    return zip(first.utf8, second.utf8).allSatisfy { a, b in
        a == b || (a | 0x20 == b | 0x20 && (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(a | 0x20))
    }
}
