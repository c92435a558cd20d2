import Foundation

/// The decoded bytes of one source, read once, as lines or as JSON values.
///
/// Memory stays bounded whatever the input size: lines longer than
/// `maximumLineLength` are cut (and flagged), JSON values are handed over
/// one at a time, and values larger than `maximumValueLength` are rejected.
public final class ParseInput {
    public static let maximumLineLength = 1 << 20
    public static let maximumValueLength = 64 << 20
    /// JSON nested deeper than this is rejected rather than parsed.
    public static let maximumDepth = 512

    let stream: ByteStream
    let capacity: Int
    let buffer: UnsafeMutablePointer<UInt8>
    var position = 0
    var end = 0
    var atEnd = false
    /// The 1-based line the next byte is on.
    var line = 1
    var atLineStart = true
    private var checkedByteOrderMark = false

    /// The longest line handed over whole; the buffer holds at least this much.
    var lineLimit: Int { min(Self.maximumLineLength, capacity - 1) }

    public init(stream: ByteStream, bufferSize: Int = (1 << 20) + 1) {
        self.stream = stream
        capacity = max(bufferSize, 4096)
        buffer = .allocate(capacity: capacity)
    }

    /// Reads from bytes in memory (tests, sniff samples).
    public convenience init(bytes: [UInt8]) {
        self.init(stream: MemoryStream(bytes: bytes), bufferSize: bytes.count + 1)
    }

    deinit { buffer.deallocate() }

    /// Makes at least one more byte available; false at the end of the input.
    func fill() throws -> Bool {
        if position < end { return true }
        if atEnd { return false }
        position = 0
        end = try stream.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: capacity))
        if end == 0 { atEnd = true }
        try skipByteOrderMarkOnce()
        return end > position
    }

    /// Drops a UTF-8 byte order mark at the very start of the input.
    func skipByteOrderMarkOnce() throws {
        guard !checkedByteOrderMark else { return }
        checkedByteOrderMark = true
        while end < 3 && !atEnd {
            let count = try stream.read(into: UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end))
            if count == 0 { atEnd = true }
            end += count
        }
        if end >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { position = 3 }
    }

    /// Moves unread bytes to the front and reads more behind them; false when nothing more came.
    func compactAndRead() throws -> Bool {
        if atEnd { return false }
        if position > 0 {
            memmove(buffer, buffer + position, end - position)
            end -= position
            position = 0
        }
        let count = try stream.read(into: UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end))
        if count == 0 { atEnd = true }
        end += count
        try skipByteOrderMarkOnce()
        return count > 0
    }
}

/// A stream over bytes already in memory.
final class MemoryStream: ByteStream {
    private let bytes: [UInt8]
    private var offset = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.baseAddress!.copyMemory(from: source.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }
}
