import TrailModel

/// What the IMDS rules share: which failures are token requests, and the request they made.
extension Failure {
    /// A token request to IMDS (or a client log or agent log line about one).
    var isTokenRequestFailure: Bool {
        isIMDS || kind == "azure:identity:client-log-line" || kind == "azure:entra:mi-signin"
            || (url ?? "").containsBytes("169.254.169.254") || marker == "ImdsIdentityNotFound" || marker == "ImdsThrottled"
    }
}

extension FailureFacts {
    /// A sentence for reasons when the identity was inferred rather than named by the request; else empty.
    var inferredIdentitySentence: String {
        guard let why = identity.inferredFrom else { return "" }
        return " Identity inferred: \(identity.displayName) (\(why))."
    }

    /// The pool's identities by name, for messages.
    func poolIdentityNames(_ context: ExplainContext) -> [String] {
        let pool = self.pool ?? context.configuration.pool(named: failure.pool, account: failure.account, at: time)
        return (pool?.identities ?? []).map { $0.resourceID.split(separator: "/").last.map(String.init) ?? $0.resourceID }
    }
}

/// The token audience (`resource`) of the service a URL or a wrong `resource` value points at, when it is one of
/// the services managed identities call: Storage, Key Vault, Resource Manager, Batch.
func tokenAudience(forServiceAt text: String?) -> String? {
    guard let text else { return nil }
    let lower = text.lowercased()
    let host = lower.components(separatedBy: "://").last?.split(separator: "/").first.map(String.init) ?? lower
    if host == "storage.azure.com" || [".blob.", ".dfs.", ".queue.", ".table.", ".file."].contains(where: host.contains) && host.hasSuffix(".core.windows.net") {
        return "https://storage.azure.com/"
    }
    if host.hasSuffix("vault.azure.net") { return "https://vault.azure.net" }
    if host.hasPrefix("management.") { return "https://management.azure.com/" }
    if host.hasSuffix(".batch.azure.com") || host == "batch.core.windows.net" { return "https://batch.core.windows.net/" }
    return nil
}

/// A `resource` value compared the way token requests use it: case and a trailing slash do not matter.
func sameResource(_ first: String?, _ second: String?) -> Bool {
    func normal(_ text: String?) -> String? {
        guard var text = text?.lowercased().removingPercentEncoding ?? text?.lowercased() else { return nil }
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
    return normal(first) != nil && normal(first) == normal(second)
}
