import Foundation

/// The first bytes of a source (decompressed), for formats to recognise their content.
public final class SniffSample: @unchecked Sendable {
    public static let size = 64 * 1024

    public let bytes: [UInt8]
    /// True when the sample is the whole content.
    public let isComplete: Bool

    public init(bytes: [UInt8], isComplete: Bool) {
        self.bytes = bytes
        self.isComplete = isComplete
    }

    /// The sample as text (invalid UTF-8 becomes U+FFFD, a byte order mark is dropped).
    public var text: String {
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        return String(decoding: bytes[start...], as: UTF8.self)
    }

    /// The first byte that is not white space or a byte order mark.
    public var firstSignificantByte: UInt8? {
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        return bytes[start...].first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
    }

    /// True when the content starts like JSON (an object or an array).
    public var looksLikeJSON: Bool {
        firstSignificantByte == UInt8(ascii: "{") || firstSignificantByte == UInt8(ascii: "[")
    }

    /// The first complete JSON value of the sample, parsed, as `forEachJSONValue` hands it over
    /// (the first element of an array or of an ARM `{"value": [...]}` list).
    public private(set) lazy var firstJSONValue: Any? = firstJSONValue(unwrapping: ["value"])

    /// The first complete JSON value of the sample, unwrapping the members named in `keys`.
    public func firstJSONValue(unwrapping keys: Set<String>) -> Any? {
        guard looksLikeJSON else { return nil }
        var found: Any?
        let input = ParseInput(bytes: bytes)
        try? input.forEachJSONValue(unwrapping: keys) { result in
            guard found == nil, case .value(let element) = result else { throw StopScanning() }
            found = try? element.parse()
            throw StopScanning()
        }
        return found
    }

    /// The first `count` lines of the sample (the last one may be cut).
    /// Split on bytes: in Swift `"\r\n"` is one `Character`, so splitting text on `"\n"` misses CRLF line ends.
    public func lines(_ count: Int) -> [String] {
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        return bytes[start...].split(separator: 0x0A, maxSplits: count, omittingEmptySubsequences: false).prefix(count).map { line in
            String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
        }
    }
}

private struct StopScanning: Error {}
