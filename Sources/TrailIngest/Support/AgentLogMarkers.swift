import TrailModel

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

    static let markerPatterns: [[UInt8]] = all.map { Array($0.pattern.utf8) }
    static let keyPatterns: [[UInt8]] = keyedValues.map { Array($0.key.utf8) }

    /// The marker (first that matches) and the keyed values found in a message.
    static func find(in message: String) -> [(String, String)] {
        var message = message
        return message.withUTF8 { find(in: $0) }
    }

    /// The same, on bytes: this runs for every agent log line.
    static func find(in message: UnsafeBufferPointer<UInt8>) -> [(String, String)] {
        var found: [(String, String)] = []
        if let index = markerPatterns.firstIndex(where: { ByteSearch.find($0, in: message) != nil }) {
            found.append(("marker", all[index].name))
        }
        for (index, pattern) in keyPatterns.enumerated() {
            guard let start = ByteSearch.find(pattern, in: message) else { continue }
            var end = start + pattern.count
            while end < message.count, !Self.endsValue(message[end]) { end += 1 }
            if end > start + pattern.count {
                found.append((keyedValues[index].field, String(decoding: message[(start + pattern.count)..<end], as: UTF8.self)))
            }
        }
        return found
    }

    static func endsValue(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "\"")
    }
}
