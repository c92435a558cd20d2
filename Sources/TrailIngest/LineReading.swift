import Foundation

/// One line of input, valid only inside the closure it is handed to.
public struct InputLine {
    /// The line's bytes without its `\n` or `\r\n`.
    public let bytes: UnsafeBufferPointer<UInt8>
    /// 1-based line number.
    public let number: Int
    /// True when the line was longer than `ParseInput.maximumLineLength` and was cut there.
    public let isTruncated: Bool

    /// The line as text; invalid UTF-8 becomes U+FFFD.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    public var isBlank: Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }
}

extension ParseInput {
    /// Calls `body` with every line, in order. Lines are split on `\n`; a trailing `\r` is dropped.
    public func forEachLine(_ body: (InputLine) throws -> Void) throws {
        var number = 0
        while true {
            if position >= end, try !fill() { return }
            let available = end - position
            if let newline = memchr(buffer + position, 0x0A, available) {
                let length = newline.assumingMemoryBound(to: UInt8.self) - (buffer + position)
                number += 1
                try body(makeLine(start: position, length: length, number: number, truncated: false))
                position += length + 1
            } else if atEnd {
                number += 1
                try body(makeLine(start: position, length: available, number: number, truncated: false))
                position = end
            } else if available >= lineLimit {
                number += 1
                try body(makeLine(start: position, length: lineLimit, number: number, truncated: true))
                try skipPastNextNewline()
            } else {
                _ = try compactAndRead()
            }
        }
    }

    private func makeLine(start: Int, length: Int, number: Int, truncated: Bool) -> InputLine {
        var length = length
        if length > 0 && buffer[start + length - 1] == 0x0D { length -= 1 }
        return InputLine(bytes: UnsafeBufferPointer(start: buffer + start, count: length), number: number, isTruncated: truncated)
    }

    /// Discards the rest of an over-long line.
    private func skipPastNextNewline() throws {
        while true {
            if position >= end, try !fill() { return }
            if let newline = memchr(buffer + position, 0x0A, end - position) {
                position = newline.assumingMemoryBound(to: UInt8.self) - buffer + 1
                return
            }
            position = end
        }
    }
}
