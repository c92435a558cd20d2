import TrailModel

/// What the IMDS rules share: which failures are token requests, and the request they made.
extension Failure {
    /// A token request to IMDS (or a client log or agent log line about one).
    var isTokenRequestFailure: Bool {
        isIMDS || kind == "azure:identity:client-log-line" || kind == "azure:entra:mi-signin"
            || (url ?? "").contains("169.254.169.254") || marker == "ImdsIdentityNotFound" || marker == "ImdsThrottled"
    }

    /// The message and codes in one text, to look for the IMDS error phrases.
    var errorText: String {
        [code, message, detail, errorCodes, marker].compactMap { $0 }.joined(separator: " ")
    }
}

extension FailureFacts {
    /// The pool's identities by name, for messages.
    func poolIdentityNames(_ context: ExplainContext) -> [String] {
        let pool = self.pool ?? context.configuration.pool(named: failure.pool, account: failure.account, at: time)
        return (pool?.identities ?? []).map { $0.resourceID.split(separator: "/").last.map(String.init) ?? $0.resourceID }
    }
}
