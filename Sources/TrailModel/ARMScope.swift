/// An Azure Resource Manager scope or resource ID, compared the way Azure RBAC compares them:
/// case-insensitively and segment by segment.
///
/// `/subscriptions/S` contains `/subscriptions/S/resourceGroups/RG/providers/...` but not
/// `/subscriptions/S2`; a storage account contains its `blobServices/default/containers/NAME`.
public struct ARMScope: Hashable, Sendable, CustomStringConvertible {
    public enum Level: String, Sendable {
        case root, managementGroup = "management-group", subscription, resourceGroup = "resource-group", resource
    }

    /// How one scope relates to another.
    public enum Relation: Equatable, Sendable {
        /// The scope is the other one or one of its ancestors: an assignment here applies there.
        case containsOrEqual
        /// The scopes are in different branches, or this one is below the other.
        case unrelated
        /// The answer depends on which subscriptions sit under a management group, which the evidence does not say.
        case dependsOnManagementGroup
    }

    /// The scope as it was written, for display.
    public let original: String
    /// Lower-cased segments, without empty ones: the form used for matching.
    public let segments: [String]

    public init(_ text: String) {
        original = text
        segments = text.lowercased().split(separator: "/").map(String.init)
    }

    public var normalized: String { "/" + segments.joined(separator: "/") }
    public var description: String { original }

    public static func == (lhs: ARMScope, rhs: ARMScope) -> Bool { lhs.segments == rhs.segments }
    public func hash(into hasher: inout Hasher) { hasher.combine(segments) }

    public var level: Level {
        if segments.isEmpty { return .root }
        if segments.count >= 4, segments[0] == "providers", segments[1] == "microsoft.management", segments[2] == "managementgroups" {
            return .managementGroup
        }
        guard segments.first == "subscriptions" else { return .resource }
        switch segments.count {
        case ...2: return .subscription
        case 3...4 where segments[2] == "resourcegroups": return .resourceGroup
        default: return .resource
        }
    }

    /// The subscription ID, lower-cased, when the scope is inside a subscription.
    public var subscriptionID: String? {
        segments.count >= 2 && segments[0] == "subscriptions" ? segments[1] : nil
    }

    /// The resource group name, lower-cased, when the scope is inside one.
    public var resourceGroup: String? {
        segments.count >= 4 && segments[0] == "subscriptions" && segments[2] == "resourcegroups" ? segments[3] : nil
    }

    /// The last segment (a resource's name, a GUID of a role definition ID).
    public var lastSegment: String? { segments.last }

    /// The scope cut after the resource `TYPE/NAME` of a provider namespace, e.g. the storage account
    /// of a container (`resourceScope(namespace: "microsoft.storage", type: "storageaccounts")`).
    public func resourceScope(namespace: String, type: String) -> ARMScope? {
        guard let providers = segments.indices.first(where: {
            segments[$0] == "providers" && $0 + 3 < segments.count
                && segments[$0 + 1] == namespace.lowercased() && segments[$0 + 2] == type.lowercased()
        }) else { return nil }
        let written = original.split(separator: "/").map(String.init)
        let kept = written.count == segments.count ? written : segments
        return ARMScope("/" + kept[...(providers + 3)].joined(separator: "/"))
    }

    /// Whether an assignment at this scope applies at `other`.
    public func relation(to other: ARMScope) -> Relation {
        if level == .managementGroup && other.level != .managementGroup && other.level != .root {
            return .dependsOnManagementGroup
        }
        guard segments.count <= other.segments.count else { return .unrelated }
        return zip(segments, other.segments).allSatisfy(==) ? .containsOrEqual : .unrelated
    }

    public func contains(_ other: ARMScope) -> Bool {
        relation(to: other) == .containsOrEqual
    }
}
