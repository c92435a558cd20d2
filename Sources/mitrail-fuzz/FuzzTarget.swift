import Foundation
import TrailIngest
import TrailModel
import ZIPFoundation

/// One fuzz execution: every entry point through which untrusted bytes reach mitrail's parsers.
///
/// The first byte of the input picks the format to parse with (and whether to read through a small
/// buffer, a trickling stream, or gzip); the rest is the content. Content that starts like a zip is
/// also opened and extracted as the archive reader does ("Upload batch logs" bundles are untrusted too). Besides crashes, a broken promise is a
/// finding too: a parser that throws instead of rejecting, a reject without a reason or a line, or
/// redaction that changes text it already redacted.
enum FuzzTarget {
    static let formats = FormatRegistry.all
    static let context = ParseContext(
        path: "fuzz/tvmps_fuzz/agent-debug.log",
        observedAt: Timestamp(millisecondsSince1970: 1_772_618_400_000), observedAtOrigin: .option)

    static func run(_ data: UnsafeBufferPointer<UInt8>) {
        guard let selector = data.first else { return }
        let content = Array(data.dropFirst())
        let sample = SniffSample(bytes: Array(content.prefix(SniffSample.size)), isComplete: content.count <= SniffSample.size)
        for format in formats { _ = format.sniff(sample) }
        _ = sample.firstJSONValue
        let format = formats[Int(selector & 0x3F) % formats.count]
        let stream: ByteStream
        switch selector >> 6 {
        case 1: stream = TricklingStream(bytes: content)
        case 2: stream = GzipStream.isGzip(content) ? (try? GzipStream(upstream: TricklingStream(bytes: content), path: "fuzz")) ?? TricklingStream(bytes: content) : TricklingStream(bytes: content)
        default: stream = TricklingStream(bytes: content, chunk: .max)
        }
        parse(ParseInput(stream: stream, bufferSize: selector >> 6 == 3 ? 4096 : (1 << 20) + 1), with: format)
        let redacted = Redactor.redact(String(decoding: content, as: UTF8.self))
        expectIdempotentRedaction(redacted, "the input")
        content.withUnsafeBufferPointer { _ = TimestampParser.parsePrefix($0) }
        _ = TokenSummary(token: content)
        if content.starts(with: [0x50, 0x4B]) { readArchive(content) }
    }

    /// Where zip content is written to be opened as ingest opens archives: from a file, not from memory
    /// (ZIPFoundation's in-memory reader is other code, which mitrail never runs).
    static let archivePath = FileManager.default.temporaryDirectory.appendingPathComponent("mitrail-fuzz-\(getpid()).zip")

    /// Opens the bytes as a zip file and extracts every entry (at most 64, 1 MiB each), checksums checked.
    static func readArchive(_ bytes: [UInt8]) {
        defer { try? FileManager.default.removeItem(at: archivePath) }
        guard (try? Data(bytes).write(to: archivePath)) != nil,
              let archive = try? Archive(url: archivePath, accessMode: .read, pathEncoding: nil) else { return }
        for entry in archive.prefix(64) where entry.type == .file && entry.uncompressedSize <= 1 << 20 {
            var extracted = 0
            _ = try? archive.extract(entry, bufferSize: 16 * 1024, skipCRC32: false) { data in
                extracted += data.count
                if extracted > 1 << 20 { throw CocoaError(.fileReadTooLarge) }
            }
        }
    }

    static func parse(_ input: ParseInput, with format: any EvidenceFormat) {
        let sink = CollectingSink(context: context)
        do {
            try format.run(input, into: sink)
        } catch is IngestError {
            // A broken gzip stream: the pipeline keeps what was read and says so.
        } catch {
            fatalError("\(format.id): parse threw instead of rejecting: \(error)")
        }
        for record in sink.records {
            expectIdempotentRedaction(record.raw, "\(format.id) record raw text")
            _ = record.fields.json
            _ = record.time?.iso8601
        }
        for reject in sink.rejects {
            if reject.reason.isEmpty { fatalError("\(format.id): a reject without a reason") }
            if reject.position.line == nil { fatalError("\(format.id): a reject without a line: \(reject.reason)") }
        }
    }

    static func expectIdempotentRedaction(_ text: String, _ what: String) {
        let again = Redactor.redact(text)
        if again != text { fatalError("redacting \(what) a second time changed it:\n\(text.debugDescription)\n\(again.debugDescription)") }
    }
}

/// Hands bytes over a few at a time, as a slow pipe would, so parsers meet every buffer boundary.
final class TricklingStream: ByteStream {
    private let bytes: [UInt8]
    private let chunk: Int
    private var offset = 0

    init(bytes: [UInt8], chunk: Int = 7) {
        self.bytes = bytes
        self.chunk = chunk
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, bytes.count - offset, chunk)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.baseAddress!.copyMemory(from: source.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }
}
