import Foundation

/// Substring search on bytes, for the hot paths where `String.contains` costs too much.
enum ByteSearch {
    /// The offset of the first occurrence of `pattern` in `haystack`, if any (memchr for the first byte, then memcmp).
    static func find(_ pattern: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let first = pattern.first, let base = haystack.baseAddress, haystack.count >= pattern.count else { return nil }
        return pattern.withUnsafeBytes { needle -> Int? in
            var offset = 0
            let lastStart = haystack.count - pattern.count
            while offset <= lastStart {
                guard let hit = memchr(base + offset, Int32(first), lastStart - offset + 1) else { return nil }
                let position = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) - base
                if memcmp(base + position, needle.baseAddress!, pattern.count) == 0 { return position }
                offset = position + 1
            }
            return nil
        }
    }
}
