import Foundation
import TrailModel

/// Log Analytics `AADServicePrincipalSignInLogs` results exported as CSV, read as the managed identity
/// export is; rows must say which table they are from (`Type` or `Category`).
public struct EntraSPSignInLogsCSVFormat: EvidenceFormat {
    public let id = "entra-sp-signin-logs-csv"
    public let title = "Entra ID service principal sign-in logs (Log Analytics CSV export)"
    public let example = "Log Analytics: AADServicePrincipalSignInLogs | where TimeGenerated > ago(1d), then Export > CSV (all columns)"

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        EntraMISignInLogsCSVFormat.sniff(sample, table: .servicePrincipal)
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        try EntraMISignInLogsCSVFormat.parse(input, into: sink, table: .servicePrincipal)
    }
}
