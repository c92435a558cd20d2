import Foundation

/// What a command line says about the membership evidence it printed: the group, the member, and which
/// list or check it ran (`az ad group member list --group G`, `az rest --url .../groups/ID/transitiveMembers`, ...).
///
/// `az ad group member list` prints a bare list that does not name its group, and Graph's `memberOf`,
/// `getMemberGroups` and `checkMemberGroups` answers do not name their member: the command line does.
/// Pure functions of the text, so that a collector manifest's command lines can be read the same way.
public struct MembershipCommand: Equatable, Sendable {
    /// The Graph call (or az command) behind the output.
    public enum Operation: String, Sendable, CaseIterable {
        /// `GET /groups/{id}/members`, `az ad group member list`: the group's direct members.
        case members
        /// `GET /groups/{id}/transitiveMembers`: every member, nested groups expanded.
        case transitiveMembers = "transitive-members"
        /// `GET /servicePrincipals/{id}/memberOf`: the groups the object is a direct member of.
        case memberOf = "member-of"
        /// `GET /servicePrincipals/{id}/transitiveMemberOf`: every group, through nesting.
        case transitiveMemberOf = "transitive-member-of"
        /// `POST .../getMemberGroups`, `az ad group get-member-groups`: every group ID, through nesting.
        case getMemberGroups = "get-member-groups"
        /// `POST .../checkMemberGroups`: which of the groups asked about contain the object, through nesting.
        case checkMemberGroups = "check-member-groups"
        /// `az ad group member check`: `{"value": true}` when the member is in the group, through nesting.
        case memberCheck = "member-check"

        /// True for lists of a group's members (the group is the subject); false for lists of a member's groups.
        public var listsMembers: Bool { self == .members || self == .transitiveMembers }
        /// True when nested groups are expanded (Graph's transitive calls, getMemberGroups, checkMemberGroups).
        public var isTransitive: Bool { ![.members, .memberOf].contains(self) }
    }

    /// The group: an object ID or a display name, as written.
    public var group: String?
    /// The member (user, service principal or group) whose groups were asked for: an object ID, as written.
    public var memberID: String?
    public var operation: Operation?
    /// True when the request asked for a later page (`$skiptoken`): the answer is not the whole list.
    public var isLaterPage = false

    public init(group: String? = nil, memberID: String? = nil, operation: Operation? = nil) {
        self.group = group
        self.memberID = memberID
        self.operation = operation
    }

    /// The `--group` / `-g` value of an az command line, the group of a Graph URL in it.
    public static func group(in argv: [String]) -> String? { parse(argv).group }

    /// The same from a command line written as one string (shell quoting understood).
    public static func group(inCommandLine commandLine: String) -> String? { parse(commandLine: commandLine).group }

    public static func parse(commandLine: String) -> MembershipCommand { parse(ShellWords.split(commandLine)) }

    /// Reads `az ad group member list|check`, `az ad group|user get-member-groups`, and any Graph URL
    /// (`az rest --url`, `curl`) in the arguments.
    public static func parse(_ argv: [String]) -> MembershipCommand {
        var command = MembershipCommand()
        let words = argv.map { $0.lowercased() }
        if let start = sequenceStart(["ad", "group", "member"], in: words), start + 3 < words.count {
            switch words[start + 3] {
            case "list": command.operation = .members
            case "check": command.operation = .memberCheck
            default: break
            }
            command.group = value(of: ["--group", "-g"], in: argv)
            command.memberID = value(of: ["--member-id"], in: argv)
        } else if let start = sequenceStart(["ad", "group", "get-member-groups"], in: words) ?? sequenceStart(["ad", "user", "get-member-groups"], in: words) {
            command.operation = .getMemberGroups
            command.memberID = value(of: words[start + 1] == "group" ? ["--group", "-g"] : ["--id"], in: argv)
        }
        for argument in argv where argument.lowercased().contains("graph.") {
            let fromURL = fromGraphURL(argument)
            command.operation = command.operation ?? fromURL.operation
            command.group = command.group ?? fromURL.group
            command.memberID = command.memberID ?? fromURL.memberID
            command.isLaterPage = command.isLaterPage || fromURL.isLaterPage
        }
        return command
    }

