import Foundation
import TrailModel

/// The group IDs a user, group or service principal belongs to, as Graph's `getMemberGroups` and
/// `checkMemberGroups` answer (`{"@odata.context": "...$metadata#Collection(Edm.String)", "value": ["<group id>", ...]}`)
/// and as the Azure AD Graph call in the managed identities tutorial does (`{"odata.metadata": ..., "value": [...]}`).
///
/// Both are transitive (nested groups count). `getMemberGroups` names every group, so a group it leaves out
/// does not contain the member; `checkMemberGroups` names only those of the groups asked about that contain it.
/// The answer says neither which call it was nor whose groups these are: the member comes from `--member-id`,
/// the command line (`.../servicePrincipals/ID/getMemberGroups`) or an object ID in the file name, and the call
/// from the command line or the file name (`getMemberGroups` in it); an unknown call is read as `checkMemberGroups`.
public struct EntraMemberGroupsFormat: EvidenceFormat {
    public let id = "entra-member-groups"
    public let title = "group IDs of a member (Graph getMemberGroups / checkMemberGroups answers)"
    public let example = "az rest --method post --url https://graph.microsoft.com/v1.0/servicePrincipals/PRINCIPAL_ID/getMemberGroups --body '{\"securityEnabledOnly\": true}' > getMemberGroups-PRINCIPAL_ID.json"

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        guard sample.firstSignificantByte == UInt8(ascii: "{") else { return false }
        var header = MembershipListHeader()
        var first: Any?
        try? ParseInput(bytes: sample.bytes).forEachJSONValue(unwrapping: ["value"], topLevelMembers: { header.note($0, $1) }) { result in
            if case .value(let element) = result { first = try? element.parse() }
            throw StopSniffing()
        }
        let collectionOfStrings = header.context?.contains("Collection(Edm.String)") == true
        if let text = first as? String { return ARMValues.guid(text) != nil && (collectionOfStrings || header.context == nil) }
        return first == nil && collectionOfStrings
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        let writer = MembershipListWriter(sink: sink, listsGroupIDs: true)
        try input.forEachJSONValue(unwrapping: ["value"], topLevelMembers: { writer.header.note($0, $1) }) { result in
            switch result {
            case .malformed(let line, let pointer, let reason, let excerpt):
                try sink.reject(line: line, pointer: pointer, reason: reason, text: excerpt)
            case .value(let element):
                do {
                    guard let text = try element.parse() as? String, let group = ARMValues.guid(text) else {
                        throw JSONElementError(reason: "not a group object ID: getMemberGroups and checkMemberGroups answer with a list of GUIDs")
                    }
                    var fields = RecordFields()
                    writer.subject.setMember(into: &fields)
                    fields.set("groupId", group)
                    try writer.emit(fields, element: element)
                } catch let error as JSONElementError {
                    try sink.reject(line: element.line, pointer: element.pointer, reason: error.reason, text: element.text)
                }
            }
        }
        try writer.finish(line: 1)
    }
}

private struct StopSniffing: Error {}
