import Foundation
import TrailModel

/// Small readers over ARM payloads, shared by the RBAC, Activity Log, identity and Batch formats.
enum ARMValues {
    /// A member by name, ignoring case (`requestbody` / `requestBody`, `Properties` / `properties`).
    static func member(_ object: [String: Any]?, _ name: String) -> Any? {
        guard let object else { return nil }
        if let exact = object[name] { return exact }
        let lowered = name.lowercased()
        return object.first { $0.key.lowercased() == lowered }?.value
    }

    /// A non-empty string member, ignoring case.
    static func string(_ object: [String: Any]?, _ name: String) -> String? {
        guard let text = member(object, name) as? String, !text.isEmpty else { return nil }
        return text
    }

    /// An object member, ignoring case; a string holding a JSON object is parsed
    /// (Activity Log `requestbody`, Log Analytics `Properties` are JSON inside strings).
    static func object(_ object: [String: Any]?, _ name: String) -> [String: Any]? {
        embeddedObject(member(object, name))
    }

    /// The value as an object: itself, or the JSON object a string holds.
    static func embeddedObject(_ value: Any?) -> [String: Any]? {
        if let object = value as? [String: Any] { return object }
        guard let text = value as? String, text.first == "{" else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }

    /// A `{"value": ..., "localizedValue": ...}` member's value, or a plain string member.
    static func localizable(_ object: [String: Any]?, _ name: String) -> String? {
        if let text = string(object, name) { return text }
        return string(self.object(object, name), "value")
    }

    /// A GUID as dashed lower case, from dashed or dashless (32 hex digits) text; nil for anything else.
    static func guid(_ text: String?) -> String? {
        guard let text else { return nil }
        let hex = text.lowercased().filter { $0 != "-" }
        guard hex.count == 32, hex.allSatisfy(\.isHexDigit) else { return nil }
        let dashesAt: Set<Int> = [8, 12, 16, 20]
        var output = ""
        for (index, character) in hex.enumerated() {
            if dashesAt.contains(index) { output += "-" }
            output.append(character)
        }
        return text.count == 32 || text.count == 36 ? output : nil
    }

    /// The segments of a resource ID or URL path, without the URL's query (`?api-version=...`).
    static func pathSegments(_ text: String) -> [Substring] {
        (text.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? Substring(text)).split(separator: "/")
    }

    /// The last segment of a resource ID or URL path (`.../roleDefinitions/GUID` → `GUID`).
    static func lastSegment(_ id: String?) -> String? {
        guard let id, let last = pathSegments(id).last else { return nil }
        return String(last)
    }

    /// The segment after `type` in a resource ID or URL path (`batchAccounts` → the account name, `pools` in
    /// `.../pools/POOL/nodes/NODE` → POOL), ignoring case, percent-decoded. The one reader of path segments
    /// from text; `URLParts.segment(after:)` answers the same for a URL already taken apart.
    static func segment(after type: String, in id: String?) -> String? {
        guard let id else { return nil }
        let parts = pathSegments(id)
        guard let index = parts.firstIndex(where: { $0.caseInsensitiveCompare(type) == .orderedSame }), index + 1 < parts.count else { return nil }
        return String(parts[index + 1]).removingPercentEncoding ?? String(parts[index + 1])
    }

    static func isType(_ object: [String: Any], _ type: String) -> Bool {
        (object["type"] as? String)?.lowercased() == type.lowercased()
    }

    /// Strings of a JSON array (other elements are skipped).
    static func strings(_ value: Any?) -> [String] {
        (value as? [Any])?.compactMap { $0 as? String } ?? []
    }

    /// JSON text of a list of strings, as stored in a field: `["a","b"]`.
    static func jsonText(_ list: [String]) -> String {
        "[" + list.map(JSONText.quoted).joined(separator: ",") + "]"
    }

    /// JSON text of a list of flat objects, members in the given order; nil values are written as null.
    static func jsonText(_ objects: [[(String, String?)]]) -> String {
        let rendered = objects.map { members in
            "{" + members.map { JSONText.quoted($0.0) + ":" + ($0.1.map(JSONText.quoted) ?? "null") }.joined(separator: ",") + "}"
        }
        return "[" + rendered.joined(separator: ",") + "]"
    }

    /// The user-assigned identities of a resource's `identity`, as JSON text of
    /// `[{identityResourceId, principalId, clientId}]`: ARM gives a map keyed by resource ID,
    /// the Batch data plane a list of `{resourceId, clientId, principalId}`.
    static func userAssignedIdentities(_ identity: [String: Any]?) -> String? {
        let value = member(identity, "userAssignedIdentities")
        var entries: [(resourceId: String?, details: [String: Any])] = []
        if let map = value as? [String: Any] {
            entries = map.keys.sorted().map { ($0, map[$0] as? [String: Any] ?? [:]) }
        } else if let list = value as? [Any] {
            entries = list.compactMap { $0 as? [String: Any] }.map { (string($0, "resourceId"), $0) }
        } else {
            return nil
        }
        return jsonText(entries.map { [("identityResourceId", $0.resourceId), ("principalId", string($0.details, "principalId")),
                                       ("clientId", string($0.details, "clientId"))] })
    }

    /// Requires `value` to be an object, or says what it is instead.
    static func requireObject(_ value: Any, _ what: String) throws -> [String: Any] {
        guard let object = value as? [String: Any] else {
            throw JSONElementError(reason: "expected \(what) object, found \(JSONValues.typeName(value))")
        }
        return object
    }
}
