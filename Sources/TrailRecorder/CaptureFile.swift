import Foundation

/// The capture on disk: one JSON line per exchange, appended whole, readable by its owner only, rotated at
/// a size (`FILE.jsonl` becomes `FILE.1.jsonl`, `FILE.1.jsonl` becomes `FILE.2.jsonl`, ... up to `keep`
/// rotated files; the oldest is removed).
final class CaptureFile: CaptureDestination {
    let path: String
    let maximumSize: Int64?
    let keep: Int
    private var descriptor: Int32 = -1
    private(set) var size: Int64 = 0

    init(path: String, maximumSize: Int64?, keep: Int) throws {
        self.path = path
        self.maximumSize = maximumSize
        self.keep = max(1, keep)
        try open()
    }

    deinit { if descriptor >= 0 { Foundation.close(descriptor) } }

    /// Opens (or creates) the file for appending, owner-only: a capture that already exists is appended to
    /// and its permissions are narrowed.
    private func open() throws {
        descriptor = Foundation.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw RecorderError.cannotOpenCapture(path: path, reason: Self.lastError()) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, fchmod(descriptor, 0o600) == 0 else {
            throw RecorderError.cannotOpenCapture(path: path, reason: Self.lastError())
        }
        size = Int64(status.st_size)
    }

    /// Appends one line in one `write` (retried until whole), rotating first when it would pass the size limit.
    func write(_ line: [UInt8]) throws {
        if let maximumSize, size > 0, size + Int64(line.count) > maximumSize { try rotate() }
        var offset = 0
        while offset < line.count {
            let written = line.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress! + offset, line.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw RecorderError.cannotWriteCapture(path: path, reason: Self.lastError())
            }
            offset += written
        }
        size += Int64(line.count)
    }

    func flush() throws {}

    func close() throws {
        guard descriptor >= 0 else { return }
        defer { descriptor = -1 }
        guard fsync(descriptor) == 0 || errno == EINVAL, Foundation.close(descriptor) == 0 else {
            throw RecorderError.cannotWriteCapture(path: path, reason: Self.lastError())
        }
    }

    /// Moves every rotated file one number up, the current file to number 1, and starts an empty one.
    private func rotate() throws {
        fsync(descriptor)
        Foundation.close(descriptor)
        descriptor = -1
        unlink(Self.rotatedPath(path, keep))
        for number in stride(from: keep - 1, through: 1, by: -1) {
            rename(Self.rotatedPath(path, number), Self.rotatedPath(path, number + 1))
        }
        guard rename(path, Self.rotatedPath(path, 1)) == 0 else {
            throw RecorderError.cannotWriteCapture(path: path, reason: "cannot rotate it: " + Self.lastError())
        }
        try open()
    }

    /// `capture.jsonl` numbered 2 is `capture.2.jsonl`; a name without an extension gets `.2` at its end.
    static func rotatedPath(_ path: String, _ number: Int) -> String {
        let url = URL(fileURLWithPath: path)
        let name = url.lastPathComponent
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return path + ".\(number)" }
        let rotated = name[..<dot] + ".\(number)" + name[dot...]
        return url.deletingLastPathComponent().appendingPathComponent(String(rotated)).path
    }

    static func lastError() -> String { String(cString: strerror(errno)) }
}
