import Foundation
import TrailModel

/// Reads CSV rows (RFC 4180) line by line: quoted fields may hold commas, doubled quotes and line ends.
struct CSVRowReader {
    /// A row holding more lines than this is cut off and reported.
    static let maximumLinesPerRow = 10_000

    private var fields: [String] = []
    private var field: [UInt8] = []
    private var inQuotes = false
    private var fieldStarted = false
    /// How many lines the row being read has taken so far.
    private(set) var lineCount = 0

    /// True while a quoted field is open across lines.
    var isInsideRow: Bool { inQuotes }

    /// Reads one line (without its line end); returns the row when it ends on this line.
    mutating func feed<Bytes: Collection>(_ line: Bytes) -> [String]? where Bytes.Element == UInt8 {
        if lineCount > 0 { field.append(0x0A) }
        lineCount += 1
        var index = line.startIndex
        while index != line.endIndex {
            let byte = line[index]
            index = line.index(after: index)
            if inQuotes {
                if byte != UInt8(ascii: "\"") {
                    field.append(byte)
                } else if index != line.endIndex && line[index] == UInt8(ascii: "\"") {
                    field.append(byte)
                    index = line.index(after: index)
                } else {
                    inQuotes = false
                }
            } else if byte == UInt8(ascii: ",") {
                endField()
            } else if byte == UInt8(ascii: "\"") && !fieldStarted {
                inQuotes = true
                fieldStarted = true
            } else {
                field.append(byte)
                fieldStarted = true
            }
        }
        guard !inQuotes else { return nil }
        endField()
        let row = fields
        reset()
        return row
    }

    /// Forgets a row left unfinished.
    mutating func reset() {
        fields = []
        field = []
        inQuotes = false
        fieldStarted = false
        lineCount = 0
    }

    private mutating func endField() {
        fields.append(String(decoding: field, as: UTF8.self))
        field = []
        fieldStarted = false
    }

    /// The rows of a text (for sniffing a sample): at most `limit` complete rows.
    static func rows(of text: String, limit: Int) -> [[String]] {
        var reader = CSVRowReader()
        var rows: [[String]] = []
        // Split on bytes: `"\r\n"` is one Character, so splitting the text on "\n" would miss CRLF line ends.
        for line in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) where rows.count < limit {
            if let row = reader.feed(line.last == 0x0D ? line.dropLast() : line) { rows.append(row) }
        }
        return rows
    }
}

/// Times as the Azure portal writes them in CSV exports: `3/4/2026, 10:15:32.120 AM` (US English),
/// and day-first or 24-hour forms when they cannot be misread. ISO 8601 is read too.
enum LocalizedTime {
    static func parse(_ text: String) -> (time: Timestamp, hadZone: Bool)? {
        if let parsed = RecordTime.parse(text) { return (parsed.time, parsed.origin == .record) }
        let words = text.replacingOccurrences(of: ",", with: " ").split(separator: " ")
        guard words.count == 2 || words.count == 3 else { return nil }
        let date = words[0].split(separator: "/").compactMap { Int($0) }
        let clock = words[1].split(separator: ":")
        guard date.count == 3, clock.count == 3, var hour = Int(clock[0]), let minute = Int(clock[1]) else { return nil }
        var (month, day) = (date[0], date[1])
        if words.count == 3 {
            let meridiem = words[2].uppercased()
            guard meridiem == "AM" || meridiem == "PM", (1...12).contains(hour) else { return nil }
            hour = hour % 12 + (meridiem == "PM" ? 12 : 0)
        } else if date[0] > 12 {
            (month, day) = (date[1], date[0])
        } else if date[1] <= 12 && date[0] != date[1] {
            return nil  // 24-hour time with an ambiguous day and month: not guessed
        }
        let iso = String(format: "%04d-%02d-%02dT%02d:%02d:", date[2], month, day, hour, minute) + clock[2]
        return TimestampParser.parse(iso).map { ($0, false) }
    }
}
