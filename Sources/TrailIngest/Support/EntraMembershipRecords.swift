import Foundation
import TrailModel

extension RecordKind {
    /// One "member M is in group G" seen in a membership list (a group's members, or a member's groups).
    public static let groupMember = RecordKind("azure:entra:group-member")
    /// One membership list as a whole: whose list, direct or transitive, complete or a page (a snapshot, like a role assignment list).
    public static let membershipList = RecordKind("azure:entra:membership-list")
    /// One answer to "is M in G?" (`az ad group member check`).
    public static let membershipCheck = RecordKind("azure:entra:membership-check")
    /// One Entra ID audit log event (AuditLogs): "Add member to group", "Remove member from group", ...
    public static let entraAuditEvent = RecordKind("azure:entra:audit-event")
}

/// A directory object as Microsoft Graph (`@odata.type: #microsoft.graph.servicePrincipal`, `id`) or the older
/// Azure AD Graph (`odata.type: Microsoft.DirectoryServices.ServicePrincipal`, `objectId`, `objectType`) returns it.
struct DirectoryObject {
    /// `servicePrincipal`, `group`, `user`, `device`, `orgContact`, `directoryRole`, `application`, ... ; nil when the object does not say.
    var type: String?
    var id: String
    var displayName: String?
    var object: [String: Any]

    static let knownTypes: Set<String> = [
        "serviceprincipal", "group", "user", "device", "orgcontact", "directoryrole", "application", "administrativeunit",
    ]

    /// Reads an object that has an ID; `typeFromContext` is the type a Graph cast's `@odata.context` names (`#groups`).
    init?(_ value: Any, typeFromContext: String? = nil) {
        guard let object = value as? [String: Any],
              let id = object["id"] as? String ?? object["objectId"] as? String, !id.isEmpty else { return nil }
        self.id = ARMValues.guid(id) ?? id
        self.object = object
        displayName = object["displayName"] as? String
        type = Self.type(of: object) ?? typeFromContext
    }

    /// The object's type from `@odata.type`, `odata.type` or `objectType`, first letter lower case.
    static func type(of object: [String: Any]) -> String? {
        let raw = object["@odata.type"] as? String ?? object["odata.type"] as? String ?? object["objectType"] as? String
        guard let raw, let last = raw.split(separator: ".").last else { return nil }
        let name = String(last).replacingOccurrences(of: "#", with: "")
        guard knownTypes.contains(name.lowercased()) else { return nil }
        return name.prefix(1).lowercased() + name.dropFirst()
    }

    /// True for the objects Graph lists as directory objects: a known type, or none said but an ID.
    static func looksLikeOne(_ value: Any?) -> Bool {
        guard let object = value as? [String: Any], object["id"] is String || object["objectId"] is String else { return false }
        return type(of: object) != nil
    }

    /// The type a collection's `@odata.context` names: `$metadata#groups(displayName,id)` → `group`; nil for `#directoryObjects`.
    static func type(fromContext context: String?) -> String? {
        guard let context, let hash = context.lastIndex(of: "#") else { return nil }
        let collection = context[context.index(after: hash)...].prefix { $0.isLetter }.lowercased()
        let singular: [String: String] = ["groups": "group", "users": "user", "serviceprincipals": "servicePrincipal",
                                          "devices": "device", "directoryroles": "directoryRole"]
        return singular[collection]
    }

    /// True when a context names a collection of directory objects (or of one of their types).
    static func isDirectoryCollection(_ context: String?) -> Bool {
        guard let context, let hash = context.lastIndex(of: "#") else { return false }
        let collection = context[context.index(after: hash)...].prefix { $0.isLetter }.lowercased()
        return (collection == "directoryobjects" || type(fromContext: context) != nil) && !context.contains("$entity")
    }

    /// The fields that describe the object as a member (a service principal's `appId`, `servicePrincipalType`).
    func memberFields(into fields: inout RecordFields) {
        fields.set("memberId", id)
        fields.set("memberType", type)
        fields.set("memberDisplayName", displayName)
        fields.set("appId", object["appId"] as? String)
        fields.set("servicePrincipalType", object["servicePrincipalType"] as? String)
        fields.set("userPrincipalName", object["userPrincipalName"] as? String)
        // A managed identity's service principal names its Azure resource among its alternative names.
        let alternatives = object["alternativeNames"] as? [Any] ?? []
        fields.set("memberIdentityResourceId", alternatives.compactMap { $0 as? String }.first { $0.lowercased().hasPrefix("/subscriptions/") })
    }
}

/// The top of a membership list: the members next to `value` that say what the list is.
struct MembershipListHeader {
    var context: String?
    var nextLink: String?
    var count: Int64?

    /// Keeps the members it knows (`@odata.context`, `@odata.nextLink`, `@odata.count` and their AAD Graph spellings).
    mutating func note(_ name: String, _ text: [UInt8]) {
        guard let value = try? FastJSON.jsonObject(with: text, options: [.fragmentsAllowed]) else { return }
        switch name {
        case "@odata.context", "odata.metadata": context = value as? String
        case "@odata.nextLink", "odata.nextLink": nextLink = value as? String
        case "@odata.count", "odata.count": count = (value as? NSNumber)?.int64Value
        default: break
        }
    }
}

