import Crypto
import Foundation
import Logging
import TrailModel
import TrailStore

/// What happened to one input file.
public struct FileOutcome: Sendable {
    public enum Status: Sendable {
        /// Parsed and stored; counts say how many records.
        case ingested(SourceCounts)
        /// The same content (same SHA-256) is in the store already.
        case alreadyIngested(sourceID: Int64, path: String)
        /// No format claimed the content.
        case unrecognised(tried: [String])
        /// The file could not be read at all.
        case failed(message: String)
        /// Not evidence and not an error: an archive entry such as a task's stdout.txt that no format reads.
        case skipped(reason: String)
    }

    public var path: String
    public var format: String?
    public var size: Int64
    public var status: Status
    /// A problem that stopped reading part-way (a truncated .gz); what was read before it is kept.
    public var warning: String?
    /// For content no format recognises: the closest formats and why each refused it.
    public var refusals: [FormatRefusal] = []
}

/// A source's bytes on disk with what is known of them before parsing.
struct SourceContent {
    var openPath: String
    /// The path to show and store (`bundle.zip!entry/path` for an archive entry).
    var displayPath: String
    var sha256: String
    var size: Int64
    var modified: Timestamp?
    /// The archive's source row, for an archive entry.
    var parentID: Int64?
    /// What a collector manifest says of the file: when its command finished, and the command.
    var collected: CollectedProvenance?
}

/// What the caller wants to see while ingest runs. Called on the ingesting thread.
public protocol IngestObserver: AnyObject {
    func ingestWillStart(path: String, size: Int64)
    func ingestProgress(path: String, bytesRead: Int64, size: Int64)
    func ingestDidFinish(_ outcome: FileOutcome)
}

public struct IngestOptions: Sendable {
    /// Parse every file with this format instead of detecting one.
    public var formatID: String?
    /// The time snapshots were taken, overriding the payload's time and the file's mtime.
    public var observedAt: Timestamp?
    public var toolVersion: String
    /// The group (`--group`) and member (`--member-id`) of membership files that do not name them.
    public var membership = MembershipHints()

    public init(formatID: String? = nil, observedAt: Timestamp? = nil, toolVersion: String, membership: MembershipHints = MembershipHints()) {
        self.formatID = formatID
        self.observedAt = observedAt
        self.toolVersion = toolVersion
        self.membership = membership
    }
}

/// Reads files into the store: hash, skip known content, detect the format, parse, store with provenance.
public final class IngestPipeline {
    let store: EvidenceStore
    let options: IngestOptions
    weak var observer: IngestObserver?
    let logger: Logger
    let forcedFormat: (any EvidenceFormat)?
    /// How far archive entries may expand (zip bomb protection).
    public var archiveLimits = ArchiveLimits()
    /// Collector manifests beside the files read (an unpacked `mitrail collect` bundle).
    let manifestsOnDisk = CollectorManifestLookup.onDisk()

    public init(store: EvidenceStore, options: IngestOptions, observer: IngestObserver?, logger: Logger = Logger(label: "mitrail.ingest")) throws {
        self.store = store
        self.options = options
        self.observer = observer
        self.logger = logger
        if let formatID = options.formatID {
            guard let format = FormatRegistry.format(id: formatID) else {
                throw IngestError.unknownFormat(id: formatID, known: FormatRegistry.ids)
            }
            forcedFormat = format
        } else {
            forcedFormat = nil
        }
    }

    /// Ingests files, directories (recursively) and `-` (standard input); one path's failure never stops the others.
    public func ingest(paths: [String]) -> [FileOutcome] {
        let (files, problems) = InputWalker.expand(paths)
        let unreadable = problems.map { problem in
            let outcome = FileOutcome(path: problem.path, format: nil, size: 0,
                                      status: problem.isError ? .failed(message: problem.message) : .skipped(reason: problem.message))
            observer?.ingestDidFinish(outcome)
            return outcome
        }
        return unreadable + ingest(files)
    }

    /// Ingests every file; one file's failure never stops the others. An archive gives one outcome per entry.
    public func ingest(_ files: [InputFile]) -> [FileOutcome] {
        files.flatMap { file in
            do {
                return try ingest(file)
            } catch {
                return [finished(FileOutcome(path: file.displayPath, format: nil, size: 0,
                                             status: .failed(message: error.localizedDescription)))]
            }
        }
    }

    /// Tells the observer an outcome is final, and hands it back.
    func finished(_ outcome: FileOutcome) -> FileOutcome {
        observer?.ingestDidFinish(outcome)
        return outcome
    }

    func ingest(_ file: InputFile) throws -> [FileOutcome] {
        let spooled = file.isStandardInput ? try StandardInputSpool() : nil
        let openPath = spooled?.path ?? file.openPath
        let (sha256, size, modified) = try Self.digestFile(at: openPath)
        if let known = try store.completeSource(sha256: sha256) {
            logger.debug("already ingested", metadata: ["path": "\(file.displayPath)", "source": "\(known.id)"])
            return [finished(FileOutcome(path: file.displayPath, format: known.format, size: size,
                                         status: .alreadyIngested(sourceID: known.id, path: known.path)))]
        }
        if let process = try store.runningIngest(sha256: sha256, path: file.displayPath) {
            return [finished(FileOutcome(path: file.displayPath, format: nil, size: size,
                                         status: .skipped(reason: "process \(process) is ingesting the same content right now")))]
        }
        if !file.isStandardInput, manifestsOnDisk.isManifest(file.displayPath) {
            return [finished(Self.skippedManifest(path: file.displayPath, size: size))]
        }
        let content = SourceContent(openPath: openPath, displayPath: file.displayPath, sha256: sha256, size: size,
                                    modified: file.isStandardInput ? nil : modified, parentID: nil,
                                    collected: file.isStandardInput ? nil : manifestsOnDisk.provenance(of: file.displayPath))
        return try ingest(content, depth: 0)
    }

