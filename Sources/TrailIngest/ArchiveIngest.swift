import Crypto
import Foundation
import TrailModel
import TrailStore
import ZIPFoundation

/// How far an archive entry may expand before it is refused as a zip bomb.
public struct ArchiveLimits: Sendable {
    /// The most bytes one entry may expand to.
    public var maximumEntrySize: Int64
    /// The most an entry may expand relative to its compressed size...
    public var maximumExpansionRatio: Int64
    /// ...once it is larger than this (small, repetitive files may legitimately compress better).
    public var ratioCheckedAbove: Int64
    /// How deeply archives inside archives are opened.
    public var maximumDepth: Int

    public init(maximumEntrySize: Int64 = 4 << 30, maximumExpansionRatio: Int64 = 100,
                ratioCheckedAbove: Int64 = 1 << 20, maximumDepth: Int = 3) {
        self.maximumEntrySize = maximumEntrySize
        self.maximumExpansionRatio = maximumExpansionRatio
        self.ratioCheckedAbove = ratioCheckedAbove
        self.maximumDepth = maximumDepth
    }
}

/// Zip archives (the Batch "Upload batch logs" bundle): the archive is a source of format `zip-archive`,
/// and each entry its own child source (`bundle.zip!path/in/archive`), detected and parsed like a file.
///
/// Entries are extracted one at a time to a private temporary file named by the pipeline (never by the
/// entry), so an entry name can never write outside it; names with `..` or an absolute path are refused
/// all the same, and reported.
enum ArchiveIngest {
    static let formatID = "zip-archive"
    static let magic: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
    /// Base names of task output files: not evidence formats, reported as skipped when no format reads them.
    static let taskOutputPrefixes = ["stdout", "stderr", "fileuploadout", "fileuploaderr"]

    /// True when the file starts with a zip local file header (`PK\x03\x04`).
    static func isZip(path: String) throws -> Bool {
        let stream = try FileStream(path: path)
        var prefix = [UInt8](repeating: 0, count: 4)
        var filled = 0
        while filled < 4 {
            let count = try prefix.withUnsafeMutableBytes { try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...])) }
            if count == 0 { return false }
            filled += count
        }
        return prefix == magic
    }

    /// Why an entry name is refused, or nil when it is safe.
    static func unsafeNameReason(_ name: String) -> String? {
        if name.hasPrefix("/") || name.hasPrefix("\\") { return "the entry has an absolute path" }
        let characters = Array(name)
        if characters.count >= 2 && characters[1] == ":" && characters[0].isLetter { return "the entry has a drive letter" }
        let parts = name.split(whereSeparator: { $0 == "/" || $0 == "\\" })
        if parts.contains("..") { return "the entry's path climbs out of the archive with '..'" }
        if parts.isEmpty { return "the entry has no name" }
        return nil
    }

    static func isTaskOutput(_ name: String) -> Bool {
        let base = name.split(whereSeparator: { $0 == "/" || $0 == "\\" || $0 == "!" }).last.map { $0.lowercased() } ?? ""
        return base.hasSuffix(".txt") && taskOutputPrefixes.contains { base.hasPrefix($0) }
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case let error as ArchiveEntryError: return error.message
        case Archive.ArchiveError.invalidCRC32: return "its checksum does not match (the archive is damaged)"
        case Archive.ArchiveError.invalidCompressionMethod: return "it uses a compression method mitrail cannot read (only stored and deflate)"
        case let error as Archive.ArchiveError: return "the archive is damaged or truncated (\(error))"
        case let error as LocalizedError: return error.errorDescription ?? "\(error)"
        default: return "the entry cannot be read (\(error)); the archive may be damaged or truncated"
        }
    }
}

/// An entry refused while it was being extracted.
struct ArchiveEntryError: Error {
    let message: String
}

/// One entry extracted to a temporary file, with the SHA-256 of its bytes.
struct ExtractedEntry {
    let path: String
    let sha256: String
    let size: Int64
}

