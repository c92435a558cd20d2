import TrailExplain
import TrailModel

/// `mitrail identities` as text and JSON.
public enum IdentitiesOutput {
    public static func text(_ identities: [ResolvedIdentity], memberships: GroupMembershipHistory = .empty) -> String {
        guard !identities.isEmpty else { return "No identities in the evidence yet: ingest pool or account JSON, az identity output, tokens or logs.\n" }
        var output = ""
        for identity in identities {
            output += "\(identity.name)  (\(identity.kind.rawValue))\n"
            if let resourceID = identity.resourceID { output += "  resource ID   \(resourceID)\n" }
            for (index, generation) in identity.generations.enumerated() {
                let label = identity.generations.count > 1 ? "generation \(index + 1)" : "IDs"
                output += "  \(label.padding(toLength: 13, withPad: " ", startingAt: 0)) client \(generation.clientID ?? "?")  principal \(generation.principalID ?? "?")"
                output += generation.tenantID.map { "  tenant \($0)" } ?? ""
                output += "\n                seen \(span(generation.firstSeen, generation.lastSeen)) in \(generation.evidence.count) record\(generation.evidence.count == 1 ? "" : "s")"
                output += generation.evidence.first.map { ", first --> \($0)" } ?? ""
                output += "\n"
            }
            for attachment in identity.attachments {
                output += "  attached      \(describe(attachment)), seen \(span(attachment.firstSeen, attachment.lastSeen))\n"
            }
            output += GroupPathOutput.groupsText(of: identity.principalIDs, memberships: memberships)
            output += "\n"
        }
        return output
    }

    public static func json(_ identities: [ResolvedIdentity], memberships: GroupMembershipHistory = .empty) -> JSONValue {
        .object([("identities", .array(identities.map { identity in
            .object([
                ("name", .string(identity.name)),
                ("kind", .string(identity.kind.rawValue)),
                ("resourceId", .string(identity.resourceID)),
                ("generations", .array(identity.generations.map { generation in
                    .object([
                        ("clientId", .string(generation.clientID)), ("principalId", .string(generation.principalID)),
                        ("tenantId", .string(generation.tenantID)), ("firstSeen", .time(generation.firstSeen)),
                        ("lastSeen", .time(generation.lastSeen)),
                        ("evidence", .array(generation.evidence.map(EvidenceJSON.reference))),
                    ])
                })),
                ("attachments", .array(identity.attachments.map { attachment in
                    .object([("kind", .string(attachment.kind)), ("target", .string(attachment.target)),
                             ("firstSeen", .time(attachment.firstSeen)), ("lastSeen", .time(attachment.lastSeen))])
                })),
                ("groups", GroupPathOutput.groupsJSON(of: identity.principalIDs, memberships: memberships)),
            ])
        }))])
    }

    static func describe(_ attachment: ResolvedIdentity.Attachment) -> String {
        switch attachment.kind {
        case "pool": return "to pool \(attachment.target) (pool identity)"
        case "account": return "to Batch account \(attachment.target) (account identity)"
        case "account-system-identity": return "as Batch account \(attachment.target)'s system-assigned identity"
        case "node-identity-reference": return "as node identity reference of Batch account \(attachment.target)'s autostorage"
        case "token": return "received tokens on \(attachment.target)"
        case "request": return "acted on \(attachment.target)"
        default: return "\(attachment.kind) \(attachment.target)"
        }
    }

    static func span(_ first: Timestamp?, _ last: Timestamp?) -> String {
        switch (first, last) {
        case let (first?, last?) where first == last: return "at \(first)"
        case let (first?, last?): return "from \(first) to \(last)"
        default: return "at an unknown time"
        }
    }
}

/// JSON for evidence references, shared by every output.
public enum EvidenceJSON {
    public static func reference(_ reference: EvidenceReference) -> JSONValue {
        .object([("source", .string(reference.source)), ("line", reference.line.map { .integer(Int64($0)) } ?? .null)])
    }
}
