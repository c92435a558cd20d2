/// Data for reading client log messages: the phrases Azure Identity libraries log about their
/// credentials, and the phrases that carry an HTTP status. Add a row to recognise a new phrase.
enum ClientLogRules {
    /// Where the credential's name stands: before or after the phrase, or in the logger's name (Java).
    enum Side { case before, after, logger }

    struct CredentialPhrase {
        let phrase: String
        let credentialSide: Side
        let outcome: String
    }

    /// Tried in order; the first phrase found in a message gives the credential and its outcome.
    static let credentialPhrases: [CredentialPhrase] = [
        // Python: "DefaultAzureCredential acquired a token from AzureCliCredential"
        CredentialPhrase(phrase: " acquired a token from ", credentialSide: .after, outcome: "acquired"),
        // .NET: "DefaultAzureCredential credential selected: Azure.Identity.ManagedIdentityCredential"
        CredentialPhrase(phrase: "credential selected: ", credentialSide: .after, outcome: "selected"),
        // Python: "ManagedIdentityCredential will use IMDS"
        CredentialPhrase(phrase: " will use ", credentialSide: .before, outcome: "selected"),
        // Java: "Azure Identity => Attempted credential ManagedIdentityCredential returns a token"
        CredentialPhrase(phrase: " returns a token", credentialSide: .before, outcome: "succeeded"),
        // Java: "Azure Identity => Attempted credential EnvironmentCredential is unavailable."
        CredentialPhrase(phrase: "Attempted credential ", credentialSide: .after, outcome: "unavailable"),
        // Python, .NET, Java, JS: "ManagedIdentityCredential authentication unavailable, no response from the IMDS endpoint."
        CredentialPhrase(phrase: " authentication unavailable", credentialSide: .before, outcome: "unavailable"),
        // JS: "ManagedIdentityCredential - AppServiceMSI 2019: Unavailable."
        CredentialPhrase(phrase: ": Unavailable", credentialSide: .before, outcome: "unavailable"),
        // Java, logger com.azure.identity.ManagedIdentityCredential: "Azure Identity => ERROR in getToken() call for scopes [...]: ..."
        CredentialPhrase(phrase: "ERROR in getToken() call for scopes", credentialSide: .logger, outcome: "failed"),
        // Java: "Azure Identity => ERROR in getToken() call for ManagedIdentityCredential: ..."
        CredentialPhrase(phrase: "ERROR in getToken() call for ", credentialSide: .after, outcome: "failed"),
        // Java: "Azure Identity => ERROR in EnvironmentCredential: Missing environment variable AZURE_CLIENT_ID"
        CredentialPhrase(phrase: "ERROR in ", credentialSide: .after, outcome: "failed"),
        // Python: "EnvironmentCredential.get_token failed: ..."
        CredentialPhrase(phrase: ".get_token failed", credentialSide: .before, outcome: "failed"),
        CredentialPhrase(phrase: ".get_token_info failed", credentialSide: .before, outcome: "failed"),
        // .NET: "ManagedIdentityCredential.GetToken was unable to retrieve an access token."
        CredentialPhrase(phrase: ".GetToken was unable to retrieve", credentialSide: .before, outcome: "failed"),
        // JS: "ManagedIdentityCredential => getToken() => ERROR."
        CredentialPhrase(phrase: " => getToken() => ERROR", credentialSide: .before, outcome: "failed"),
        // .NET exception text: "ManagedIdentityCredential authentication failed: Service request failed."
        CredentialPhrase(phrase: " authentication failed", credentialSide: .before, outcome: "failed"),
        // JS: "ManagedIdentityCredential - IMDS => ManagedIdentityCredential: Authentication failed. Message ..."
        CredentialPhrase(phrase: ": Authentication failed", credentialSide: .before, outcome: "failed"),
        // Java, logger com.azure.identity.ManagedIdentityCredential: "Azure Identity => getToken() result for scopes [...]: SUCCESS"
        CredentialPhrase(phrase: "]: SUCCESS", credentialSide: .logger, outcome: "succeeded"),
        CredentialPhrase(phrase: ".get_token succeeded", credentialSide: .before, outcome: "succeeded"),
        CredentialPhrase(phrase: ".get_token_info succeeded", credentialSide: .before, outcome: "succeeded"),
        CredentialPhrase(phrase: ".GetToken succeeded", credentialSide: .before, outcome: "succeeded"),
        CredentialPhrase(phrase: " => getToken() => SUCCESS", credentialSide: .before, outcome: "succeeded"),
        CredentialPhrase(phrase: ".GetToken invoked", credentialSide: .before, outcome: "invoked"),
    ]

    /// Phrases that say a request got no answer (a time-out, an unreachable endpoint).
    static let noAnswerPhrases = [
        "no response from the IMDS endpoint", "IMDS endpoint cannot be established", "connect timed out",
        "Connection refused", "Failed to establish a new connection", "Read timed out",
        // JavaScript: "Caught error RestError: connect ETIMEDOUT 169.254.169.254:80", "The Azure IMDS endpoint is unavailable"
        "connect ETIMEDOUT", "connect ECONNREFUSED", "connect EHOSTUNREACH", "connect ENETUNREACH", "The Azure IMDS endpoint is unavailable",
        // .NET: "A connection attempt failed because the connected party did not properly respond after a period of time"
        "the connected party did not properly respond",
    ]

    /// Phrases followed by an HTTP status (digits, perhaps quoted).
    static let statusPhrases = [
        "Response status: ", "Response status code: ", "Status: ", "received HTTP status ", "Status Code = '",
        "StatusCode=", "Status code: ", "Status code ", "status code ",
    ]

    /// Phrases that name the managed identity source a credential chose or tried.
    /// The source runs from the phrase to the first of `stops`.
    static let sourcePhrases: [(phrase: String, stops: String)] = [
        ("ManagedIdentityCredential will use ", "."), ("Managed Identity environment: ", "."),
        ("ManagedIdentityCredential - ", ":="), ("Managed Identity source: ", "."),
    ]
}
