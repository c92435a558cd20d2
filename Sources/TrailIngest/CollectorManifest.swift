import Foundation
import TrailModel

/// `manifest.json` of a `mitrail collect` bundle: every command the collector ran, with its exact
/// arguments, start and end time (UTC), exit status, and for a failure its error and what would let it
/// run (the role the person collecting needs); the file each successful command wrote; what could not
/// be asked for; and the Azure CLI version.
///
/// `mitrail collect` writes it; ingest reads it to give each file of the bundle the end time of the
/// command that wrote it as its observed-at time (origin `collector`) and to keep that command line
/// with the source.
public struct CollectorManifest: Codable, Equatable, Sendable {
    /// The name of the manifest inside a bundle (at its root, or at the root of an unpacked bundle).
    public static let fileName = "manifest.json"
    /// What `generator` says in every manifest mitrail writes.
    public static let generatorName = "mitrail collect"
    public static let currentVersion = 1
    /// A manifest larger than this is not read (a manifest lists a few dozen commands).
    static let maximumSize = 16 << 20

    public var manifestVersion: Int
    public var generator: String
    /// The mitrail version that collected.
    public var toolVersion: String
    public var startedAt: String
    public var finishedAt: String
    /// `az version -o json`, as the Azure CLI printed it (`{"azure-cli": "2.67.0", ...}`), when it answered.
    public var azureCLI: [String: JSONScalarOrObject]?
    /// The subscription and tenant the commands ran against (`az account show`).
    public var subscriptionId: String?
    public var tenantId: String?
    /// What was asked for: the options of `mitrail collect`.
    public var request: CollectRequest
    public var commands: [Command]
    public var notCollected: [NotCollected]

    /// What `mitrail collect` was asked to collect.
    public struct CollectRequest: Codable, Equatable, Sendable {
        public var account: String
        public var resourceGroup: String
        public var subscription: String?
        public var pools: [String]
        public var jobs: [String]
        public var since: String
        public var workspace: String?

        public init(account: String, resourceGroup: String, subscription: String?, pools: [String], jobs: [String],
                    since: String, workspace: String?) {
            self.account = account
            self.resourceGroup = resourceGroup
            self.subscription = subscription
            self.pools = pools
            self.jobs = jobs
            self.since = since
            self.workspace = workspace
        }
    }

    /// One command the collector ran.
    public struct Command: Codable, Equatable, Sendable {
        /// The file its output was written to, relative to the manifest; nil when it failed, answered
        /// nothing, or its answer is not evidence (`az version`).
        public var file: String?
        /// What the output is evidence of, in a few words.
        public var purpose: String
        /// The exact arguments, `az` first.
        public var argv: [String]
        public var startedAt: String
        public var finishedAt: String
        /// The exit status; nil when it was stopped at its timeout.
        public var exitStatus: Int32?
        public var timedOut: Bool
        /// True when it succeeded with an empty answer (`[]`): nothing to write, and nothing missing.
        public var emptyAnswer: Bool
        /// For a failure: the start of what it printed on standard error, redacted.
        public var error: String?
        /// For a failure: what would let it run (the role the person collecting needs, a login, a name to check).
        public var remedy: String?
        /// Size and SHA-256 of the file as written, and how many of its lines the redactor changed.
        public var bytes: Int64?
        public var sha256: String?
        public var redactedLines: Int?

        public init(file: String?, purpose: String, argv: [String], startedAt: String, finishedAt: String, exitStatus: Int32?,
                    timedOut: Bool, emptyAnswer: Bool = false, error: String? = nil, remedy: String? = nil,
                    bytes: Int64? = nil, sha256: String? = nil, redactedLines: Int? = nil) {
            self.file = file
            self.purpose = purpose
            self.argv = argv
            self.startedAt = startedAt
            self.finishedAt = finishedAt
            self.exitStatus = exitStatus
            self.timedOut = timedOut
            self.emptyAnswer = emptyAnswer
            self.error = error
            self.remedy = remedy
            self.bytes = bytes
            self.sha256 = sha256
            self.redactedLines = redactedLines
        }

        public var succeeded: Bool { exitStatus == 0 && !timedOut }
    }

    /// Evidence the collector did not ask for, because what it is derived from could not be read.
    public struct NotCollected: Codable, Equatable, Sendable {
        public var what: String
        public var reason: String

        public init(what: String, reason: String) {
            self.what = what
            self.reason = reason
        }
    }

    public init(toolVersion: String, startedAt: String, finishedAt: String, azureCLI: [String: JSONScalarOrObject]?,
                subscriptionId: String?, tenantId: String?, request: CollectRequest, commands: [Command], notCollected: [NotCollected]) {
        manifestVersion = Self.currentVersion
        generator = Self.generatorName
        self.toolVersion = toolVersion
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.azureCLI = azureCLI
        self.subscriptionId = subscriptionId
        self.tenantId = tenantId
        self.request = request
        self.commands = commands
        self.notCollected = notCollected
    }

    /// The manifest as written into a bundle: pretty-printed, keys sorted, slashes as they are.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// The manifest in `data`, or nil when it is not one `mitrail collect` wrote (another tool's manifest.json).
    public static func decode(_ data: Data) -> CollectorManifest? {
        guard let manifest = try? JSONDecoder().decode(CollectorManifest.self, from: data),
              manifest.generator == generatorName, manifest.manifestVersion >= 1 else { return nil }
        return manifest
    }

    /// The manifest in the file at `path`, or nil when it is not one (or too large to be one).
    public static func read(path: String) -> CollectorManifest? {
        guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size <= maximumSize,
              let data = FileManager.default.contents(atPath: path) else { return nil }
        return decode(data)
    }

    /// What ingest takes from the manifest for the file at `relativePath`: the end time of its command and the command.
    public func provenance(ofFile relativePath: String) -> CollectedProvenance? {
        guard let command = commands.first(where: { $0.file == relativePath && $0.succeeded }) else { return nil }
        return CollectedProvenance(observedAt: TimestampParser.parse(command.finishedAt), command: command.argv)
    }
}

/// The provenance a collector manifest gives one file.
public struct CollectedProvenance: Equatable, Sendable {
    /// When the command that wrote the file finished (for a whole bundle: when the collection finished).
    public var observedAt: Timestamp?
    /// The command that wrote the file; nil for a whole bundle.
    public var command: [String]?
}

/// A value of `az version`'s output: a version string, or an object (`"extensions": {"name": "1.0"}`).
public enum JSONScalarOrObject: Codable, Equatable, Sendable {
    case string(String)
    case object([String: String])

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let object = try? container.decode([String: String].self) {
            self = .object(object)
        } else {
            self = .string("")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .object(let object): try container.encode(object)
        }
    }
}
