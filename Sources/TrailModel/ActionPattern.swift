/// An RBAC action or data action pattern (`Microsoft.Storage/*/read`, `*`), matched case-insensitively;
/// `*` stands for any run of characters, `/` included.
public struct ActionPattern: Hashable, Sendable, CustomStringConvertible {
    public let pattern: String
    private let pieces: [String]

    public init(_ pattern: String) {
        self.pattern = pattern
        pieces = pattern.lowercased().split(separator: "*", omittingEmptySubsequences: false).map(String.init)
    }

    public var description: String { pattern }

    public func matches(_ action: String) -> Bool {
        var rest = Substring(action.lowercased())
        guard let first = pieces.first, rest.hasPrefix(first) else { return false }
        rest = rest.dropFirst(first.count)
        if pieces.count == 1 { return rest.isEmpty }
        for (index, piece) in pieces.enumerated().dropFirst() {
            if index == pieces.count - 1 { return piece.isEmpty || rest.hasSuffix(piece) }
            guard let found = rest.range(of: piece) else { return false }
            rest = rest[found.upperBound...]
        }
        return true
    }
}

/// The permissions of a role: what it allows on the control plane (`actions`) and on the data plane (`dataActions`).
public struct RolePermissions: Hashable, Sendable {
    public var actions: [ActionPattern]
    public var notActions: [ActionPattern]
    public var dataActions: [ActionPattern]
    public var notDataActions: [ActionPattern]

    public init(actions: [String] = [], notActions: [String] = [], dataActions: [String] = [], notDataActions: [String] = []) {
        self.actions = actions.map(ActionPattern.init)
        self.notActions = notActions.map(ActionPattern.init)
        self.dataActions = dataActions.map(ActionPattern.init)
        self.notDataActions = notDataActions.map(ActionPattern.init)
    }

    /// Whether the role allows `action`; a data action is only ever granted by `dataActions`
    /// (Owner's `*` grants no blob read).
    public func grants(_ action: RequiredAction) -> Bool {
        let (allowed, excluded) = action.isDataAction ? (dataActions, notDataActions) : (actions, notActions)
        return allowed.contains { $0.matches(action.name) } && !excluded.contains { $0.matches(action.name) }
    }

    /// The pattern that removes `action` from an otherwise matching role, if one does.
    public func exclusion(of action: RequiredAction) -> ActionPattern? {
        let (allowed, excluded) = action.isDataAction ? (dataActions, notDataActions) : (actions, notActions)
        guard allowed.contains(where: { $0.matches(action.name) }) else { return nil }
        return excluded.first { $0.matches(action.name) }
    }

    /// True when the role has control-plane actions but no data actions at all (Owner, Contributor, Reader...).
    public var isControlPlaneOnly: Bool { dataActions.isEmpty && !actions.isEmpty }
}

/// An operation that needs permission: its action name and which plane it belongs to.
public struct RequiredAction: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var isDataAction: Bool

    public init(_ name: String, isDataAction: Bool) {
        self.name = name
        self.isDataAction = isDataAction
    }

    public var description: String { name }
}
