/// What the agent log parser recognises in a message. Data, not code branches: add a row to add a marker.
enum AgentLogMarkers {
    struct Marker {
        /// Text that identifies the marker anywhere in the line.
        let pattern: String
        /// The stable marker name stored in the record's `marker` field.
        let name: String
    }

    static let all: [Marker] = [
        Marker(pattern: "TvmJoinPoolInProgress", name: "TvmJoinPoolInProgress"),
        Marker(pattern: "pool not fully joined yet", name: "TvmJoinPoolInProgress"),
        Marker(pattern: "ApplicationPackageError", name: "ApplicationPackageError"),
        Marker(pattern: "ResourceContainerAccessDenied", name: "ResourceContainerAccessDenied"),
        Marker(pattern: "ResourceContainerListMiscError", name: "ResourceContainerListMiscError"),
        Marker(pattern: "AuthorizationPermissionMismatch", name: "AuthorizationPermissionMismatch"),
        Marker(pattern: "Identity not found", name: "ImdsIdentityNotFound"),
        Marker(pattern: "Temporarily throttled", name: "ImdsThrottled"),
    ]

    /// Words that only agent logs use, for recognising a dated log as an agent log.
    static let agentVocabulary = ["TVM", "Tvm", "tvmps_", "nodeagent", "NodeAgent", "batch-agent", "PoolName", "health=Status."]

    /// `key=value` pairs copied into fields when present: the log's name for it, and the field name.
    static let keyedValues: [(key: String, field: String)] = [
        ("health=Status.", "health"),
        ("TVMName=", "node"),
        ("PoolName=", "pool"),
        ("TVMAllocationTime=", "allocationTime"),
        ("TVMBootTime=", "bootTime"),
    ]

    /// The marker (first that matches) and the keyed values found in a message.
    static func find(in message: String) -> [(String, String)] {
        var found: [(String, String)] = []
        if let marker = all.first(where: { message.contains($0.pattern) }) { found.append(("marker", marker.name)) }
        for (key, field) in keyedValues {
            guard let range = message.range(of: key) else { continue }
            let value = message[range.upperBound...].prefix { !$0.isWhitespace && $0 != "," && $0 != ";" && $0 != "\"" }
            if !value.isEmpty { found.append((field, String(value))) }
        }
        return found
    }
}
