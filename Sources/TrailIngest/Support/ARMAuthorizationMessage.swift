import Foundation
import TrailModel

/// What an ARM `AuthorizationFailed` / `LinkedAuthorizationFailed` message says: who was refused
/// which action at which scope.
///
/// - `The client 'X' with object id 'Y' does not have authorization to perform action 'A' over scope 'S'
///   or the scope is invalid. If access was recently granted, please refresh your credentials.`
///   (also "does not have authorization or an ABAC condition not fulfilled to perform action", and
///   messages without the client name: `The client with object id 'Y' ...`)
/// - `The client 'X' with object id 'Y' has permission to perform action 'A1' on scope 'S1'; however, it
///   does not have permission to perform action(s) 'A2' on the linked scope(s) 'S2' (respectively) or the
///   linked scope(s) are invalid.`
public struct ARMAuthorizationMessage: Equatable, Sendable {
    /// The client as named: an application (client) ID, or a user principal name.
    public var caller: String?
    public var objectId: String?
    /// The refused action and the scope it was refused at.
    public var action: String?
    public var scope: String?
    /// For a linked failure: the action the client was allowed, and where.
    public var permittedAction: String?
    public var permittedScope: String?

    public init(caller: String? = nil, objectId: String? = nil, action: String? = nil, scope: String? = nil,
                permittedAction: String? = nil, permittedScope: String? = nil) {
        self.caller = caller
        self.objectId = objectId
        self.action = action
        self.scope = scope
        self.permittedAction = permittedAction
        self.permittedScope = permittedScope
    }

    /// Parses the message; nil when it names neither an object id nor an action.
    public static func parse(_ message: String) -> ARMAuthorizationMessage? {
        var result = ARMAuthorizationMessage()
        var text = Substring(message)
        if let client = quoted(after: "the client ", in: text, within: 8) {
            result.caller = client.value
        }
        if let objectId = quoted(after: "object id ", in: text) {
            result.objectId = objectId.value
            text = text[objectId.end...]
        }
        if let linked = text.range(of: "linked scope", options: .caseInsensitive) {
            let before = text[..<linked.lowerBound]
            if let permitted = quoted(after: "perform action ", in: before) {
                result.permittedAction = permitted.value
                result.permittedScope = quoted(after: "scope ", in: before[permitted.end...])?.value
            }
            let afterHowever = before.range(of: "however", options: .caseInsensitive).map { before[$0.upperBound...] }
            let refused = quoted(after: "perform action(s) ", in: before)
                ?? afterHowever.flatMap { quoted(after: "perform action ", in: $0) }
            result.action = refused?.value
            result.scope = quoted(after: "scope(s) ", in: text[linked.lowerBound...])?.value
                ?? quoted(after: "scope ", in: text[linked.lowerBound...])?.value
        } else if let action = quoted(after: "action ", in: text) {
            result.action = action.value
            result.scope = quoted(after: "scope ", in: text[action.end...])?.value
        }
        guard result.objectId != nil || result.action != nil else { return nil }
        return result
    }

    /// The text between single quotes right after `keyword` (case-insensitive), and where it ends.
    /// With `within`, the keyword must start in the first `within` characters.
    static func quoted(after keyword: String, in text: Substring, within: Int? = nil) -> (value: String, end: Substring.Index)? {
        guard let found = text.range(of: keyword, options: .caseInsensitive) else { return nil }
        if let within, text.distance(from: text.startIndex, to: found.lowerBound) > within { return nil }
        let rest = text[found.upperBound...]
        guard let open = rest.first, open == "'" || open == "\"" else { return nil }
        let valueStart = rest.index(after: rest.startIndex)
        guard let close = rest[valueStart...].firstIndex(of: open) else { return nil }
        return (String(rest[valueStart..<close]), rest.index(after: close))
    }
}

extension ARMAuthorizationMessage {
    /// The fields a record takes from the message: the client (`clientId` when it is a GUID, else `caller`), its
    /// object id (`principalId`), the refused `action` and `scope`, and for a linked failure what was allowed where.
    func addFields(to fields: inout RecordFields) {
        if let caller { fields.set(GUIDText.isGUID(caller) ? "clientId" : "caller", caller) }
        fields.set("principalId", objectId)
        fields.set("action", action)
        fields.set("scope", scope)
        fields.set("permittedAction", permittedAction)
        fields.set("permittedScope", permittedScope)
    }

    /// Reads the message out of a longer text (a log line, an exception, a paste: from "The client" on) and adds
    /// its fields when it names an object id and an action or a scope.
    static func addFields(of text: String, to fields: inout RecordFields) {
        let message = text.range(of: "the client ", options: .caseInsensitive).map { String(text[$0.lowerBound...]) } ?? text
        guard let parsed = parse(message), parsed.objectId != nil, parsed.action != nil || parsed.scope != nil else { return }
        parsed.addFields(to: &fields)
    }
}
