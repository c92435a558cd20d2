import CZlibShim
import Foundation

/// A forward-only source of bytes: a file, standard input, or a decompressor over one of them.
public protocol ByteStream: AnyObject {
    /// Fills the start of `buffer`; returns how many bytes were written, 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Reads a file through its descriptor, counting the bytes read for progress reports.
public final class FileStream: ByteStream {
    public let path: String
    public private(set) var bytesRead: Int64 = 0
    private let descriptor: Int32

    public init(path: String) throws {
        self.path = path
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw IngestError.cannotRead(path: path, reason: String(cString: strerror(errno))) }
    }

    deinit { close(descriptor) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let count = Foundation.read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 {
                bytesRead += Int64(count)
                return count
            }
            if errno != EINTR { throw IngestError.cannotRead(path: path, reason: String(cString: strerror(errno))) }
        }
    }
}

/// Decompresses a gzip stream (one or more members) as it is read.
public final class GzipStream: ByteStream {
    private let upstream: ByteStream
    private let path: String
    private var zlib = z_stream()
    private let inputCapacity = 64 * 1024
    private let input: UnsafeMutablePointer<UInt8>
    private var finished = false

    public init(upstream: ByteStream, path: String) throws {
        self.upstream = upstream
        self.path = path
        input = .allocate(capacity: inputCapacity)
        let status = inflateInit2_(&zlib, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            input.deallocate()
            throw IngestError.corruptCompressedData(path: path, reason: "zlib could not start (\(status))")
        }
    }

    deinit {
        inflateEnd(&zlib)
        input.deallocate()
    }

    /// True when `prefix` starts with the gzip magic bytes.
    public static func isGzip(_ prefix: some Collection<UInt8>) -> Bool {
        prefix.starts(with: [0x1F, 0x8B])
    }

    /// Reads more compressed bytes when zlib has used up what it had; false at the end of the file.
    private func refillInput() throws -> Bool {
        guard zlib.avail_in == 0 else { return true }
        let count = try upstream.read(into: UnsafeMutableRawBufferPointer(start: input, count: inputCapacity))
        zlib.next_in = input
        zlib.avail_in = UInt32(count)
        return count > 0
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !finished, let output = buffer.baseAddress, buffer.count > 0 else { return 0 }
        zlib.next_out = output.assumingMemoryBound(to: Bytef.self)
        zlib.avail_out = UInt32(buffer.count)
        while zlib.avail_out == UInt32(buffer.count) {
            guard try refillInput() else {
                throw IngestError.corruptCompressedData(
                    path: path, reason: "the file ends in the middle of compressed data (truncated?)")
            }
            let status = inflate(&zlib, Z_NO_FLUSH)
            switch status {
            case Z_OK, Z_BUF_ERROR:
                continue
            case Z_STREAM_END:
                // Another gzip member may follow, as in concatenated .gz files.
                if try refillInput() {
                    inflateReset(&zlib)
                } else {
                    finished = true
                    return buffer.count - Int(zlib.avail_out)
                }
            default:
                let message = zlib.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw IngestError.corruptCompressedData(path: path, reason: message)
            }
        }
        return buffer.count - Int(zlib.avail_out)
    }
}
