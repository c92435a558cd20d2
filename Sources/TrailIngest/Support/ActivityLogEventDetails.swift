import Foundation
import TrailModel

/// What an Activity Log event carries beyond its operation: the role assignment that authorized the caller
/// (`authorization.evidence`), and its time in the forms exports write it.
extension ActivityLogEvent {
    /// `authorization.evidence`: the role, assignment, definition and principal that let the caller act. The
    /// principal is the caller's, not an assignment's being written: the fields say `evidence`.
    static let evidenceMembers: [(member: String, field: String)] = [
        ("role", "evidenceRole"), ("roleAssignmentScope", "evidenceRoleAssignmentScope"),
        ("roleAssignmentId", "evidenceRoleAssignmentId"), ("roleDefinitionId", "evidenceRoleDefinitionId"),
        ("principalId", "evidencePrincipalId"), ("principalType", "evidencePrincipalType"),
    ]

    func addAuthorizationEvidence(to fields: inout RecordFields) {
        guard let evidence = ARMValues.object(authorization, "evidence") else { return }
        for (member, field) in Self.evidenceMembers {
            guard let value = ARMValues.string(evidence, member) else { continue }
            fields.set(field, member.hasSuffix("Id") && !member.hasPrefix("role") ? ARMValues.guid(value) ?? value : value)
        }
    }

    /// The event's time: ISO 8601 (a zone or, said so, none), Windows PowerShell's `/Date(1614636462123)/`, or a
    /// US-style or day-first time that cannot be misread (`1/9/2007 9:41:00 AM`, `13/09/2007 09:41:00`), read as UTC.
    /// A time whose day and month could be either (`01/09/2007 09:41:00`) is not guessed: it is kept as
    /// `unreadTime` with the reason.
    static func time(_ text: String?, columnIsUTC: Bool = false) -> (time: Timestamp?, origin: TimeOrigin, unread: String?) {
        guard let text = text?.trimmedWhitespace(), !text.isEmpty else { return (nil, .none, nil) }
        let (iso, isoOrigin): (Timestamp?, TimeOrigin) = RecordTime.parse(text) ?? (nil, .none)
        if let iso { return (iso, columnIsUTC ? .record : isoOrigin, nil) }
        if let epoch = microsoftJSONDate(text) { return (epoch, .record, nil) }
        if let parsed = LocalizedTime.parse(text) { return (parsed.time, columnIsUTC || parsed.hadZone ? .record : .recordAssumedUTC, nil) }
        return (nil, .none, text)
    }

    static let unreadTimeReason = "not a time mitrail reads without guessing: day and month could be either, or the form is unknown"

    /// `/Date(1614636462123)/` (ConvertTo-Json in Windows PowerShell), with an optional `+0000` offset.
    static func microsoftJSONDate(_ text: String) -> Timestamp? {
        guard let open = text.range(of: "/Date("), let close = text.range(of: ")/", range: open.upperBound..<text.endIndex) else { return nil }
        let digits = text[open.upperBound..<close.lowerBound].prefix { $0.isNumber || $0 == "-" }
        return Int64(digits).map { Timestamp(millisecondsSince1970: $0) }
    }
}
