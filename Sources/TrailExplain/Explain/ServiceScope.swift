import Foundation
import TrailModel

extension ExplainContext {
    /// The service a token failure called, as the scope its episode is keyed by (not the request's URL: one expired
    /// token refused on a hundred blobs is one episode): the storage account, by its ARM ID when the evidence names
    /// it, else its endpoint `https://HOST`; any other service's endpoint; Resource Manager for an ARM path.
    func serviceScope(for failure: Failure) -> String? {
        for text in [failure.url, failure.targetResource] {
            guard let text, text.hasPrefix("http"), let host = URL(string: text)?.host?.lowercased() else { continue }
            if host.contains(".blob.") || host.contains(".dfs."), let name = host.split(separator: ".").first,
               let account = storageAccountID(named: String(name)) {
                return account
            }
            return "https://" + host
        }
        if let target = failure.targetResource, target.lowercased().hasPrefix("/subscriptions/") { return "https://management.azure.com" }
        return nil
    }
}