    /// The outcome of a collector manifest met as an input: not evidence itself, and not an error.
    static func skippedManifest(path: String, size: Int64) -> FileOutcome {
        FileOutcome(path: path, format: nil, size: size,
                    status: .skipped(reason: "the manifest of a mitrail collect bundle: each file keeps its command and end time as its provenance"))
    }

    /// Ingests content whose digest is known: a zip archive entry by entry, anything else with its format.
    func ingest(_ content: SourceContent, depth: Int) throws -> [FileOutcome] {
        observer?.ingestWillStart(path: content.displayPath, size: content.size)
        if try ArchiveIngest.isZip(path: content.openPath) {
            return try ingestArchive(content, depth: depth)
        }
        var outcome = try parse(content)
        if content.parentID != nil, case .unrecognised(let tried) = outcome.status, ArchiveIngest.isTaskOutput(content.displayPath) {
            outcome.status = .skipped(reason: "task output that no format reads (tried \(tried.joined(separator: ", ")))")
        }
        return [finished(outcome)]
    }

    /// Detects the format of one source and stores its records.
    ///
    /// The bytes are hashed again as they are parsed: should the file have changed since it was first
    /// hashed, the source keeps the SHA-256 and size of what was parsed, and the outcome says so.
    func parse(_ content: SourceContent) throws -> FileOutcome {
        let sample = try Self.sample(content.openPath)
        if let emptiness = Self.emptiness(of: sample) {
            return FileOutcome(path: content.displayPath, format: nil, size: content.size, status: .skipped(reason: emptiness))
        }
        guard let format = forcedFormat ?? FormatRegistry.detect(sample) else {
            var outcome = FileOutcome(path: content.displayPath, format: nil, size: content.size,
                                      status: .unrecognised(tried: FormatRegistry.ids))
            if content.parentID == nil || !ArchiveIngest.isTaskOutput(content.displayPath) {
                outcome.refusals = FormatRegistry.closest(to: sample)
            }
            return outcome
        }
        let (writer, context) = try startSource(content, format: format.id)
        let sink = StoreSink(writer: writer, context: context)
        let hashing = HashingStream(upstream: try FileStream(path: content.openPath))
        let size = content.size
        let progress = ProgressStream(upstream: hashing, size: size) { [weak observer] read in
            observer?.ingestProgress(path: content.displayPath, bytesRead: read, size: size)
        }
        var warnings: [String] = []
        do {
            try format.run(ParseInput(stream: try Self.decoded(progress, path: content.displayPath)), into: sink)
        } catch let failure as StoreWriteFailure {
            throw failure.underlying
        } catch {
            // The stream broke part-way (a truncated .gz) or the parser gave up: keep what was read and say where it stopped.
            let message = (error as? LocalizedError)?.errorDescription ?? "the \(format.id) parser stopped: \(error)"
            warnings.append(message)
            try RedactingSink(sink).reject(line: nil, reason: "reading stopped: \(message)", text: "")
        }
        if !hashing.reachedEnd { try hashing.drain() }
        let parsed = (sha256: hashing.hex, size: hashing.count)
        if parsed.sha256 != content.sha256 {
            warnings.append("the file changed while it was read (\(content.size) bytes when first hashed, \(parsed.size) parsed); "
                            + "the SHA-256 and size kept are those of the bytes parsed")
        }
        let counts = try writer.finish(sha256: parsed.sha256, size: parsed.size)
        return FileOutcome(path: content.displayPath, format: format.id, size: parsed.size, status: .ingested(counts),
                           warning: warnings.isEmpty ? nil : warnings.joined(separator: "; "))
    }

    /// Writes the source row (status `ingesting`) and gives the context its parser sees.
    func startSource(_ content: SourceContent, format: String) throws -> (SourceWriter, ParseContext) {
        let (observedAt, origin) = observedTime(modified: content.modified, collected: content.collected?.observedAt)
        let writer = try SourceWriter(
            store: store,
            source: SourceDescriptor(path: content.displayPath, sha256: content.sha256, size: content.size, format: format,
                                     observedAt: observedAt, observedAtOrigin: origin, parentID: content.parentID,
                                     command: content.collected?.command),
            toolVersion: options.toolVersion)
        var context = ParseContext(path: content.displayPath, observedAt: observedAt, observedAtOrigin: origin)
        context.membership = options.membership
        // A membership list from a collect bundle is named by the command that printed it (`--group ID`).
        if context.membership.commandLine == nil { context.membership.commandLine = content.collected?.command }
        return (writer, context)
    }

    /// `--observed-at`, else the end time of the collector command that wrote the file, else the file's mtime.
    func observedTime(modified: Timestamp?, collected: Timestamp?) -> (Timestamp?, ObservedAtOrigin) {
        if let observedAt = options.observedAt { return (observedAt, .option) }
        if let collected { return (collected, .collector) }
        if let modified { return (modified, .mtime) }
        return (nil, .none)
    }
}
