import TrailModel

extension ExplainContext {
    /// How long a group membership change may take to reach a managed identity: its tokens carry the group
    /// claims they were issued with and are cached up to about 24 hours (DESIGN.md glossary, the seeds).
    public static let groupMembershipWindow: Int64 = 24 * 60 * 60 * 1000
}

/// A grant that reached the principal through a group: the membership (or the assignment to the group) that
/// began it, and the window in which failures still count as its propagation.
struct GroupGrant {
    var at: Timestamp
    var text: String
    var evidence: EvidenceReference?
    /// The membership changed (24-hour window); else the assignment to a group it was already in was made (10 minutes).
    var isMembershipChange: Bool
}

extension RoleCheck {
    /// The granting path through a group whose latest step began exactly (an audit log add) shortly before the
    /// time asked about: the consideration, the step, and when it began.
    func recentMembershipGrant(within window: Int64) -> (AccessVerdict.Consideration, MembershipStep, Timestamp)? {
        for consideration in facts.granting {
            guard let membership = consideration.membership else { continue }
            let started = membership.path.compactMap { step -> (MembershipStep, Timestamp)? in
                guard let interval = step.interval, case .exactly(let time) = interval.start else { return nil }
                return (step, time)
            }.max { $0.1 < $1.1 }
            if let (step, start) = started, at.millisecondsSince1970 - start.millisecondsSince1970 <= window { return (consideration, step, start) }
        }
        return nil
    }
}

/// `rbac-propagation-delay` when the grant came through a group the identity had just joined.
enum MembershipPropagation {
    static func diagnosis(_ facts: FailureFacts, consideration: AccessVerdict.Consideration, step: MembershipStep, added: Timestamp,
                          context: ExplainContext) -> Diagnosis? {
        guard let failed = facts.time, let membership = consideration.membership else { return nil }
        let minutes = (failed.millisecondsSince1970 - added.millisecondsSince1970) / 60_000
        let role = consideration.roleName ?? "the role"
        let group = membership.describeGroup(step.groupID)
        var diagnosis = Diagnosis(
            code: .rbacPropagationDelay, identity: facts.identity, scope: facts.diagnosisScope,
            finding: "\(facts.failure.what) \(minutes) min after \(facts.identity.displayName) was added to group \(group), which holds \(role): "
                + "the membership had not reached its token",
            reason: "\(step.memberID) was added to group \(group) at \(added)\(step.membership.addedBy.map { " by \($0)" } ?? ""); "
                + "group \(membership.describeGroup(membership.groupID)) holds \(role) at \(consideration.assignment.scope?.original ?? "the scope"). "
                + "A managed identity's tokens carry the group claims they were issued with and are cached up to about 24 hours, "
                + "so a membership change can take that long to apply (a new role assignment, about 10 minutes).",
            fix: "wait for a new token (up to 24 hours), or restart the node or process so that it asks IMDS for one now; "
                + "or assign the role to the identity directly: "
                + FixCommands.assignRole(principal: facts.identity.principalID, role: role, scope: consideration.assignment.scope?.original))
        diagnosis.supporting = ([step.evidence].compactMap { $0 } + consideration.assignment.evidence.prefix(1)).uniqued()
        return diagnosis
    }
}

extension EpisodeBuilder {
    /// What ended an episode of a missing permission: the first granting role assignment to the principal after
    /// `time`, or the first grant through a group, whichever came first; sets the episode's propagation window
    /// (24 hours for a membership change).
    func grantingAssignmentOrMembership(_ episode: inout Episode, after time: Timestamp) -> Resolution? {
        let direct = GrantingAssignment.first(for: episode.diagnosis, after: time, in: context)
        let group = groupGrant(episode.diagnosis, after: time)
        episode.propagationWindow = ExplainContext.propagationWindow
        guard let group, direct.flatMap(\.at).map({ group.at < $0 }) ?? true else { return direct }
        if group.isMembershipChange { episode.propagationWindow = ExplainContext.groupMembershipWindow }
        return Resolution(at: group.at, by: group.text, evidence: group.evidence)
    }

