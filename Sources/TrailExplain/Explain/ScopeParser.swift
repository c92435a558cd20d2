import Foundation
import TrailModel

/// ARM scopes by their text, parsed once (splitting an ID costs more than looking it up).
final class ScopeParser: @unchecked Sendable {
    private var parsed: [String: ARMScope] = [:]
    private var normalizedForms: [String: String] = [:]
    private var storageAccounts: [String: ARMScope?] = [:]
    private let lock = NSLock()

    /// `ARMScope(text).normalized`, worked out once per text.
    func normalized(_ text: String) -> String {
        lock.lock()
        if let known = normalizedForms[text] {
            lock.unlock()
            return known
        }
        lock.unlock()
        let form = scope(text).normalized
        lock.lock()
        normalizedForms[text] = form
        lock.unlock()
        return form
    }

    func scope(_ text: String) -> ARMScope {
        lock.lock()
        defer { lock.unlock() }
        if let scope = parsed[text] { return scope }
        let scope = ARMScope(text)
        parsed[text] = scope
        return scope
    }

    /// The storage account an ARM ID is in or is (`resourceScope(namespace: "Microsoft.Storage", type: "storageAccounts")`),
    /// worked out once per text: every storage log record names the same few.
    func storageAccount(_ text: String) -> ARMScope? {
        lock.lock()
        if let known = storageAccounts[text] {
            lock.unlock()
            return known
        }
        lock.unlock()
        let account = scope(text).resourceScope(namespace: "Microsoft.Storage", type: "storageAccounts")
        lock.lock()
        storageAccounts[text] = .some(account)
        lock.unlock()
        return account
    }
}
