import Crypto
import Foundation
import TrailIngest

/// A file copied line by line through the ingest redactor, in bounded memory: what goes into a bundle.
struct RedactedCopy {
    /// Size and SHA-256 of the copy, and how many of its lines the redactor changed.
    var bytes: Int64
    var sha256: String
    var redactedLines: Int

    /// Longest line held in memory; a longer one (no Azure CLI output has one) is cut there and said so.
    static let maximumLineLength = 64 << 20

    /// Copies `source` to `destination` (created owner-only), every line redacted.
    static func make(from source: URL, to destination: URL) throws -> RedactedCopy {
        guard let input = FileHandle(forReadingAtPath: source.path) else {
            throw CollectError.cannotWriteBundle(path: source.path, reason: "cannot read the command's output")
        }
        defer { try? input.close() }
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: destination.path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let output = FileHandle(forWritingAtPath: destination.path) else {
            throw CollectError.cannotWriteBundle(path: destination.path, reason: "cannot create the file")
        }
        defer { try? output.close() }
        var copy = RedactedCopy(bytes: 0, sha256: "", redactedLines: 0)
        var hasher = SHA256()
        var pending = Data()
        // Lines are written in blocks of at least 64 KiB: a write per line would be a system call per line.
        var block = Data()
        func flush() throws {
            guard !block.isEmpty else { return }
            hasher.update(data: block)
            copy.bytes += Int64(block.count)
            try output.write(contentsOf: block)
            block.removeAll(keepingCapacity: true)
        }
        func write(line: Data, newline: Bool) throws {
            let text = String(decoding: line, as: UTF8.self)
            let redacted = Redactor.redact(text)
            if redacted != text { copy.redactedLines += 1 }
            block.append(contentsOf: redacted.utf8)
            if newline { block.append(0x0A) }
            if block.count >= 1 << 16 { try flush() }
        }
        while let chunk = try input.read(upToCount: 1 << 16), !chunk.isEmpty {
            pending.append(chunk)
            var lineStart = pending.startIndex
            while let newline = pending[lineStart...].firstIndex(of: 0x0A) {
                try write(line: pending[lineStart..<newline], newline: true)
                lineStart = newline + 1
            }
            pending = Data(pending[lineStart...])
            if pending.count > maximumLineLength {
                throw CollectError.cannotWriteBundle(path: destination.path, reason: "a line of the output is longer than 64 MiB")
            }
        }
        if !pending.isEmpty { try write(line: pending, newline: false) }
        try flush()
        copy.sha256 = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return copy
    }
}
