import TrailModel
import TrailStore

/// A managed identity (or another principal) as the evidence shows it over time.
public struct ResolvedIdentity: Sendable {
    public enum Kind: String, Sendable {
        case userAssigned = "user-assigned"
        case systemAssigned = "system-assigned"
        case unknown
    }

    /// One incarnation: a user-assigned identity deleted and re-created under the same name is two
    /// generations with different client and principal IDs.
    public struct Generation: Sendable {
        public var clientID: String?
        public var principalID: String?
        public var tenantID: String?
        public var firstSeen: Timestamp?
        public var lastSeen: Timestamp?
        public var evidence: [EvidenceReference] = []
    }

    /// Where the identity was attached (a pool's identity list, an account's node identity reference ...).
    public struct Attachment: Sendable, Hashable {
        public var kind: String
        public var target: String
        public var firstSeen: Timestamp?
        public var lastSeen: Timestamp?
    }

    /// The ARM resource ID as first written (user-assigned identities).
    public var resourceID: String?
    public var kind: Kind
    public var generations: [Generation]
    public var attachments: [Attachment]

    /// The resource's name (the last segment of its ID), else the principal or client ID.
    public var name: String {
        if let resourceID { return resourceID.split(separator: "/").last.map(String.init) ?? resourceID }
        return generations.first?.principalID ?? generations.first?.clientID ?? "?"
    }

    public var principalIDs: [String] { generations.compactMap(\.principalID) }

    /// The generation in use at `time`: the one whose sightings span it, else the latest one seen before it.
    public func generation(at time: Timestamp) -> Generation? {
        if let spanning = generations.first(where: { ($0.firstSeen ?? time) <= time && time <= ($0.lastSeen ?? time) }) { return spanning }
        return generations.filter { ($0.firstSeen ?? time) <= time }.max { ($0.lastSeen ?? time) < ($1.lastSeen ?? time) } ?? generations.first
    }

    /// True when `text` names this identity: its resource ID or name, a client ID or a principal ID (any case).
    public func matches(_ text: String) -> Bool {
        let needle = text.lowercased()
        if let resourceID, resourceID.lowercased() == needle || name.lowercased() == needle { return true }
        return generations.contains { $0.clientID == needle || $0.principalID == needle }
    }
}

/// Merges sightings of identity IDs into identities, keyed by resource, client and principal ID, time-aware.
public enum IdentityResolver {
    public static func resolve(store: any EvidenceReader) throws -> [ResolvedIdentity] {
        resolve(try store.rows(ofQuery: "identity_observations"))
    }