    /// The first time after `time` at which an assignment to a group granted the missing action at the scope to the
    /// principal: the principal joined the group (or a group nested in it), or the assignment to a group it was in began.
    func groupGrant(_ diagnosis: Diagnosis, after time: Timestamp) -> GroupGrant? {
        guard let principal = diagnosis.identity.principalID, let actionName = diagnosis.missingAction, let scope = diagnosis.scope,
              !context.memberships.groupIDs.isEmpty else { return nil }
        let action = RequiredAction(actionName, isDataAction: actionName.contains("/blobServices/") || actionName.contains("/secrets/"))
        let target = context.scopes.scope(scope)
        let memberships = context.memberships
        var best: GroupGrant?
        for assignment in context.history.assignments {
            guard let group = assignment.principalID, memberships.isGroup(group), let assigned = assignment.scope, assigned.contains(target),
                  let role = context.catalog.role(guid: assignment.roleGUID, name: assignment.roleName), role.permissions.grants(action),
                  assignment.condition?.isEmpty ?? true else { continue }
            let name = memberships.describeGroup(group)
            // Every moment the answer can turn: a membership change, or the assignment's own start.
            let moments = (memberships.changePoints + assignment.intervals.map(\.knownFrom)).filter { $0 > time }.sorted()
            for moment in moments where best.map({ moment < $0.at }) ?? true {
                guard assignment.inForce(at: moment) == .yes, case .member(let path) = memberships.answer(member: principal, group: group, at: moment)
                else { continue }
                let joined = path.compactMap { step -> (MembershipStep, Timestamp)? in step.interval.map { (step, $0.knownFrom) } }.max { $0.1 < $1.1 }
                if let (step, started) = joined, started > time {
                    best = GroupGrant(at: started, text: membershipText(step, group: name, role: role.name, assignment: assignment, started: started),
                                      evidence: step.evidence, isMembershipChange: true)
                } else {
                    best = GroupGrant(at: moment, text: "role assignment \(assignment.assignmentID?.split(separator: "/").last.map(String.init) ?? assignment.key): "
                                        + "\(role.name) at \(assignment.scope?.original ?? scope) for group \(name), of which \(principal) was a member",
                                      evidence: assignment.intervals.first { $0.knownFrom == moment }?.startEvidence ?? assignment.evidence.first,
                                      isMembershipChange: false)
                }
                break
            }
        }
        return best
    }

    func membershipText(_ step: MembershipStep, group: String, role: String, assignment: RoleAssignmentHistory.Assignment, started: Timestamp) -> String {
        var how: String
        switch step.interval?.start {
        case .exactly?: how = "added" + (step.membership.addedBy.map { " by \($0)" } ?? "") + " to"
        case .between(let absent, _)?: how = "added between \(absent) and \(started) to"
        default: how = "first seen at \(started) in a membership list of"
        }
        let via = step.groupID == assignment.principalID ? "" : " (\(context.memberships.describeGroup(step.groupID)), nested in it)"
        return "\(step.memberID) \(how) group \(group)\(via), which holds \(role) at \(assignment.scope?.original ?? "the scope"); "
            + "the 24-hour window applies: a managed identity's tokens carry the group claims they were issued with and are cached up to about 24 hours"
    }

    /// A propagation delay through a group ends when the membership reached the token: resolved by the latest
    /// membership change (an audit log add) of the principal into a group holding a role at the scope, when every
    /// failure came within 24 hours after it. `last` is the episode's last failure.
    func membershipTookEffect(_ episode: Episode, last: Timestamp) -> Resolution? {
        guard let principal = episode.diagnosis.identity.principalID, let scope = episode.diagnosis.scope.map(context.scopes.scope) else { return nil }
        let holders = Set(context.history.assignments.compactMap { assignment -> String? in
            guard let assigned = assignment.scope, assigned.contains(scope) || scope.contains(assigned) else { return nil }
            return assignment.principalID
        })
        var latest: (Timestamp, GroupMembershipHistory.Membership, AssignmentInterval)?
        for membership in context.memberships.memberships(ofMember: principal) where holders.contains(membership.groupID) {
            for interval in membership.intervals where interval.inForce(at: last) == .yes {
                guard case .exactly(let added) = interval.start, added <= last else { continue }
                if latest.map({ added > $0.0 }) ?? true { latest = (added, membership, interval) }
            }
        }
        guard let (added, membership, interval) = latest,
              last.millisecondsSince1970 - added.millisecondsSince1970 <= ExplainContext.groupMembershipWindow else { return nil }
        return Resolution(at: added, by: "\(principal) added to group \(context.memberships.describeGroup(membership.groupID)) at \(added)"
                              + (membership.addedBy.map { " by \($0)" } ?? "") + "; every failure came within the 24-hour window of a membership change",
                          evidence: interval.startEvidence ?? membership.evidence.first)
    }
}
