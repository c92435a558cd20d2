import Crypto
import Foundation
import TrailStore

/// Lets the first bytes of a stream be looked at before they are read.
final class PeekableStream: ByteStream {
    private let upstream: ByteStream
    private var peeked: [UInt8] = []

    init(upstream: ByteStream) { self.upstream = upstream }

    func peek(_ count: Int) throws -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: count)
        while peeked.count < count {
            let read = try chunk.withUnsafeMutableBytes { try upstream.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<(count - peeked.count)])) }
            if read == 0 { break }
            peeked += chunk[0..<read]
        }
        return Array(peeked.prefix(count))
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard peeked.isEmpty else {
            let count = min(buffer.count, peeked.count)
            peeked.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: count) }
            peeked.removeFirst(count)
            return count
        }
        return try upstream.read(into: buffer)
    }
}

/// Hashes the bytes read through it, so that a source keeps the SHA-256 of the bytes it was parsed from.
final class HashingStream: ByteStream {
    private let upstream: ByteStream
    private var hasher = SHA256()
    private(set) var count: Int64 = 0
    /// True once the upstream said it has nothing more.
    private(set) var reachedEnd = false

    init(upstream: ByteStream) { self.upstream = upstream }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let read = try upstream.read(into: buffer)
        if read == 0 {
            reachedEnd = true
        } else {
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<read]))
            count += Int64(read)
        }
        return read
    }

    /// Reads and hashes what the parser left unread.
    func drain() throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 1)
        defer { buffer.deallocate() }
        while try read(into: buffer) > 0 {}
    }

    /// The SHA-256 (hex) of the bytes read so far.
    var hex: String { RecordChain.hex(Array(hasher.finalize())) }
}

/// Reports how far through its file a stream has read, every few megabytes.
final class ProgressStream: ByteStream {
    static let reportEvery: Int64 = 4 << 20
    private let upstream: ByteStream
    private let size: Int64
    private let report: (Int64) -> Void
    private var read: Int64 = 0
    private var lastReport: Int64 = 0

    init(upstream: ByteStream, size: Int64, report: @escaping (Int64) -> Void) {
        self.upstream = upstream
        self.size = size
        self.report = report
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = try upstream.read(into: buffer)
        read += Int64(count)
        if read - lastReport >= Self.reportEvery || (count == 0 && lastReport > 0 && lastReport < read) {
            lastReport = read
            report(read)
        }
        return count
    }
}

/// Standard input copied to a private temporary file, so it can be hashed and then parsed.
final class StandardInputSpool {
    let path: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/mitrail-stdin-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw IngestError.cannotRead(path: "-", reason: "cannot create a temporary file: \(String(cString: strerror(errno)))") }
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { close(descriptor) }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 1 << 20, alignment: 1)
        defer { buffer.deallocate() }
        while true {
            let count = Foundation.read(0, buffer, 1 << 20)
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw IngestError.cannotRead(path: "-", reason: String(cString: strerror(errno))) }
            if count == 0 { break }
            var written = 0
            while written < count {
                let result = write(descriptor, buffer + written, count - written)
                guard result > 0 else { throw IngestError.cannotRead(path: "-", reason: "cannot spool standard input: \(String(cString: strerror(errno)))") }
                written += result
            }
        }
    }

    deinit { unlink(path) }
}
