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
