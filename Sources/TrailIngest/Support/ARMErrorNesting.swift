import Foundation
import TrailModel

/// ARM errors as they travel: a bare CloudError without its `error` wrapper (a deployment's
/// `{"code": "DeploymentFailed", "message", "details": [...]}`), a body encoded twice (the whole
/// document a JSON string, or a detail whose `message` is a JSON error body), and the cause nested in
/// `details[]` under a wrapper (`DeploymentFailed` > `BadRequest` > `RoleAssignmentUpdateNotPermitted`).
extension ARMErrorFormat {
    /// Codes whose diagnosis another part of mitrail owns when they are nested (the policy denial).
    static let nestedCodesReadElsewhere: Set<String> = ["RequestDisallowedByPolicy"]

    /// The object a document holds: itself, or the object inside a document that is a JSON string.
    static func documentObject(_ sample: SniffSample) -> [String: Any]? {
        if let object = sample.firstJSONValue(unwrapping: []) as? [String: Any] { return object }
        guard sample.firstSignificantByte == UInt8(ascii: "\"") else { return nil }
        var first: String?
        try? ParseInput(bytes: sample.bytes).forEachJSONValue(unwrapping: []) { result in
            if first == nil, case .value(let element) = result { first = (try? element.parse()) as? String }
        }
        return first.flatMap(JSONBody.parse) as? [String: Any]
    }

    /// The value, or the JSON a string value holds, and whether it was a string.
    static func decodedTwice(_ value: Any) -> (Any, Bool) {
        guard let text = value as? String, let inner = JSONBody.parse(text) else { return (value, false) }
        return (inner, true)
    }

    /// A CloudError without its wrapper: a code and a message, with details, a target, additional
    /// information or a code ARM is known to answer with (a bare `{"code", "message"}` could be anyone's).
    static func bareCloudError(_ object: [String: Any]) -> [String: Any]? {
        guard object["error"] == nil, let code = object["code"] as? String, object["message"] is String else { return nil }
        let known = AzureErrorCatalog.entry(forCode: code).map { [.arm, .policy].contains($0.service) } ?? false
        guard object["details"] is [Any] || object["target"] is String || object["additionalInfo"] is [Any] || known else { return nil }
        return object
    }

    /// The most specific known error inside `details[]` (searched depth first, messages that are JSON error
    /// bodies opened), with its message and where it sits.
    static func nestedCause(in error: [String: Any], path: String = "") -> (code: String, message: String?, path: String)? {
        let details = (error["details"] as? [Any] ?? []).compactMap { $0 as? [String: Any] }
        for (index, detail) in details.enumerated() {
            let here = path + "/details/\(index)"
            var candidates: [(error: [String: Any], path: String)] = [(detail, here)]
            if let text = detail["message"] as? String, let inner = JSONBody.parse(text) as? [String: Any] {
                candidates.insert(((inner["error"] as? [String: Any]) ?? inner, here + "/message"), at: 0)
            }
            for (candidate, candidatePath) in candidates {
                if let deeper = nestedCause(in: candidate, path: candidatePath) { return deeper }
                guard let code = candidate["code"] as? String, AzureErrorCatalog.entry(forCode: code)?.weight == .specific else { continue }
                return (code, candidate["message"] as? String, candidatePath)
            }
        }
        return nil
    }

    /// When the error's own code only wraps (`DeploymentFailed`, `BadRequest`, or a code mitrail does not know)
    /// and a known cause is nested, the cause becomes the record's `errorCode` and message; the wrapper is kept.
    /// A missing principal's ID and tenant (`PrincipalNotFound`) are read from the message.
    static func addNestedCause(of error: [String: Any], to fields: inout RecordFields) {
        let topCode = error["code"] as? String ?? ""
        if AzureErrorCatalog.entry(forCode: topCode)?.weight != .specific, let cause = nestedCause(in: error),
           !nestedCodesReadElsewhere.contains(cause.code) {
            fields.set("wrapperErrorCode", topCode)
            fields.set("wrapperErrorMessage", fields.string("errorMessage"))
            fields.set("errorCode", cause.code)
            fields.set("errorMessage", cause.message)
            fields.set("causePointer", cause.path)
            if fields["principalId"] == nil, let message = cause.message { ARMAuthorizationMessage.parse(message)?.addFields(to: &fields) }
        }
        if fields.string("errorCode") == "PrincipalNotFound", let message = fields.string("errorMessage") {
            ErrorTextFields.addMissingPrincipal(in: message, to: &fields)
        }
    }
}
