import Foundation

/// One CSV row: its fields (quotes removed, `""` read as `"`), where it starts and its text as read.
public struct CSVRow {
    public var fields: [String]
    /// 1-based line the row starts on (a quoted field may run over several lines).
    public var line: Int
    /// The row's text, its lines joined with `\n`.
    public var text: String
}

/// What the CSV reader found: a row, or text that cannot be one.
public enum CSVScanResult {
    case row(CSVRow)
    case malformed(line: Int, reason: String, excerpt: String)
}

extension ParseInput {
    /// The longest row (all its lines) read whole; a longer one is reported as malformed.
    public static let maximumCSVRowLength = 4 << 20

    /// Calls `body` with each row of CSV text (RFC 4180: fields separated by `separator`, quoted fields
    /// may hold separators, `""` and line ends), streaming line by line in bounded memory. Blank lines
    /// between rows are skipped; a quote left open at the end, an over-long row and an over-long line
    /// are reported as `.malformed`, and reading goes on with the next line.
    public func forEachCSVRow(separator: UInt8 = UInt8(ascii: ","), _ body: (CSVScanResult) throws -> Void) throws {
        var reader = CSVRowReader(separator: separator)
        try forEachLine { line in
            if line.isTruncated {
                reader.reset()
                try body(.malformed(line: line.number, reason: "line longer than \(ParseInput.maximumLineLength >> 20) MiB",
                                    excerpt: Excerpt.of(line.text)))
                return
            }
            if !reader.isContinuing && line.isBlank { return }
            if let result = reader.take(line) { try body(result) }
        }
        if let unfinished = reader.finish() { try body(unfinished) }
    }
}

extension SniffSample {
    /// The first complete CSV rows of the sample (at most `limit`), for recognising a header.
    public func csvRows(limit: Int) -> [[String]] {
        guard !looksLikeJSON else { return [] }
        var rows: [[String]] = []
        struct Enough: Error {}
        try? ParseInput(bytes: bytes).forEachCSVRow { result in
            if case .row(let row) = result { rows.append(row.fields) }
            if rows.count >= limit { throw Enough() }
        }
        return rows
    }
}

/// The state of one row being read over one or more lines.
struct CSVRowReader {
    enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    let separator: UInt8
    var state = State.fieldStart
    var fields: [String] = []
    var field: [UInt8] = []
    var lines: [String] = []
    var length = 0
    var startLine = 0

    init(separator: UInt8) { self.separator = separator }

    /// True inside a quoted field that continues on the next line.
    var isContinuing: Bool { state == .quoted }

    mutating func reset() {
        state = .fieldStart
        fields = []
        field = []
        lines = []
        length = 0
    }

    /// Reads one line; returns a row when the line completes one.
    mutating func take(_ line: InputLine) -> CSVScanResult? {
        if !isContinuing { startLine = line.number }
        let text = line.text
        lines.append(text)
        length += line.bytes.count + 1
        if length > ParseInput.maximumCSVRowLength {
            let excerpt = Excerpt.of(lines.joined(separator: "\n"))
            reset()
            return .malformed(line: startLine, reason: "a CSV row longer than \(ParseInput.maximumCSVRowLength >> 20) MiB (an unclosed quote?)", excerpt: excerpt)
        }
        if isContinuing { field.append(0x0A) }
        for byte in line.bytes { consume(byte) }
        if state == .quoted { return nil }
        endField()
        let row = CSVRow(fields: fields, line: startLine, text: lines.joined(separator: "\n"))
        reset()
        return .row(row)
    }

    private mutating func consume(_ byte: UInt8) {
        let quote = UInt8(ascii: "\"")
        switch state {
        case .fieldStart:
            if byte == quote { state = .quoted } else if byte == separator { endField() } else { field.append(byte); state = .unquoted }
        case .unquoted:
            if byte == separator { endField() } else { field.append(byte) }
        case .quoted:
            if byte == quote { state = .quoteInQuoted } else { field.append(byte) }
        case .quoteInQuoted:
            if byte == quote {
                field.append(quote)
                state = .quoted
            } else if byte == separator {
                endField()
            } else {
                // Text after a closing quote: kept, as spreadsheet programs do.
                field.append(byte)
                state = .unquoted
            }
        }
    }

    private mutating func endField() {
        fields.append(String(decoding: field, as: UTF8.self))
        field = []
        state = .fieldStart
    }

    /// At the end of input: a row left open by a quote is malformed.
    mutating func finish() -> CSVScanResult? {
        guard isContinuing else { return nil }
        let result = CSVScanResult.malformed(line: startLine, reason: "the input ends inside a quoted CSV field (truncated?)",
                                             excerpt: Excerpt.of(lines.joined(separator: "\n")))
        reset()
        return result
    }
}