extension IngestPipeline {
    /// Ingests a zip archive: its own source row, then every entry as a child source, one outcome per entry.
    func ingestArchive(_ content: SourceContent, depth: Int) throws -> [FileOutcome] {
        func failed(_ path: String, _ message: String) -> FileOutcome {
            finished(FileOutcome(path: path, format: nil, size: 0, status: .failed(message: message)))
        }
        guard depth < archiveLimits.maximumDepth else {
            return [failed(content.displayPath, "an archive nested \(depth) deep; mitrail opens archives at most \(archiveLimits.maximumDepth) deep")]
        }
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: content.openPath), accessMode: .read)
        } catch {
            return [failed(content.displayPath, "a zip archive that cannot be opened: it is damaged or truncated (no readable central directory)")]
        }
        let found = collectorManifests(in: archive)
        var archiveContent = content
        if let bundle = found[""], archiveContent.collected == nil {
            // A collect bundle was observed when the collection finished.
            archiveContent.collected = CollectedProvenance(observedAt: TimestampParser.parse(bundle.finishedAt), command: nil)
        }
        let (writer, _) = try startSource(archiveContent, format: ArchiveIngest.formatID)
        let scratch = try TemporaryDirectory()
        let manifests = CollectorManifestLookup.inArchive(found)
        var outcomes: [FileOutcome] = []
        for (index, entry) in archive.enumerated() {
            let entryPath = content.displayPath + "!" + entry.path
            switch entry.type {
            case .directory:
                continue
            case .symlink:
                outcomes.append(failed(entryPath, "a symbolic link inside the archive; not followed"))
                continue
            case .file:
                break
            }
            if let reason = ArchiveIngest.unsafeNameReason(entry.path) {
                outcomes.append(failed(entryPath, "not extracted: \(reason)"))
                continue
            }
            if manifests.isManifest(entry.path) {
                outcomes.append(finished(Self.skippedManifest(path: entryPath, size: Int64(clamping: entry.uncompressedSize))))
                continue
            }
            do {
                let extracted = try extract(entry, from: archive, to: scratch.path + "/entry-\(index)")
                defer { unlink(extracted.path) }
                let modified = (entry.fileAttributes[.modificationDate] as? Date).map(Timestamp.init)
                let child = SourceContent(openPath: extracted.path, displayPath: entryPath, sha256: extracted.sha256,
                                          size: extracted.size, modified: modified, parentID: writer.sourceID,
                                          collected: manifests.provenance(of: entry.path))
                outcomes += try ingest(child, depth: depth + 1)
            } catch {
                outcomes.append(failed(entryPath, ArchiveIngest.describe(error)))
            }
        }
        let counts = try writer.finish()
        guard !outcomes.isEmpty else {
            return [finished(FileOutcome(path: content.displayPath, format: ArchiveIngest.formatID, size: content.size,
                                         status: .ingested(counts), warning: "the archive holds no files"))]
        }
        return outcomes
    }

    /// The collector manifests among the archive's entries (`manifest.json` at its root or in a folder), by folder.
    private func collectorManifests(in archive: Archive) -> [String: CollectorManifest] {
        var manifests: [String: CollectorManifest] = [:]
        for entry in archive where entry.type == .file && ArchiveIngest.unsafeNameReason(entry.path) == nil
            && entry.uncompressedSize <= UInt64(CollectorManifest.maximumSize) {
            guard let folder = CollectorManifestLookup.folder(ofManifest: entry.path) else { continue }
            var data = Data()
            do {
                _ = try archive.extract(entry, bufferSize: 64 * 1024, skipCRC32: false) { chunk in
                    data.append(chunk)
                    if data.count > CollectorManifest.maximumSize { throw ArchiveEntryError(message: "larger than a manifest") }
                }
            } catch {
                continue
            }
            guard let manifest = CollectorManifest.decode(data) else { continue }
            manifests[folder] = manifest
        }
        return manifests
    }

    /// Extracts one entry to `path`, hashing it, within the size and expansion limits.
    private func extract(_ entry: Entry, from archive: Archive, to path: String) throws -> ExtractedEntry {
        let limits = archiveLimits
        let compressed = max(Int64(clamping: entry.compressedSize), 1)
        if Int64(clamping: entry.uncompressedSize) > limits.maximumEntrySize {
            throw ArchiveEntryError(message: "not extracted: it says it expands to \(entry.uncompressedSize) bytes, more than the \(limits.maximumEntrySize >> 30) GiB mitrail reads per entry")
        }
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw ArchiveEntryError(message: "cannot create a temporary file to extract it into")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var written: Int64 = 0
        do {
            _ = try archive.extract(entry, bufferSize: 64 * 1024, skipCRC32: false) { data in
                written += Int64(data.count)
                if written > limits.maximumEntrySize {
                    throw ArchiveEntryError(message: "not read: it expands to more than \(limits.maximumEntrySize >> 30) GiB (a zip bomb?)")
                }
                if written > limits.ratioCheckedAbove && written > compressed * limits.maximumExpansionRatio {
                    throw ArchiveEntryError(message: "not read: it expands to more than \(limits.maximumExpansionRatio) times its compressed size of \(compressed) bytes (a zip bomb?)")
                }
                hasher.update(data: data)
                try handle.write(contentsOf: data)
            }
        } catch {
            unlink(path)
            throw error
        }
        let hex = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return ExtractedEntry(path: path, sha256: hex, size: written)
    }
}

/// A private temporary directory (owner only), removed with everything in it when released.
public final class TemporaryDirectory {
    public let path: String
    public var url: URL { URL(fileURLWithPath: path) }

    /// A new directory `PREFIX-XXXXXX` in the system's temporary folder.
    public init(prefix: String = "mitrail-archive") throws {
        var template = Array((NSTemporaryDirectory() + "/\(prefix)-XXXXXX").utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw IngestError.cannotRead(path: NSTemporaryDirectory(), reason: "cannot create a temporary directory: \(String(cString: strerror(errno)))")
        }
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