    /// A Graph (graph.microsoft.com, graph.windows.net) URL: `/groups/{id}/members`, `/servicePrincipals/{id}/memberOf`, ...
    public static func fromGraphURL(_ url: String) -> MembershipCommand {
        var command = MembershipCommand()
        let withoutQuery = url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
        command.isLaterPage = url.lowercased().contains("skiptoken=")
        let segments = withoutQuery.split(separator: "/").map(String.init)
        for (index, segment) in segments.enumerated() where index + 1 < segments.count {
            let owner = segment.lowercased()
            guard ["groups", "serviceprincipals", "users", "directoryobjects", "devices"].contains(owner) else { continue }
            let id = segments[index + 1]
            let call = index + 2 < segments.count ? segments[index + 2].lowercased() : ""
            let operation: Operation?
            switch call {
            case "members", "$links": operation = owner == "groups" ? .members : nil
            case "transitivemembers": operation = owner == "groups" ? .transitiveMembers : nil
            case "memberof": operation = .memberOf
            case "transitivememberof": operation = .transitiveMemberOf
            case "getmembergroups": operation = .getMemberGroups
            case "checkmembergroups": operation = .checkMemberGroups
            default: operation = nil
            }
            guard let operation else { continue }
            command.operation = operation
            if operation.listsMembers { command.group = id } else { command.memberID = id }
            return command
        }
        return command
    }

    /// What a file's name says: a group or member object ID, and the call's name (`transitiveMembers`,
    /// `memberOf`, `getMemberGroups`, ...) when it appears in it.
    public static func fromFileName(_ path: String) -> MembershipCommand {
        let name = (path.split(separator: "!").last.map(String.init) ?? path).split(separator: "/").last.map(String.init) ?? path
        let squeezed = name.lowercased().filter { $0.isLetter }
        var command = MembershipCommand()
        let operations: [(String, Operation)] = [
            ("transitivememberof", .transitiveMemberOf), ("memberof", .memberOf), ("getmembergroups", .getMemberGroups),
            ("checkmembergroups", .checkMemberGroups), ("transitivemembers", .transitiveMembers), ("membercheck", .memberCheck),
        ]
        command.operation = operations.first { squeezed.contains($0.0) }?.1
        if let id = firstGUID(in: name) {
            if command.operation.map({ $0.listsMembers }) ?? true { command.group = id } else { command.memberID = id }
        }
        return command
    }

    /// The first object ID (a dashed GUID) in a text.
    static func firstGUID(in text: String) -> String? {
        text.firstMatch(of: #/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/#).map { String($0.output) }
    }

    /// Where `sequence` starts among `words`, in order and next to each other.
    static func sequenceStart(_ sequence: [String], in words: [String]) -> Int? {
        guard words.count >= sequence.count else { return nil }
        return (0...(words.count - sequence.count)).first { Array(words[$0..<($0 + sequence.count)]) == sequence }
    }

    /// The value of the first of `names` (`--group G`, `--group=G`, `-g G`).
    static func value(of names: [String], in argv: [String]) -> String? {
        for (index, argument) in argv.enumerated() {
            for name in names {
                if argument == name, index + 1 < argv.count { return argv[index + 1] }
                if argument.hasPrefix(name + "=") { return String(argument.dropFirst(name.count + 1)) }
            }
        }
        return nil
    }
}

/// Splits a command line into words the way a POSIX shell does for plain quoting: '...', "..." and backslashes.
enum ShellWords {
    static func split(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
                continue
            }
            if let open = quote {
                if character == open { quote = nil } else if character == "\\" && open == "\"" { escaped = true } else { current.append(character) }
                continue
            }
            switch character {
            case "\\": escaped = true; inWord = true
            case "'", "\"": quote = character; inWord = true
            case " ", "\t", "\n":
                if inWord { words.append(current) }
                current = ""
                inWord = false
            default:
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }
}
