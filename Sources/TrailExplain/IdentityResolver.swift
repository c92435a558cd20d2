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
        resolve(try IdentitySightings(store: store))
    }

    static func resolve(_ rows: [EvidenceRow]) -> [ResolvedIdentity] {
        resolve(IdentitySightings(rows))
    }

    /// Works on each distinct way a sighting names an identity (its shape) once, in the order of its first sighting,
    /// which gives what working on every sighting in order gives: the first IDs, generations and resources in the
    /// order first seen, times spanning every sighting; then each sighting's record, in order, as evidence.
    static func resolve(_ sightings: IdentitySightings) -> [ResolvedIdentity] {
        // 1. Client and principal IDs seen together belong to one generation (they are created together).
        var links = UnionFind()
        for folded in sightings.folded {
            let ids = ["c:" + (folded.shape.clientID ?? ""), "p:" + (folded.shape.principalID ?? "")].filter { $0.count > 2 }
            ids.forEach { links.add($0) }
            if ids.count == 2 { links.union(ids[0], ids[1]) }
        }
        // 2. Gather generations, and which resource IDs each was seen with.
        var generations: [ResolvedIdentity.Generation] = []
        var generationRoots: [String: Int] = [:]
        var generationOfShape: [Int?] = []
        var resourcesByGeneration: [Int: Set<String>] = [:]
        var resourceDisplay: [String: String] = [:]
        var resourceOrder: [String] = []
        var attachmentsByResource: [String: [ResolvedIdentity.Attachment]] = [:]
        var attachmentsByGeneration: [Int: [ResolvedIdentity.Attachment]] = [:]
        var systemAssigned: Set<Int> = []
        let scopes = ScopeParser()
        for folded in sightings.folded {
            let shape = folded.shape
            let resource = shape.resourceID.map(scopes.normalized)
            if let resource, resourceDisplay[resource] == nil {
                resourceDisplay[resource] = shape.resourceID
                resourceOrder.append(resource)
            }
            let attachment = shape.attachedKind.flatMap { kind in
                shape.attachedTo.map { ResolvedIdentity.Attachment(kind: kind, target: $0, firstSeen: folded.firstSeen, lastSeen: folded.lastSeen) }
            }
            let member = shape.clientID.map { "c:" + $0 } ?? shape.principalID.map { "p:" + $0 }
            guard let member, let root = links.root(of: member) else {
                if let resource, let attachment { attachmentsByResource[resource, default: []].append(attachment) }
                generationOfShape.append(nil)
                continue
            }
            let generation = generationRoots[root] ?? generations.count
            if generation == generations.count {
                generationRoots[root] = generation
                generations.append(ResolvedIdentity.Generation())
            }
            generationOfShape.append(generation)
            generations[generation].absorb(folded)
            if let resource { resourcesByGeneration[generation, default: []].insert(resource) }
            if let attachment {
                if let resource { attachmentsByResource[resource, default: []].append(attachment) }
                else { attachmentsByGeneration[generation, default: []].append(attachment) }
            }
            if shape.identityKind == "system-assigned" { systemAssigned.insert(generation) }
        }
        for record in sightings.records {
            if let generation = generationOfShape[record.shape] { generations[generation].evidence.append(record.evidence) }
        }
        // 3. An identity per resource ID, with its generations in time order; then identities known only by IDs.
        var identities: [ResolvedIdentity] = []
        var placed: Set<Int> = []
        for resource in resourceOrder {
            let members = generations.indices.filter { resourcesByGeneration[$0]?.contains(resource) == true }
            placed.formUnion(members)
            identities.append(ResolvedIdentity(
                resourceID: resourceDisplay[resource], kind: .userAssigned,
                generations: members.map { generations[$0] }.sorted { ($0.firstSeen ?? .distantPast) < ($1.firstSeen ?? .distantPast) },
                attachments: merge((attachmentsByResource[resource] ?? []) + members.flatMap { attachmentsByGeneration[$0] ?? [] })))
        }
        for generation in generations.indices where !placed.contains(generation) {
            identities.append(ResolvedIdentity(
                resourceID: nil, kind: systemAssigned.contains(generation) ? .systemAssigned : .unknown,
                generations: [generations[generation]], attachments: merge(attachmentsByGeneration[generation] ?? [])))
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
    /// Takes a folded sighting's IDs where this generation has none yet, and its span of times (not its records).
    mutating func absorb(_ folded: IdentitySightings.Folded) {
        clientID = clientID ?? folded.shape.clientID
        principalID = principalID ?? folded.shape.principalID
        tenantID = tenantID ?? folded.shape.tenantID
        if let first = folded.firstSeen, let last = folded.lastSeen {
            firstSeen = min(firstSeen ?? first, first)
            lastSeen = max(lastSeen ?? last, last)
        }
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
