import Foundation

/// Whether a source's file still holds the bytes it was ingested from (for `mitrail verify`).
public enum SourceFileCheck: Equatable, Sendable {
    case unchanged
    case changed
    case notChecked(reason: String)

    /// Hashes the file at the source's path (relative paths from the current directory) and compares.
    public static func check(path: String, sha256: String, isArchiveEntry: Bool) -> SourceFileCheck {
        if path == "-" { return .notChecked(reason: "read from standard input") }
        if isArchiveEntry { return .notChecked(reason: "inside an archive (the archive is checked)") }
        var status = stat()
        guard stat(path, &status) == 0 else { return .notChecked(reason: "the file is gone") }
        guard (status.st_mode & S_IFMT) == S_IFREG else { return .notChecked(reason: "no longer a file") }
        guard let (digest, _, _) = try? IngestPipeline.digestFile(at: path) else {
            return .notChecked(reason: "the file cannot be read")
        }
        return digest == sha256 ? .unchanged : .changed
    }

    public var description: String {
        switch self {
        case .unchanged: return "unchanged"
        case .changed: return "changed since ingest"
        case .notChecked(let reason): return "not checked: \(reason)"
        }
    }
}
