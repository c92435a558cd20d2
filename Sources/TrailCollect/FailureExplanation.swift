import Foundation
import TrailIngest

/// Why a command failed, in the words the summary and the manifest use: the start of what the Azure
/// CLI said (redacted), and what would let it run. Recognised by the error codes and the documented
/// Azure CLI wording, not by any one command's output.
struct FailureExplanation: Equatable {
    /// The start of standard error, redacted: at most `maximumLines` non-blank lines and `maximumCharacters`.
    var error: String
    /// What would let the command run: a role for the person collecting, a login, a name to check.
    var remedy: String

    static let maximumLines = 12
    static let maximumCharacters = 2_000

    /// The failure of `command`, from its standard error text.
    static func explain(_ command: PlannedCommand, standardError: String, timedOut: Bool, timeout: TimeInterval) -> FailureExplanation {
        let said = summary(of: standardError)
        if timedOut {
            return FailureExplanation(error: said.isEmpty ? "no answer within \(Int(timeout)) s" : said,
                                      remedy: "it did not finish within \(Int(timeout)) s: run mitrail collect again with a longer --timeout")
        }
        let lowered = standardError.lowercased()
        let remedy: String
        if lowered.contains("az login") {
            remedy = "the Azure CLI wants you to log in again: run `az login`, then mitrail collect again"
        } else if command.access.isLogAnalytics && lowered.contains("misspelled or not recognized") {
            remedy = "the Azure CLI extension log-analytics is not installed: run `az extension add --name log-analytics`, then mitrail collect again"
        } else if command.access.isLogAnalytics && lowered.contains("pathnotfounderror") {
            remedy = "the workspace was not found: --workspace takes the workspace ID (a GUID, \"Workspace ID\" on the workspace's Overview page), not its name"
        } else if isNotFound(lowered) {
            remedy = "not found: check the name and the subscription (--subscription)"
        } else if isRefused(lowered), let role = command.access.neededRole {
            remedy = "you need " + role
        } else if let role = command.access.neededRole {
            remedy = "if it is a permission problem, you need " + role
        } else {
            remedy = "see the error above"
        }
        return FailureExplanation(error: said.isEmpty ? "no error text (exit status only)" : said, remedy: remedy)
    }

    /// ARM `AuthorizationFailed`, the Batch service's `AuthorizationFailure`, Microsoft Graph's "Insufficient
    /// privileges" (`Authorization_RequestDenied`), Log Analytics' `InsufficientAccessError`, plain 403s.
    static func isRefused(_ lowered: String) -> Bool {
        ["authorizationfailed", "authorizationfailure", "authorization_requestdenied", "insufficient privileges",
         "insufficientaccesserror", "forbidden", "does not have authorization", "not authorized to perform"].contains(where: lowered.contains)
    }

    /// ARM `ResourceNotFound` / `ResourceGroupNotFound` / `SubscriptionNotFound`, Batch `PoolNotFound` / `JobNotFound`,
    /// Graph `Request_ResourceNotFound`.
    static func isNotFound(_ lowered: String) -> Bool {
        ["resourcenotfound", "resourcegroupnotfound", "subscriptionnotfound", "poolnotfound", "jobnotfound",
         "request_resourcenotfound", "was not found", "could not be found", "does not exist"].contains(where: lowered.contains)
    }

    /// The first lines of `text` that say something, redacted, cut to size.
    static func summary(of text: String) -> String {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var kept = lines.prefix(maximumLines).joined(separator: "\n")
        if lines.count > maximumLines { kept += "\n…" }
        let redacted = Redactor.redact(kept)
        return redacted.count > maximumCharacters ? String(redacted.prefix(maximumCharacters)) + "…" : redacted
    }
}

extension AccessNeed {
    var isLogAnalytics: Bool {
        if case .logAnalytics = self { return true }
        return false
    }
}