    static func resolve(_ rows: [EvidenceRow]) -> [ResolvedIdentity] {
        // 1. Client and principal IDs seen together belong to one generation (they are created together).
        var links = UnionFind()
        for row in rows {
            let ids = ["c:" + (row.string("client_id") ?? ""), "p:" + (row.string("principal_id") ?? "")].filter { $0.count > 2 }
            ids.forEach { links.add($0) }
            if ids.count == 2 { links.union(ids[0], ids[1]) }
        }
        // 2. Gather generations, and which resource IDs each was seen with.
        var generations: [String: ResolvedIdentity.Generation] = [:]
        var generationOrder: [String] = []
        var resourcesByGeneration: [String: Set<String>] = [:]
        var resourceDisplay: [String: String] = [:]
        var resourceOrder: [String] = []
        var attachmentsByResource: [String: [ResolvedIdentity.Attachment]] = [:]
        var attachmentsByGeneration: [String: [ResolvedIdentity.Attachment]] = [:]
        var systemAssigned: Set<String> = []
        // Thousands of sightings name the same few resource IDs: each is normalized once.
        let scopes = ScopeParser()
        for row in rows {
            let time = row.time("time")
            let resource = row.string("resource_id").map(scopes.normalized)
            if let resource, resourceDisplay[resource] == nil {
                resourceDisplay[resource] = row.string("resource_id")
                resourceOrder.append(resource)
            }
            let attachment = row.string("attached_kind").flatMap { kind in
                row.string("attached_to").map { ResolvedIdentity.Attachment(kind: kind, target: $0, firstSeen: time, lastSeen: time) }
            }
            let member = row.string("client_id").map { "c:" + $0 } ?? row.string("principal_id").map { "p:" + $0 }
            guard let member, let root = links.root(of: member) else {
                if let resource, let attachment { attachmentsByResource[resource, default: []].append(attachment) }
                continue
            }
            if generations[root] == nil {
                generations[root] = ResolvedIdentity.Generation()
                generationOrder.append(root)
            }
            generations[root]?.absorb(row, time: time)
            if let resource { resourcesByGeneration[root, default: []].insert(resource) }
            if let attachment {
                if let resource { attachmentsByResource[resource, default: []].append(attachment) }
                else { attachmentsByGeneration[root, default: []].append(attachment) }
            }
            if row.string("identity_kind") == "system-assigned" { systemAssigned.insert(root) }
        }
        // 3. An identity per resource ID, with its generations in time order; then identities known only by IDs.
        var identities: [ResolvedIdentity] = []
        var placed: Set<String> = []
        for resource in resourceOrder {
            let roots = generationOrder.filter { resourcesByGeneration[$0]?.contains(resource) == true }
            placed.formUnion(roots)
            identities.append(ResolvedIdentity(
                resourceID: resourceDisplay[resource], kind: .userAssigned,
                generations: roots.compactMap { generations[$0] }.sorted { ($0.firstSeen ?? .distantPast) < ($1.firstSeen ?? .distantPast) },
                attachments: merge((attachmentsByResource[resource] ?? []) + roots.flatMap { attachmentsByGeneration[$0] ?? [] })))
        }
        for root in generationOrder where !placed.contains(root) {
            guard let generation = generations[root] else { continue }
            identities.append(ResolvedIdentity(
                resourceID: nil, kind: systemAssigned.contains(root) ? .systemAssigned : .unknown,
                generations: [generation], attachments: merge(attachmentsByGeneration[root] ?? [])))
        }
        return identities
    }

    /// One attachment per kind and target, spanning every sighting.
    static func merge(_ attachments: [ResolvedIdentity.Attachment]) -> [ResolvedIdentity.Attachment] {
        var merged: [ResolvedIdentity.Attachment] = []
        // Position in `merged` by kind and lower-case target: an identity seen in a million failures has as many sightings.
        var positions: [String: Int] = [:]
        for attachment in attachments {
            let key = attachment.kind + "\u{0}" + attachment.target.lowercased()
            if let index = positions[key] {
                merged[index].firstSeen = [merged[index].firstSeen, attachment.firstSeen].compactMap { $0 }.min()
                merged[index].lastSeen = [merged[index].lastSeen, attachment.lastSeen].compactMap { $0 }.max()
            } else {
                positions[key] = merged.count
                merged.append(attachment)
            }
        }
        return merged
    }
}

extension ResolvedIdentity.Generation {
    mutating func absorb(_ row: EvidenceRow, time: Timestamp?) {
        clientID = clientID ?? row.string("client_id")
        principalID = principalID ?? row.string("principal_id")
        tenantID = tenantID ?? row.string("tenant_id")
        if let time {
            firstSeen = min(firstSeen ?? time, time)
            lastSeen = max(lastSeen ?? time, time)
        }
        evidence.append(row.evidence)
    }
}

extension Timestamp {
    static let distantPast = Timestamp(millisecondsSince1970: .min)
}

/// Disjoint sets of strings, for linking IDs seen together.
struct UnionFind {
    private var parent: [String: String] = [:]

    mutating func add(_ item: String) {
        if parent[item] == nil { parent[item] = item }
    }

    func root(of item: String) -> String? {
        guard var current = parent[item] else { return nil }
        while let next = parent[current], next != current { current = next }
        return current
    }

    mutating func union(_ first: String, _ second: String) {
        guard let a = root(of: first), let b = root(of: second), a != b else { return }
        parent[max(a, b)] = min(a, b)
    }
}
