import Foundation

/// One object of PowerShell `Format-List` output (the default view of many Az cmdlets):
/// `Name : value` lines, with values too long for the console continued on lines indented
/// to the value column, and objects separated by blank lines.
struct PowerShellListBlock {
    struct Entry {
        var name: String
        /// The text after `Name :` on the entry's own line.
        var value: String
        /// Continuation lines, leading white space removed (a wrapped value, or a nested object's lines).
        var continuation: [String] = []

        /// The value with wrapped lines joined back (Format-List cuts long values at the console width).
        var joined: String { ([value] + continuation).joined() }
    }

    var line: Int
    var entries: [Entry] = []
    var lines: [String] = []

    var raw: String { lines.joined(separator: "\n") }

    /// The entry named `name`, ignoring case.
    func entry(_ name: String) -> Entry? {
        let lowered = name.lowercased()
        return entries.first { $0.name.lowercased() == lowered }
    }

    /// The joined value of an entry; nil when absent, "" when present but empty.
    func value(_ name: String) -> String? {
        entry(name).map { $0.joined.trimmingCharacters(in: .whitespaces) }
    }

    /// A nested object shown under an entry (`Properties :` followed by indented `key : value` lines).
    func nested(_ name: String) -> [(name: String, value: String)] {
        guard let entry = entry(name) else { return [] }
        var pairs: [(name: String, value: String)] = []
        for text in entry.continuation {
            if let (key, value) = PowerShellList.split(text) {
                pairs.append((key, value))
            } else if !pairs.isEmpty {
                pairs[pairs.count - 1].value += text
            }
        }
        return pairs
    }
}

enum PowerShellList {
    /// `Name : value` (name without inner spaces, padded before the colon); nil for other text.
    static func split(_ text: String) -> (String, String)? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let name = text[..<colon].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, !name.contains(" "), !name.hasPrefix("{"), !name.hasPrefix("\"") else { return nil }
        var value = text[text.index(after: colon)...]
        if value.first == " " { value = value.dropFirst() }
        return (name, String(value).trimmingCharacters(in: .whitespaces))
    }

    /// The names of the first object's entries, for sniffing.
    static func firstNames(_ sample: SniffSample) -> Set<String> {
        var names: Set<String> = []
        // Split on any line end: `SniffSample.lines` keeps "\r\n" (one Character) inside its lines.
        for line in sample.text.split(maxSplits: 60, omittingEmptySubsequences: false, whereSeparator: \.isNewline).prefix(60) {
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                if names.isEmpty { continue } else { break }
            }
            guard let first = line.first, first != " ", first != "\t" else { continue }
            guard let (name, _) = split(String(line)) else { return [] }
            names.insert(name.lowercased())
        }
        return names
    }

    /// Calls `body` with every object; a line that is neither an entry nor a continuation is rejected.
    static func forEachBlock(_ input: ParseInput, into sink: RecordSink, _ body: (PowerShellListBlock) throws -> Void) throws {
        var block: PowerShellListBlock?
        func finish() throws {
            if let done = block, !done.entries.isEmpty { try body(done) }
            block = nil
        }
        try input.forEachLine { line in
            let text = line.text
            if line.isBlank { return try finish() }
            if line.isTruncated {
                try sink.reject(line: line.number, reason: "line longer than \(ParseInput.maximumLineLength >> 20) MiB", text: text)
                return
            }
            let indented = text.first == " " || text.first == "\t"
            if indented, var current = block, let last = current.entries.indices.last {
                current.entries[last].continuation.append(text.trimmingCharacters(in: .whitespaces))
                current.lines.append(text)
                block = current
            } else if !indented, let (name, value) = split(text) {
                if block == nil { block = PowerShellListBlock(line: line.number) }
                block?.entries.append(.init(name: name, value: value))
                block?.lines.append(text)
            } else {
                try sink.reject(line: line.number, reason: "not a `Name : value` line of PowerShell list output", text: text)
            }
        }
        try finish()
    }
}
