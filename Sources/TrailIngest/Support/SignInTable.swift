import TrailModel

extension RecordKind {
    /// One service principal sign-in (an application that is not a managed identity) as Entra ID logs it.
    static let servicePrincipalSignIn = RecordKind("azure:entra:sp-signin")
}

/// Which Entra ID sign-in log a format reads: managed identities', or service principals'. The two
/// logs share their shape (diagnostic records, Log Analytics rows, Graph `signIn` objects, CSV exports)
/// and differ in their category, their table and the Graph event type.
struct SignInTable: Sendable {
    /// The diagnostic-settings category: `ManagedIdentitySignInLogs`.
    let category: String
    /// The Log Analytics table: `AADManagedIdentitySignInLogs`.
    let table: String
    /// The Graph `signInEventTypes` value: `managedIdentity`.
    let graphEventType: String
    let kind: RecordKind
    /// What the sign-in is of, for messages.
    let what: String

    static let managedIdentity = SignInTable(
        category: "ManagedIdentitySignInLogs", table: "AADManagedIdentitySignInLogs", graphEventType: "managedIdentity",
        kind: .managedIdentitySignIn, what: "managed identity sign-in")
    static let servicePrincipal = SignInTable(
        category: "ServicePrincipalSignInLogs", table: "AADServicePrincipalSignInLogs", graphEventType: "servicePrincipal",
        kind: .servicePrincipalSignIn, what: "service principal sign-in")
}
