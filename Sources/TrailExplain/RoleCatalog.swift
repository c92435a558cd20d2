import Foundation
import TrailModel
import TrailStore

/// A role definition: its name and what it allows.
public struct RoleDefinition: Hashable, Sendable {
    public var guid: String
    public var name: String
    public var isBuiltIn: Bool
    public var permissions: RolePermissions
    /// `builtin`, or the source path of the ingested definition.
    public var source: String
}

/// The role definitions known to the store: the built-in catalog (migration 0002) plus ingested ones.
public struct RoleCatalog: Sendable {
    public private(set) var byGUID: [String: RoleDefinition] = [:]
    private var byName: [String: RoleDefinition] = [:]

    public init(store: any EvidenceReader) throws {
        for row in try store.rows(ofQuery: "role_definitions_in_force") {
            guard let guid = row.string("role_definition_guid") else { continue }
            let definition = RoleDefinition(
                guid: guid, name: row.string("role_name") ?? guid, isBuiltIn: row.string("source") == "builtin",
                permissions: RolePermissions(
                    actions: Self.list(row.string("actions")), notActions: Self.list(row.string("not_actions")),
                    dataActions: Self.list(row.string("data_actions")), notDataActions: Self.list(row.string("not_data_actions"))),
                source: row.string("source") ?? "")
            // Rows come built-in first, then ingested ones by time: the latest evidence wins.
            byGUID[guid] = definition
            byName[definition.name.lowercased()] = definition
        }
    }

    public init(definitions: [RoleDefinition]) {
        for definition in definitions {
            byGUID[definition.guid.lowercased()] = definition
            byName[definition.name.lowercased()] = definition
        }
    }

    /// The definition by GUID (preferred) or by role name.
    public func role(guid: String?, name: String?) -> RoleDefinition? {
        // GUIDs from the history are lower case already: look them up as they are first.
        if let guid, let definition = byGUID[guid] ?? byGUID[guid.lowercased()] { return definition }
        if let name { return byName[name.lowercased()] }
        return nil
    }

    /// The built-in role with the fewest permissions that grants `action`: the least-privilege fix.
    public func leastPrivilegedRole(granting action: RequiredAction) -> RoleDefinition? {
        byGUID.values.filter { $0.isBuiltIn && $0.permissions.grants(action) }.min { lhs, rhs in
            (breadth(lhs), lhs.name) < (breadth(rhs), rhs.name)
        }
    }

    /// How much a role allows, roughly: wildcards count for many.
    private func breadth(_ role: RoleDefinition) -> Int {
        let patterns = role.permissions.actions + role.permissions.dataActions
        return patterns.reduce(0) { total, pattern in total + (pattern.pattern == "*" ? 10_000 : pattern.pattern.contains("*") ? 10 : 1) }
    }

    static func list(_ json: String?) -> [String] {
        guard let json, let data = json.data(using: .utf8),
              let array = try? JSONSerialization.jsonObject(with: data) as? [Any] else { return [] }
        return array.compactMap { $0 as? String }
    }
}
