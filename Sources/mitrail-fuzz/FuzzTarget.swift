import Foundation
import TrailIngest
import TrailModel

/// One fuzz execution: every entry point through which untrusted bytes reach mitrail's parsers.
///
/// The first byte of the input picks the format to parse with (and whether to read through a small
/// buffer, a trickling stream, or gzip); the rest is the content. Besides crashes, a broken promise is a
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
