import Foundation
import TrailModel

/// Reading what earlier commands answered, to decide what to collect next. Shapes vary (ARM objects
/// with `properties`, the Azure CLI's flattened objects, Batch service objects), so values are looked
/// up under both and identities are found wherever a resource ID of one appears.
enum AzureJSON {
    /// The largest answer read back as JSON (parsed whole, it takes several times its size in memory).
    static let maximumReadSize = 16 << 20

    /// The JSON in a file, or nil when it is not JSON or larger than `maximumReadSize`.
    static func read(_ url: URL) -> Any? {
        guard let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int, size <= maximumReadSize,
              let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    }

    /// True when an answer holds nothing: no output, `[]`, or `{"value": []}` (a file ingest could not place).
    static func isEmptyAnswer(_ url: URL) -> Bool {
        guard let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int else { return true }
        if size == 0 { return true }
        guard size < 4096, let data = FileManager.default.contents(atPath: url.path) else { return false }
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return true }
        guard let value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return false }
        if let list = value as? [Any] { return list.isEmpty }
        if let object = value as? [String: Any], object.count == 1, let list = object["value"] as? [Any] { return list.isEmpty }
        return false
    }

    /// The objects of an answer: a list's elements, `{"value": [...]}`'s elements, or the object itself.
    static func objects(_ value: Any?) -> [[String: Any]] {
        if let list = value as? [Any] { return list.compactMap { $0 as? [String: Any] } }
        guard let object = value as? [String: Any] else { return [] }
        if let list = object["value"] as? [Any] { return list.compactMap { $0 as? [String: Any] } }
        return [object]
    }

    /// `object[name]`, else `object.properties[name]`.
    static func member(_ object: [String: Any], _ name: String) -> Any? {
        object[name] ?? (object["properties"] as? [String: Any])?[name]
    }

    static func string(_ object: [String: Any]?, _ name: String) -> String? {
        guard let object, let text = member(object, name) as? String, !text.isEmpty else { return nil }
        return text
    }

    static func object(_ object: [String: Any]?, _ name: String) -> [String: Any]? {
        guard let object else { return nil }
        return member(object, name) as? [String: Any]
    }

    /// The last segment of a resource ID, as written (`.../userAssignedIdentities/uami-nodes` → `uami-nodes`).
    static func resourceName(_ resourceID: String) -> String {
        resourceID.split(separator: "/").last.map(String.init) ?? resourceID
    }

    static let identityMarker = "/providers/microsoft.managedidentity/userassignedidentities/"

    /// Every user-assigned identity resource ID in a JSON value, as keys (`userAssignedIdentities` maps) or as
    /// strings (`nodeIdentityReference.resourceId`, a pool's identity list, resource files' `identityReference`),
    /// in the order met, each once (compared case-insensitively).
    static func userAssignedIdentityIDs(in value: Any?) -> [String] {
        var found: [String] = []
        var seen: Set<String> = []
        func add(_ text: String) {
            let lowered = text.lowercased()
            guard lowered.hasPrefix("/subscriptions/"), let marker = lowered.range(of: identityMarker),
                  !lowered[marker.upperBound...].isEmpty, !lowered[marker.upperBound...].contains("/"),
                  seen.insert(lowered).inserted else { return }
            found.append(text)
        }
        func walk(_ value: Any?) {
            if let object = value as? [String: Any] {
                for key in object.keys.sorted() {
                    add(key)
                    walk(object[key])
                }
            } else if let list = value as? [Any] {
                list.forEach(walk)
            } else if let text = value as? String {
                add(text)
            }
        }
        walk(value)
        return found
    }

    /// Storage account names in blob URLs anywhere in a JSON value (`storageContainerUrl`, `httpUrl`).
    static func storageAccountNames(in value: Any?) -> [String] {
        var names: [String] = []
        func walk(_ value: Any?) {
            if let object = value as? [String: Any] {
                object.keys.sorted().forEach { walk(object[$0]) }
            } else if let list = value as? [Any] {
                list.forEach(walk)
            } else if let text = value as? String, text.hasPrefix("https://"), let host = URLComponents(string: text)?.host?.lowercased(),
                      host.contains(".blob."), let name = host.split(separator: ".").first.map(String.init), !names.contains(name) {
                names.append(name)
            }
        }
        walk(value)
        return names
    }
}
