import Foundation

/// A point in time, in whole milliseconds since 1970-01-01T00:00:00Z (UTC).
///
/// mitrail stores and prints every time as UTC ISO 8601 with a `Z`
/// (`2026-03-04T10:15:32.120Z`), so that text order is time order.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var millisecondsSince1970: Int64

    public init(millisecondsSince1970: Int64) {
        self.millisecondsSince1970 = millisecondsSince1970
    }

    public init(secondsSince1970: Double) {
        self.millisecondsSince1970 = Int64((secondsSince1970 * 1000).rounded())
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSince1970 < rhs.millisecondsSince1970
    }

    /// The times that have a canonical text form: 0000-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z.
    public static let representable: ClosedRange<Int64> = -62_167_219_200_000...253_402_300_799_999

    public func adding(milliseconds: Int64) -> Timestamp {
        Timestamp(millisecondsSince1970: millisecondsSince1970 + milliseconds)
    }

    /// The canonical text form: `YYYY-MM-DDTHH:MM:SS.sssZ` (years 0-9999).
    public var iso8601: String {
        var milliseconds = millisecondsSince1970 % 1000
        var seconds = millisecondsSince1970 / 1000
        if milliseconds < 0 { milliseconds += 1000; seconds -= 1 }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 { secondOfDay += 86_400; days -= 1 }
        let (year, month, day) = CivilCalendar.civil(fromDays: days)
        guard (0...9999).contains(year) else {
            let date = CivilCalendar.padded(year, 4) + "-" + CivilCalendar.padded(month, 2) + "-" + CivilCalendar.padded(day, 2)
            return date + "T" + CivilCalendar.padded(secondOfDay / 3600, 2) + ":" + CivilCalendar.padded(secondOfDay / 60 % 60, 2)
                + ":" + CivilCalendar.padded(secondOfDay % 60, 2) + "." + CivilCalendar.padded(milliseconds, 3) + "Z"
        }
        // Written digit by digit: this runs once per stored record.
        return String(unsafeUninitializedCapacity: 24) { buffer in
            func put(_ value: Int64, _ width: Int, at offset: Int) {
                var value = value
                for index in stride(from: offset + width - 1, through: offset, by: -1) {
                    buffer[index] = UInt8(48 + value % 10)
                    value /= 10
                }
            }
            put(year, 4, at: 0); buffer[4] = 45; put(month, 2, at: 5); buffer[7] = 45; put(day, 2, at: 8)
            buffer[10] = 84; put(secondOfDay / 3600, 2, at: 11); buffer[13] = 58; put(secondOfDay / 60 % 60, 2, at: 14)
            buffer[16] = 58; put(secondOfDay % 60, 2, at: 17); buffer[19] = 46; put(milliseconds, 3, at: 20); buffer[23] = 90
            return 24
        }
    }

    public var description: String { iso8601 }
}

/// Proleptic Gregorian calendar arithmetic (Howard Hinnant's days-from-civil algorithms).
enum CivilCalendar {
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func civil(fromDays daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
        let shifted = daysSinceEpoch + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func padded(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

extension Timestamp {
    /// The current time, to the millisecond.
    public static var now: Timestamp {
        Timestamp(secondsSince1970: Date().timeIntervalSince1970)
    }

    public init(_ date: Date) {
        self.init(secondsSince1970: date.timeIntervalSince1970)
    }
}
