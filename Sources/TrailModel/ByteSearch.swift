import Foundation

/// Substring search on bytes, for the hot paths where `String.contains` costs too much.
public enum ByteSearch {
    /// The offset of the first occurrence of `pattern` in `haystack`, if any (memchr for the first byte, then memcmp).
    public static func find(_ pattern: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> Int? {
        pattern.withUnsafeBufferPointer { find($0, in: haystack) }
    }

    public static func find(_ pattern: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let first = pattern.first, let needle = pattern.baseAddress, let base = haystack.baseAddress,
              haystack.count >= pattern.count else { return nil }
        var offset = 0
        let lastStart = haystack.count - pattern.count
        while offset <= lastStart {
            guard let hit = memchr(base + offset, Int32(first), lastStart - offset + 1) else { return nil }
            let position = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) - base
            if memcmp(base + position, needle, pattern.count) == 0 { return position }
            offset = position + 1
        }
        return nil
    }
}

extension String {
    /// Whether the text holds `needle`, byte for byte (UTF-8).
    ///
    /// With Foundation imported, `contains` on Linux goes through NSString: explain's rules test every failure's
    /// error text for a few phrases, and that was a tenth of its time over a hundred thousand failures.
    public func containsBytes(_ needle: String) -> Bool {
        guard !needle.isEmpty else { return true }
        var haystack = self
        var needle = needle
        return haystack.withUTF8 { text in needle.withUTF8 { ByteSearch.find($0, in: text) != nil } }
    }
}