/// Emits the records of one membership list: each entry as it is read, then the list record.
final class MembershipListWriter {
    let sink: RecordSink
    var subject: MembershipSubject
    var header = MembershipListHeader()
    var entries: Int64 = 0
    var firstLine: Int?

    /// True for a group's members (the subject is a group), false for a member's groups.
    let listsMembers: Bool
    /// True for lists of bare group IDs (getMemberGroups / checkMemberGroups answers).
    let listsGroupIDs: Bool

    /// The subject from the hints and the file name; the side from the call, else from which subject is named
    /// (a bare list with neither is `az ad group member list`'s: a group's members).
    init(sink: RecordSink, listsGroupIDs: Bool = false) {
        self.sink = sink
        self.listsGroupIDs = listsGroupIDs
        subject = MembershipSubject(hints: sink.context.membership, path: sink.context.path)
        if listsGroupIDs {
            listsMembers = false
        } else if let operation = subject.operation, operation != .getMemberGroups, operation != .checkMemberGroups, operation != .memberCheck {
            listsMembers = operation.listsMembers
        } else {
            listsMembers = !(subject.memberID != nil && subject.group == nil)
        }
        if subject.operation == nil || subject.operation?.listsMembers != listsMembers {
            subject.operation = listsGroupIDs ? nil : (listsMembers ? .members : .memberOf)
            subject.operationOrigin = .none
        }
    }

    /// One entry: a member of the subject group, or a group of the subject member.
    func emit(_ fields: RecordFields, element: JSONElement) throws {
        let (time, origin) = sink.context.snapshotTime
        var fields = fields
        fields.set("relation", relation)
        entries += 1
        firstLine = firstLine ?? element.line
        try sink.emit(EvidenceRecord(kind: .groupMember, position: SourcePosition(line: element.line, pointer: element.pointer),
                                     time: time, timeOrigin: origin, fields: fields,
                                     raw: subject.label(path: sink.context.path, listsMembers: listsMembers) + ": " + element.text))
    }

    /// `direct` or `transitive`, as far as the call is known; a list whose call is unknown counts as direct, the
    /// reading that claims less when a member is missing from it.
    var relation: String { (subject.operation?.isTransitive ?? listsGroupIDs) ? "transitive" : "direct" }

    /// Whether the list is the whole of it, and why not.
    var completeness: (Bool, String?) {
        if let nextLink = header.nextLink { return (false, "a page: @odata.nextLink \(nextLink) points at more") }
        if subject.isLaterPage { return (false, "a later page ($skiptoken in the request)") }
        if let count = header.count, count > entries { return (false, "@odata.count says \(count), the page lists \(entries)") }
        if listsGroupIDs && subject.operation != .getMemberGroups {
            return (false, subject.operation == .checkMemberGroups
                ? "checkMemberGroups names only the groups asked about that contain the member"
                : "getMemberGroups or checkMemberGroups: the answer does not say which, so it is read as checkMemberGroups (the groups it names, nothing about others)")
        }
        return (true, nil)
    }

    /// The list record, after the last entry: the snapshot that says what was absent.
    func finish(line: Int) throws {
        let (time, origin) = sink.context.snapshotTime
        if let nextLink = header.nextLink { subject.adopt(payload: MembershipCommand.fromGraphURL(nextLink)) }
        var fields = RecordFields()
        fields.set("listOf", listsMembers ? "group-members" : "member-groups")
        if listsMembers { subject.setGroup(into: &fields) } else { subject.setMember(into: &fields) }
        if listsMembers && subject.group == nil { fields.set("fileName", Self.fileStem(sink.context.path)) }
        fields.set("operation", subject.operation?.rawValue)
        fields.set("operationOrigin", subject.operation == nil ? nil : subject.operationOrigin.rawValue)
        fields.set("relation", relation)
        let (complete, why) = completeness
        fields.set("complete", .bool(complete))
        fields.set("incompleteBecause", why)
        fields.set("entries", .integer(entries))
        fields.set("odataContext", header.context)
        fields.set("nextLink", header.nextLink)
        let raw = "membership list \(sink.context.path): \(subject.label(path: sink.context.path, listsMembers: listsMembers)), \(relation), \(entries) entr\(entries == 1 ? "y" : "ies"), "
            + (complete ? "complete" : "incomplete")
        try sink.emit(EvidenceRecord(kind: .membershipList, position: SourcePosition(line: line), time: time, timeOrigin: origin,
                                     fields: fields, raw: raw))
    }

    /// The file's name without its folder and extension (a display name may be in it).
    static func fileStem(_ path: String) -> String {
        let name = (path.split(separator: "!").last.map(String.init) ?? path).split(separator: "/").last.map(String.init) ?? path
        return name.split(separator: ".").first.map(String.init) ?? name
    }
}
