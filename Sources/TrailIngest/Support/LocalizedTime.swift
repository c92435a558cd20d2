import Foundation
import TrailModel

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

extension LocalizedTime {
    /// The first US-style or day-first date and time inside a line (`3/4/2026 10:15:32 AM`,
    /// `13/09/2007 09:41:00`), and the text of one that cannot be read without guessing (`01/09/2007 09:41:00`).
    static func find(in line: Substring) -> (time: Timestamp?, ambiguous: String?) {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "[" || $0 == "]" })
        var ambiguous: String?
        for index in words.indices where index + 1 < words.count {
            let date = words[index].trimmingCharacters(in: CharacterSet(charactersIn: ","))
            guard date.split(separator: "/").count == 3, date.first?.isNumber == true, words[index + 1].first?.isNumber == true else { continue }
            var candidate = date + " " + words[index + 1]
            if index + 2 < words.count, ["AM", "PM"].contains(words[index + 2].uppercased().trimmingCharacters(in: CharacterSet(charactersIn: ",:"))) {
                candidate += " " + words[index + 2].trimmingCharacters(in: CharacterSet(charactersIn: ",:"))
            }
            if let parsed = parse(candidate.trimmingCharacters(in: CharacterSet(charactersIn: ",:"))) { return (parsed.time, nil) }
            if ambiguous == nil { ambiguous = candidate }
        }
        return (nil, ambiguous)
    }
}

extension LocalizedTime {
    /// A US-style or unambiguous day-first time at the very start of a line (`03/04/2026 10:15:32 AM`, as
    /// Python's logging with `datefmt='%m/%d/%Y %I:%M:%S %p'` and .NET's `DateTime.Now` print it), and its length.
    static func prefix(of line: Substring) -> (time: Timestamp, length: Int)? {
        guard let first = line.first, first.isNumber else { return nil }
        let words = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
        guard words.count >= 2, words[0].contains("/") else { return nil }
        var candidates = [words[0] + " " + words[1]]
        if words.count >= 3 { candidates.insert(candidates[0] + " " + words[2], at: 0) }
        for candidate in candidates {
            let text = String(candidate)
            guard let parsed = parse(text.trimmingCharacters(in: CharacterSet(charactersIn: ",:"))) else { continue }
            return (parsed.time, text.count)
        }
        return nil
    }
}
