import Foundation
import TrailModel

/// A failed ARM operation's error as the Activity Log keeps it: `properties.statusMessage`, the response's
/// error body as JSON in a string (`{"error":{"code":"AuthorizationFailed","message":"..."}}`), else
/// `properties.responseBody`. Read like the same error body (code, message, an authorization failure's client,
/// object id, action and scope, an Azure Policy denial), so that the event is diagnosed as the error it was.
///
/// The event's own values stay: who was refused what, where, goes beside them under `error` + the name when the
/// event has its own or is a role assignment write or delete (`errorPrincipalId`: a refused role assignment write's
/// `principalId` is the assignee's, even when the event does not say it).
enum ActivityLogStatusMessage {
    static let refusal: Set<String> = ["principalId", "clientId", "caller", "scope", "action"]

    static func addFields(of properties: [String: Any]?, roleAssignmentChange: Bool, to fields: inout RecordFields) {
        guard let error = error(in: properties) else { return }
        var parsed = RecordFields()
        ARMErrorFormat.addErrorFields(error, to: &parsed)
        for (name, value) in parsed.entries {
            let apart = refusal.contains(name) && (roleAssignmentChange || fields[name] != nil)
            if apart {
                if fields[name] != value { fields.set("error" + name.prefix(1).uppercased() + name.dropFirst(), value) }
            } else if fields[name] == nil {
                fields.set(name, value)
            }
        }
    }

    /// The error object of `statusMessage` (or `responseBody`): `{"error": {...}}`, or a bare `{"code", "message"}`.
    static func error(in properties: [String: Any]?) -> [String: Any]? {
        for name in ["statusMessage", "responseBody"] {
            guard let body = ARMValues.object(properties, name) else { continue }
            if let error = ARMErrorFormat.error(in: body) { return error }
            if body["code"] is String, body["message"] is String { return body }
        }
        return nil
    }
}
