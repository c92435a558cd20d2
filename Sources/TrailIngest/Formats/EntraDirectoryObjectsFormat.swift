import Foundation
import TrailModel

/// Lists of Entra directory objects that say who is in which group: `az ad group member list --group G -o json`
/// (a bare array of the objects Graph returns: `@odata.type`, `id`, `displayName`, a service principal's `appId`
/// and `servicePrincipalType`), and Microsoft Graph pages (`{"@odata.context", "@odata.nextLink", "value": [...]}`)
/// of `GET /groups/{id}/members`, `/transitiveMembers`, and of a service principal's `memberOf` and
/// `transitiveMemberOf`; Azure AD Graph's `odata.type` / `objectId` spellings too.
///
/// Neither the bare array nor a page names the group (or, for `memberOf`, the member): that comes from
/// `mitrail ingest --group` / `--member-id`, the command line, a `@odata.nextLink`, or an object ID in the file
/// name, and the list record says which. One record per entry, then one list record: a snapshot at the
/// observed-at time, complete unless it is a page with more to follow.
public struct EntraDirectoryObjectsFormat: EvidenceFormat {
    public let id = "entra-directory-objects"
    public let title = "Entra group members and memberships (az ad group member list, Graph members / transitiveMembers / memberOf pages)"
    public let example = "az ad group member list --group GROUP_ID -o json > group-members-GROUP_ID.json"

    public init() {}

    public func sniff(_ sample: SniffSample) -> Bool {
        if DirectoryObject.looksLikeOne(sample.firstJSONValue) { return true }
        // A Graph page: an OData cast (`#groups`) has no `@odata.type` per object, and an empty page has no object.
        guard let top = sample.firstJSONValue(unwrapping: []) as? [String: Any] ?? Self.pageStart(sample) else { return false }
        let context = top["@odata.context"] as? String ?? top["odata.metadata"] as? String
        guard DirectoryObject.isDirectoryCollection(context), top["value"] == nil || top["value"] is [Any] else { return false }
        let first = (top["value"] as? [Any])?.first ?? sample.firstJSONValue
        return first == nil || (first as? [String: Any]).map { $0["id"] is String || $0["objectId"] is String } == true
    }

    /// The members of a page's top object before its `value`, when the whole page is longer than the sample.
    static func pageStart(_ sample: SniffSample) -> [String: Any]? {
        guard sample.looksLikeJSON else { return nil }
        var header = MembershipListHeader()
        try? ParseInput(bytes: sample.bytes).forEachJSONValue(unwrapping: ["value"], topLevelMembers: { header.note($0, $1) }) { _ in
            throw SniffDone()
        }
        return header.context.map { ["@odata.context": $0] }
    }

    public func parse(_ input: ParseInput, into sink: RecordSink) throws {
        let writer = MembershipListWriter(sink: sink)
        var castType: String?
        try input.forEachJSONValue(unwrapping: ["value"], topLevelMembers: { name, text in
            writer.header.note(name, text)
            castType = DirectoryObject.type(fromContext: writer.header.context)
        }) { result in
            switch result {
            case .malformed(let line, let pointer, let reason, let excerpt):
                try sink.reject(line: line, pointer: pointer, reason: reason, text: excerpt)
            case .value(let element):
                do {
                    try read(element, castType: castType, writer: writer)
                } catch let error as JSONElementError {
                    try sink.reject(line: element.line, pointer: element.pointer, reason: error.reason, text: element.text)
                }
            }
        }
        try writer.finish(line: 1)
    }

    func read(_ element: JSONElement, castType: String?, writer: MembershipListWriter) throws {
        let value = try element.parse()
        // An empty page comes back whole (nothing was streamed): its members were noted already.
        if element.pointer == nil, let object = value as? [String: Any], object["value"] is [Any] { return }
        guard let entry = DirectoryObject(value, typeFromContext: castType) else {
            throw JSONElementError(reason: "not a directory object: it needs an id (Graph) or objectId (Azure AD Graph)")
        }
        var fields = RecordFields()
        if writer.listsMembers {
            writer.subject.setGroup(into: &fields)
            entry.memberFields(into: &fields)
        } else {
            writer.subject.setMember(into: &fields)
            fields.set("groupId", entry.id)
            fields.set("groupName", entry.displayName)
            fields.set("groupType", entry.type)
            if let enabled = entry.object["securityEnabled"] as? Bool { fields.set("securityEnabled", .bool(enabled)) }
        }
        fields.set("odataType", entry.object["@odata.type"] as? String ?? entry.object["odata.type"] as? String)
        try writer.emit(fields, element: element)
    }
}

private struct SniffDone: Error {}
