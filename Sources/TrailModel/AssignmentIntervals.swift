extension Array where Element == AssignmentInterval {
    /// Whether something with these periods (a role assignment, a group membership) was in force at `time`:
    /// in force in one of them wins, then "cannot tell", then the first other answer; nil with no periods.
    public func inForce(at time: Timestamp) -> InForce? {
        var best: InForce?
        for interval in self {
            let state = interval.inForce(at: time)
            switch state {
            case .yes: return .yes
            case .unknown: best = state
            default: if best == nil { best = state }
            }
        }
        return best
    }
}
