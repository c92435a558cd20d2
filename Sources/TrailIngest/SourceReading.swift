import Crypto
import Foundation
import TrailModel

/// Reading a source's bytes: its digest, its content as parsers see it, and the sample formats sniff.
extension IngestPipeline {
    /// SHA-256 (hex), size and modification time of a file, read in one streaming pass.
    static func digestFile(at path: String) throws -> (String, Int64, Timestamp?) {
        let stream = try FileStream(path: path)
        var hasher = SHA256()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 1)
        defer { buffer.deallocate() }
        while true {
            let count = try stream.read(into: buffer)
            if count == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
        let hex = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let modified = (attributes?[.modificationDate] as? Date).map(Timestamp.init)
        return (hex, stream.bytesRead, modified)
    }

    /// The content as parsers see it: gzip is detected by its magic bytes and decompressed.
    static func decoded(_ stream: ByteStream, path: String) throws -> ByteStream {
        let peek = PeekableStream(upstream: stream)
        return GzipStream.isGzip(try peek.peek(2)) ? try GzipStream(upstream: peek, path: path) : peek
    }

    static func sample(_ path: String) throws -> SniffSample {
        let stream = try decoded(try FileStream(path: path), path: path)
        var bytes = [UInt8](repeating: 0, count: SniffSample.size)
        var filled = 0
        var complete = false
        while filled < bytes.count {
            let count: Int
            do {
                count = try bytes.withUnsafeMutableBytes { try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...])) }
            } catch is IngestError {
                complete = true
                break
            }
            if count == 0 { complete = true; break }
            filled += count
        }
        return SniffSample(bytes: Array(bytes[0..<filled]), isComplete: complete)
    }

    /// Why a source holds nothing to read (empty, or only white space), or nil when it holds something.
    static func emptiness(of sample: SniffSample) -> String? {
        guard sample.isComplete else { return nil }
        if sample.bytes.isEmpty { return "the file is empty" }
        let text = sample.bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? sample.bytes.dropFirst(3) : sample.bytes[...]
        return text.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D } ? "the file holds only white space" : nil
    }
}
