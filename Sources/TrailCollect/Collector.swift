import Foundation
import TrailIngest
import TrailModel

/// What to collect (the options of `mitrail collect`, as the manifest records them), and how.
public struct CollectOptions: Sendable {
    public var request: CollectorManifest.CollectRequest
    /// `request.since`, parsed.
    public var since: CollectSince
    /// How long one command may run.
    public var timeout: TimeInterval
    public var toolVersion: String

    public init(request: CollectorManifest.CollectRequest, since: CollectSince, timeout: TimeInterval = 300, toolVersion: String) {
        self.request = request
        self.since = since
        self.timeout = timeout
        self.toolVersion = toolVersion
    }
}

/// What the caller wants to see while the commands run. Called on the collecting thread.
public protocol CollectObserver: AnyObject {
    func commandWillStart(_ command: PlannedCommand, number: Int)
    func commandDidFinish(_ command: PlannedCommand, record: CollectorManifest.Command, number: Int)
}

/// The bundle written, and its manifest.
public struct CollectOutcome: Sendable {
    public var bundlePath: String
    public var manifest: CollectorManifest

    /// The commands that failed: what is missing from the bundle.
    public var failures: [CollectorManifest.Command] { manifest.commands.filter { !$0.succeeded } }
    /// The files in the bundle besides the manifest.
    public var files: [String] { manifest.commands.compactMap(\.file) }
}

/// Runs the user's own Azure CLI, one command at a time, to gather the evidence `mitrail explain` needs,
/// each command chosen from what the earlier ones answered; writes every answer through the redactor
/// into a zip bundle with a manifest. A command that fails is recorded and the others go on.
public final class Collector {
    let azure: AzureCLI
    let options: CollectOptions
    weak var observer: CollectObserver?
    let scratch: TemporaryDirectory
    var records: [CollectorManifest.Command] = []
    var notCollected: [CollectorManifest.NotCollected] = []
    /// Files staged for the bundle: path in the bundle → redacted copy.
    var staged: [(path: String, url: URL)] = []
    var number = 0

    public init(azure: AzureCLI, options: CollectOptions, observer: CollectObserver?) throws {
        self.azure = azure
        self.options = options
        self.observer = observer
        scratch = try TemporaryDirectory(prefix: "mitrail-collect")
    }

    /// Collects everything and writes the bundle to `bundlePath`, which must not exist yet. Throws only when
    /// nothing can be collected (not logged in, unknown subscription) or the bundle cannot be written.
    public func collect(to bundlePath: String) throws -> CollectOutcome {
        guard !FileManager.default.fileExists(atPath: bundlePath) else {
            throw CollectError.cannotWriteBundle(path: bundlePath, reason: "it exists already")
        }
        let startedAt = Timestamp.now
        let version = try run(AzureCommands.version())
        let account = try run(AzureCommands.accountShow(subscription: options.request.subscription))
        guard account.record.succeeded, let subscription = AzureJSON.string(AzureJSON.objects(account.value).first, "id") else {
            let said = FailureExplanation.summary(of: account.standardError)
            if account.standardError.lowercased().contains("az login") { throw CollectError.notLoggedIn(azureSaid: said) }
            throw CollectError.accountUnavailable(command: account.record.argv.joined(separator: " "), azureSaid: said.isEmpty ? "no answer" : said)
        }
        let tenant = AzureJSON.string(AzureJSON.objects(account.value).first, "tenantId")
        try collectEvidence(subscription: subscription, now: startedAt)
        let manifest = CollectorManifest(
            toolVersion: options.toolVersion, startedAt: startedAt.iso8601, finishedAt: Timestamp.now.iso8601,
            azureCLI: Self.versions(version.value), subscriptionId: subscription, tenantId: tenant,
            request: options.request, commands: records, notCollected: notCollected)
        try BundleWriter.write(manifest: manifest, files: staged, to: bundlePath)
        return CollectOutcome(bundlePath: bundlePath, manifest: manifest)
    }

