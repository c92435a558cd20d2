import Foundation
import TrailModel

/// ARM scopes by their text, parsed once (splitting an ID costs more than looking it up).
final class ScopeParser: @unchecked Sendable {
    private var parsed: [String: ARMScope] = [:]
    private var normalizedForms: [String: String] = [:]
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
}
