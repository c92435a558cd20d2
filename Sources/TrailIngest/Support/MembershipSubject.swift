import TrailModel

/// What ingest was told about the group membership files it reads: `mitrail ingest --group ID|NAME
/// --member-id ID`, and the command line that printed the file (from a collector manifest), when known.
public struct MembershipHints: Hashable, Sendable {
    public var group: String?
    public var memberID: String?
    /// The argv of the command that printed the file.
    public var commandLine: [String]?

    public init(group: String? = nil, memberID: String? = nil, commandLine: [String]? = nil) {
        self.group = group
        self.memberID = memberID
        self.commandLine = commandLine
    }
}

/// The group or member a membership file is about, with where that came from.
struct MembershipSubject {
    /// Where the subject was found, best first: stored in the list record's `subjectOrigin`.
    enum Origin: String {
        case option, commandLine = "command-line", payload, fileName = "file-name", none
    }

    var group: String?
    var groupOrigin: Origin = .none
    var memberID: String?
    var memberOrigin: Origin = .none
    var operation: MembershipCommand.Operation?
    var operationOrigin: Origin = .none
    var isLaterPage = false

    /// From `--group` / `--member-id`, else the command line, else the file name.
    init(hints: MembershipHints, path: String) {
        let sources: [(MembershipCommand, Origin)] = [
            (MembershipCommand(group: hints.group, memberID: hints.memberID), .option),
            (hints.commandLine.map(MembershipCommand.parse) ?? MembershipCommand(), .commandLine),
            (MembershipCommand.fromFileName(path), .fileName),
        ]
        for (command, origin) in sources {
            if group == nil, let value = command.group, !value.isEmpty { (group, groupOrigin) = (value, origin) }
            if memberID == nil, let value = command.memberID, !value.isEmpty { (memberID, memberOrigin) = (value, origin) }
            if operation == nil, let value = command.operation { (operation, operationOrigin) = (value, origin) }
            isLaterPage = isLaterPage || command.isLaterPage
        }
    }

    /// Takes what the payload says (a `@odata.nextLink` naming the group) where nothing better did.
    mutating func adopt(payload command: MembershipCommand) {
        if groupOrigin == .none || groupOrigin == .fileName, let value = command.group { (group, groupOrigin) = (value, .payload) }
        if memberOrigin == .none || memberOrigin == .fileName, let value = command.memberID { (memberID, memberOrigin) = (value, .payload) }
        if operation == nil, let value = command.operation { (operation, operationOrigin) = (value, .payload) }
    }

    /// The group as stored: an object ID goes to `groupId`, anything else to `groupName`.
    func setGroup(into fields: inout RecordFields) {
        guard let group else { return }
        fields.set(ARMValues.guid(group) != nil ? "groupId" : "groupName", ARMValues.guid(group) ?? group)
        fields.set("groupOrigin", groupOrigin.rawValue)
    }

    func setMember(into fields: inout RecordFields) {
        guard let memberID else { return }
        fields.set("memberId", ARMValues.guid(memberID) ?? memberID)
        fields.set("memberOrigin", memberOrigin.rawValue)
    }

    /// How a record's text names the list it is in, so that the same object listed for two groups stays two records.
    func label(path: String, listsMembers: Bool) -> String {
        if !listsMembers { return "groups of " + (memberID ?? "an unnamed member (listed in \(path))") }
        return "members of group " + (group ?? "(unnamed, listed in \(path))")
    }
}