    /// `az version`'s answer, kept as it is in the manifest.
    static func versions(_ value: Any?) -> [String: JSONScalarOrObject]? {
        guard let object = value as? [String: Any] else { return nil }
        var versions: [String: JSONScalarOrObject] = [:]
        for (name, value) in object {
            if let text = value as? String {
                versions[name] = .string(text)
            } else if let nested = value as? [String: Any] {
                versions[name] = .object(nested.compactMapValues { $0 as? String })
            }
        }
        return versions
    }

    /// One command's answer: its manifest record, and its output parsed as JSON (from the redacted copy).
    struct Answer {
        var record: CollectorManifest.Command
        var value: Any?
        var standardError: String
        var succeeded: Bool { record.succeeded }
    }

    /// Runs one command, records it, and stages its redacted output for the bundle.
    func run(_ command: PlannedCommand) throws -> Answer {
        number += 1
        observer?.commandWillStart(command, number: number)
        let result = try azure.run(command.arguments, timeout: options.timeout, scratch: scratch.url, name: "command-\(number)")
        defer {
            try? FileManager.default.removeItem(at: result.standardOutput)
            try? FileManager.default.removeItem(at: result.standardError)
        }
        let standardError = Self.start(of: result.standardError)
        var record = CollectorManifest.Command(
            file: nil, purpose: command.purpose, argv: command.arguments, startedAt: result.startedAt.iso8601,
            finishedAt: result.finishedAt.iso8601, exitStatus: result.exitStatus, timedOut: result.timedOut)
        var value: Any?
        if !result.succeeded {
            let failure = FailureExplanation.explain(command, standardError: standardError, timedOut: result.timedOut, timeout: options.timeout)
            record.error = failure.error
            record.remedy = failure.remedy
        } else if let file = command.file {
            if AzureJSON.isEmptyAnswer(result.standardOutput) {
                record.emptyAnswer = true
            } else {
                let path = uniquePath(file)
                let copy = scratch.url.appendingPathComponent("bundle").appendingPathComponent(path)
                let written = try RedactedCopy.make(from: result.standardOutput, to: copy)
                staged.append((path, copy))
                record.file = path
                record.bytes = written.bytes
                record.sha256 = written.sha256
                record.redactedLines = written.redactedLines
                if command.decidesWhatFollows { value = readAnswer(copy, of: command) }
            }
        } else {
            value = AzureJSON.read(result.standardOutput)
        }
        records.append(record)
        observer?.commandDidFinish(command, record: record, number: number)
        return Answer(record: record, value: value, standardError: standardError)
    }

    /// The answer as JSON, to choose what to ask next; an answer too large to read is said, and stays in the bundle.
    func readAnswer(_ url: URL, of command: PlannedCommand) -> Any? {
        if let value = AzureJSON.read(url) { return value }
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int ?? 0
        if size > AzureJSON.maximumReadSize {
            notCollected.append(.init(what: "what \(command.purpose) references",
                                      reason: "the answer (\(size >> 20) MiB) is larger than the \(AzureJSON.maximumReadSize >> 20) MiB mitrail reads to choose what to ask next; it is in the bundle all the same"))
        }
        return nil
    }

    /// `path`, or `path` with `-2`, `-3`, ... before its extension when another file has it already.
    func uniquePath(_ path: String) -> String {
        guard staged.contains(where: { $0.path == path }) else { return path }
        let (stem, suffix) = path.hasSuffix(".json") ? (String(path.dropLast(5)), ".json") : (path, "")
        var index = 2
        while staged.contains(where: { $0.path == "\(stem)-\(index)\(suffix)" }) { index += 1 }
        return "\(stem)-\(index)\(suffix)"
    }

    /// The first 64 KiB of a command's standard error, as text.
    static func start(of url: URL) -> String {
        guard let handle = FileHandle(forReadingAtPath: url.path) else { return "" }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: 64 << 10)) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
