import TrailModel

/// How an episode of one diagnosis ends. Each rule declares its own (`DiagnosisRule.resolution`, in the rule's
/// file); `EpisodeBuilder` looks for the end the strategy names and never asks which code the episode has.
public enum ResolutionStrategy: Sendable, Equatable {
    /// A role assignment created after the last failure grants the missing action at the scope (`GrantingAssignment`).
    case grantingRoleAssignment
    /// A propagation delay ends when the grant made before its failures takes effect (`GrantTookEffect`).
    case grantTookEffect
    /// A setting of the Batch account changed: the first later snapshot that shows it, dated by the Activity Log
    /// write that made it when the evidence has one (`ConfigurationChangeResolution`).
    case configurationChange(ConfigurationSetting)
    /// The identity was added to the pool's identities (or the account's reference moved to one of them).
    case identityAttachedToPool
    /// The failures stop: on every node, the last failure is followed by a success of the same request
    /// (identity, resource) and no later failure of the kind (`FailuresStop`).
    case failuresStop(FailuresStop.Match)
    /// A fresh token for the identity and the called service after the last failure, after which calls to the
    /// service succeed (`FreshTokenThenSuccess`).
    case freshTokenThenSuccess
    /// A grant on the vault for the Azure Batch service principal (a role or an access policy), then a later
    /// operation of the account that succeeds (`KeyVaultGrantThenSuccess`).
    case keyVaultGrantThenSuccess
    /// Nothing in the evidence can show this episode's end: it stays ongoing.
    case none

    /// The account settings a configuration change can be about.
    public enum ConfigurationSetting: Sendable, Equatable {
        /// The autostorage node identity reference (or autostorage leaving managed identity authentication).
        case nodeIdentityReference
    }

    /// What a failure of the same group that comes after the episode's resolution means.
    enum LaterFailure: Equatable {
        /// Inside the fix's propagation window it belongs to the episode (flagged); after it, a new episode starts.
        case insidePropagationWindowBelongs
        /// Within `quietPeriod` of the resolution the failures had not stopped: the episode goes on, and its end is
        /// looked for again; later, a new episode starts.
        case reopensWithinQuietPeriod
        /// The fix did not hold: a new episode starts.
        case startsNewEpisode
        /// The resolution precedes the failures (a grant that had not taken effect): every failure belongs.
        case belongs
    }

    var laterFailure: LaterFailure {
        switch self {
        case .grantingRoleAssignment: return .insidePropagationWindowBelongs
        case .grantTookEffect: return .belongs
        case .failuresStop, .freshTokenThenSuccess: return .reopensWithinQuietPeriod
        case .configurationChange, .identityAttachedToPool, .keyVaultGrantThenSuccess, .none: return .startsNewEpisode
        }
    }

    /// True when the end found after a time depends on the episode and that time only (not on which failure came
    /// last): a later failure that still comes before the end found (or after a time no end followed) finds the
    /// same one, so it need not be looked for again for each of thousands of failures.
    var dependsOnlyOnTime: Bool {
        switch self {
        case .grantTookEffect, .failuresStop: return false
        case .grantingRoleAssignment, .configurationChange, .identityAttachedToPool, .freshTokenThenSuccess,
             .keyVaultGrantThenSuccess, .none:
            return true
        }
    }

    /// True for the changes that take a while to apply (role assignments): only their episodes have a propagation window.
    public var hasPropagationWindow: Bool {
        self == .grantingRoleAssignment || self == .grantTookEffect
    }

    /// How long after the end found a failure of the same kind still means the failures had not stopped
    /// (`reopensWithinQuietPeriod`): IMDS's retry guidance backs off for up to about 70 seconds; five minutes
    /// without a failure after a success is a stop.
    static let quietPeriod: Int64 = 5 * 60 * 1000
}

/// The end an episode's strategy found: when, by what, and the record that shows it.
struct Resolution {
    var at: Timestamp?
    var by: String
    var evidence: EvidenceReference?
}
