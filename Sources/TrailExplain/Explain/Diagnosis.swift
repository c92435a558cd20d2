import TrailModel

/// The identity a finding is about, as far as the evidence names it.
public struct IdentityReference: Hashable, Sendable {
    public var resourceID: String?
    public var clientID: String?
    public var principalID: String?
    /// Why the identity is this one when the failure did not name it (an IMDS request that named none on a pool
    /// with a single user-assigned identity); nil when the evidence names it.
    public var inferredFrom: String?

    public init(resourceID: String? = nil, clientID: String? = nil, principalID: String? = nil) {
        self.resourceID = resourceID
        self.clientID = clientID?.lowercased()
        self.principalID = principalID?.lowercased()
    }

    /// What groups failures of the same identity: the principal, else the resource, else the client.
    var key: String { principalID ?? resourceID.map { ARMScope($0).normalized } ?? clientID ?? "-" }

    /// `key`, with the resource ID normalized once per text by `scopes` (every failure's grouping asks for it).
    func key(_ scopes: ScopeParser) -> String { principalID ?? resourceID.map { scopes.normalized($0) } ?? clientID ?? "-" }

    /// A short name for text: the resource's name, else an ID.
    public var displayName: String {
        resourceID.flatMap(lastSegment) ?? principalID ?? clientID ?? "an unknown identity"
    }
}

/// Why one failure happened, in the catalog's terms, with the fix.
public struct Diagnosis: Sendable {
    public var code: DiagnosisCode
    public var identity: IdentityReference
    /// The scope the missing permission is needed at (ARM ID), when known.
    public var scope: String?
    public var missingRole: String?
    public var missingAction: String?
    /// The finding, in one sentence.
    public var finding: String
    /// Why: the configuration and permission evidence the finding rests on.
    public var reason: String
    /// A runnable command (or the request change) that fixes it.
    public var fix: String?
    /// Secondary findings (`control-plane-role-only`, `rbac-propagation-delay`, ...).
    public var contributing: [DiagnosisCode] = []
    /// For `unexplained`: the evidence that would explain it.
    public var missingEvidence: [String] = []
    /// The configuration and role records the finding rests on (the failure's own record is added by explain).
    public var supporting: [EvidenceReference] = []
    /// How an episode of this diagnosis ends: the strategy of the rule that made it.
    public var resolution = ResolutionStrategy.none

    public init(code: DiagnosisCode, identity: IdentityReference, scope: String? = nil, missingRole: String? = nil, missingAction: String? = nil,
                finding: String, reason: String, fix: String? = nil) {
        self.code = code
        self.identity = identity
        self.scope = scope
        self.missingRole = missingRole
        self.missingAction = missingAction
        self.finding = finding
        self.reason = reason
        self.fix = fix
    }

    static func unexplained(_ failure: Failure, identity: IdentityReference = IdentityReference(), scope: String? = nil,
                            reason: String, missing: [String]) -> Diagnosis {
        var diagnosis = Diagnosis(code: .unexplained, identity: identity, scope: scope,
                                  finding: "\(failure.what) cannot be explained from the evidence", reason: reason)
        diagnosis.missingEvidence = missing
        return diagnosis
    }
}

/// One catalog code's rule: recognises its signature in a failure, in the context of the configuration
/// and permissions in force at the failure's time, and says how an episode of it ends. Each rule lives in
/// its own file under `Rules/`.
protocol DiagnosisRule: Sendable {
    var code: DiagnosisCode { get }
    /// What ends an episode of this diagnosis (`EpisodeBuilder` looks for it).
    var resolution: ResolutionStrategy { get }
    /// The diagnosis, or nil when the failure does not show this rule's signature.
    func diagnose(_ facts: FailureFacts, in context: ExplainContext) -> Diagnosis?
}

/// A secondary finding added to a primary diagnosis (`contributing` in the JSON).
protocol ContributingRule: Sendable {
    var code: DiagnosisCode { get }
    func applies(to diagnosis: Diagnosis, facts: FailureFacts) -> Bool
}

/// The last `/`-separated segment of an ID (`uami-nodes` of a resource ID), without splitting the whole text.
func lastSegment(_ id: String) -> String? {
    var text = Substring(id)
    while text.hasSuffix("/") { text = text.dropLast() }
    guard !text.isEmpty else { return nil }
    return String(text[(text.lastIndex(of: "/").map { text.index(after: $0) } ?? text.startIndex)...])
}
