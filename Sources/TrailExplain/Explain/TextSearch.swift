extension String {
    /// Whether the text holds `needle`, byte for byte (UTF-8).
    ///
    /// The rules test every failure's error text for a few phrases; with Foundation imported, `contains` on
    /// Linux went through NSString (a tenth of explain's time over a hundred thousand failures).
    func containsBytes(_ needle: String) -> Bool {
        var haystack = self
        var needle = needle
        return haystack.withUTF8 { text in
            needle.withUTF8 { pattern in
                guard let first = pattern.first else { return true }
                guard text.count >= pattern.count else { return false }
                var start = 0
                while start <= text.count - pattern.count {
                    if text[start] == first {
                        var offset = 1
                        while offset < pattern.count && text[start + offset] == pattern[offset] { offset += 1 }
                        if offset == pattern.count { return true }
                    }
                    start += 1
                }
                return false
            }
        }
    }
}
