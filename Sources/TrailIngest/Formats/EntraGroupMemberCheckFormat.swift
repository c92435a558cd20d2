import Foundation
import TrailModel

/// `az ad group member check --group G --member-id M -o json`: `{"value": true}` when M is in G, nested
/// groups included (the CLI asks Graph's `checkMemberGroups`), `{"value": false}` when it is not.
///
/// The answer names neither the group nor the member: they come from `--group` / `--member-id` at ingest
/// or the command line; without them the check is kept, unattributed, and says so.
public struct EntraGroupMemberCheckFormat: EvidenceFormat {
    public let id = "entra-group-member-check"
    public let title = "a group membership check (az ad group member check)"
    public let example = "az ad group member check --group GROUP_ID --member-id PRINCIPAL_ID -o json > member-check.json"

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        guard let object = sample.firstJSONValue(unwrapping: []) as? [String: Any] else { return false }
        return Self.isCheck(object)
    }

    /// `{"value": <bool>}`, perhaps with an `@odata.context`.
    static func isCheck(_ object: [String: Any]) -> Bool {
        guard let value = object["value"], JSONValues.fieldValue(value).map({ if case .bool = $0 { return true } else { return false } }) == true
        else { return false }
        return Set(object.keys).isSubset(of: ["value", "@odata.context"])
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        let subject = MembershipSubject(hints: sink.context.membership, path: sink.context.path)
        try input.forEachJSONRecord(unwrapping: [], into: sink) { element in
            guard let object = try element.parse() as? [String: Any], Self.isCheck(object), let isMember = object["value"] as? Bool else {
                throw JSONElementError(reason: "not a membership check: expected {\"value\": true} or {\"value\": false}")
            }
            var fields = RecordFields()
            subject.setGroup(into: &fields)
            subject.setMember(into: &fields)
            fields.set("isMember", .bool(isMember))
            fields.set("relation", "transitive")
            let (time, origin) = sink.context.snapshotTime
            let about = "\(subject.memberID ?? "an unnamed member") in group \(subject.group ?? "(unnamed)")"
            try sink.emit(EvidenceRecord(kind: .membershipCheck, position: SourcePosition(line: element.line, pointer: element.pointer),
                                         time: time, timeOrigin: origin, fields: fields, raw: "membership check of \(about): " + element.text))
        }
    }
}
