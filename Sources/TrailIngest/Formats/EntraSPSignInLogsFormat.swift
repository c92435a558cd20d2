import Foundation
import TrailModel

/// Entra ID service principal sign-in logs as JSON: diagnostic-settings records (`category`
/// `ServicePrincipalSignInLogs`), Log Analytics `AADServicePrincipalSignInLogs` rows, and Graph
/// `signIn` objects whose `signInEventTypes` include `servicePrincipal`. An application that is not a
/// managed identity (a service principal with a secret or certificate) signs in here; its failures
/// (`AADSTS7000215` invalid secret, `AADSTS7000222` expired secret, ...) are read as the managed
/// identity log's are, into records of kind `azure:entra:sp-signin`.
public struct EntraSPSignInLogsFormat: EvidenceFormat {
    public let id = "entra-sp-signin-logs"
    public let title = "Entra ID service principal sign-in logs (diagnostic settings JSON, Log Analytics JSON, Graph)"
    public let example = "az monitor log-analytics query -w WORKSPACE --analytics-query 'AADServicePrincipalSignInLogs | where TimeGenerated > ago(1d)' > sp-signins.json"

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        EntraMISignInLogsFormat.sniff(sample, table: .servicePrincipal)
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        try EntraMISignInLogsFormat.parse(input, into: sink, table: .servicePrincipal)
    }
}
