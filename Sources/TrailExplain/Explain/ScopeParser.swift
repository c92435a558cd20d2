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
        remembered(\.normalizedForms, text) { scope(text).normalized }
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
        remembered(\.storageAccounts, text) { scope(text).resourceScope(namespace: "Microsoft.Storage", type: "storageAccounts") }
    }

    /// The value a table holds for the text, else `compute`'s, kept there; the lock is not held while computing
    /// (`compute` may parse through `scope`, which takes it).
    private func remembered<Value>(_ table: ReferenceWritableKeyPath<ScopeParser, [String: Value]>, _ text: String,
                                   _ compute: () -> Value) -> Value {
        lock.lock()
        if let known = self[keyPath: table][text] {
            lock.unlock()
            return known
        }
        lock.unlock()
        let value = compute()
        lock.lock()
        self[keyPath: table][text] = value
        lock.unlock()
        return value
    }
}
