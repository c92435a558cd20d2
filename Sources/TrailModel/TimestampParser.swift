/// Reads the timestamps that Azure tools and log files write.
///
/// Accepted: `YYYY-MM-DD` (a real calendar day) then `T` or a space, `HH:MM:SS`, an optional fraction
/// after `.` or `,` (any number of digits; milliseconds are kept), then `Z`,
/// an offset (`+01:00`, `+0100`, `-05`) or nothing. A time with no zone is read
/// as UTC and reported as such through `Parsed.hadZone`. A time that would fall outside the years
/// 0000 to 9999 once its offset is applied is not a time.
public enum TimestampParser {
    public struct Parsed: Equatable, Sendable {
        public var timestamp: Timestamp
        /// How many bytes the timestamp took at the start of the input.
        public var length: Int
        /// False when the text carried no `Z` or offset and UTC was assumed.
        public var hadZone: Bool
    }

    /// Parses a whole string as a timestamp; trailing text makes it fail.
    public static func parse(_ text: String) -> Timestamp? {
        var text = text
        return text.withUTF8 { bytes in
            guard let parsed = parsePrefix(bytes), parsed.length == bytes.count else { return nil }
            return parsed.timestamp
        }
    }

    /// Parses a timestamp at the very start of `bytes`, if there is one.
    public static func parsePrefix(_ bytes: UnsafeBufferPointer<UInt8>) -> Parsed? {
        var cursor = Cursor(bytes: bytes)
        guard let year = cursor.digits(4), cursor.take(UInt8(ascii: "-")),
              let month = cursor.digits(2), cursor.take(UInt8(ascii: "-")),
              let day = cursor.digits(2), (1...12).contains(month), (1...CivilCalendar.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        guard cursor.take(UInt8(ascii: "T")) || cursor.take(UInt8(ascii: "t")) || cursor.take(UInt8(ascii: " ")),
              let hour = cursor.digits(2), cursor.take(UInt8(ascii: ":")),
              let minute = cursor.digits(2), cursor.take(UInt8(ascii: ":")),
              let second = cursor.digits(2), hour < 24, minute < 60, second < 61
        else { return nil }
        var milliseconds: Int64 = 0
        let fractionStart = cursor.position
        if cursor.take(UInt8(ascii: ".")) || cursor.take(UInt8(ascii: ",")) {
            var scale: Int64 = 100
            var sawDigit = false
            while let digit = cursor.digit() {
                milliseconds += digit * scale
                scale /= 10
                sawDigit = true
            }
            if !sawDigit { cursor.position = fractionStart }
        }
        let days = CivilCalendar.days(year: year, month: month, day: day)
        var total = ((days * 24 + hour) * 60 + minute) * 60 + second
        total = total * 1000 + milliseconds
        let (offsetMinutes, hadZone) = cursor.zone()
        total -= offsetMinutes * 60_000
        // Stored times are YYYY-MM-DD...Z text whose order is time order: an offset may not push one past 0000-9999.
        guard Timestamp.representable.contains(total) else { return nil }
        return Parsed(timestamp: Timestamp(millisecondsSince1970: total), length: cursor.position, hadZone: hadZone)
    }

    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        mutating func take(_ byte: UInt8) -> Bool {
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        mutating func digit() -> Int64? {
            guard position < bytes.count, bytes[position] >= 48, bytes[position] <= 57 else { return nil }
            position += 1
            return Int64(bytes[position - 1] - 48)
        }

        mutating func digits(_ count: Int) -> Int64? {
            let start = position
            var value: Int64 = 0
            for _ in 0..<count {
                guard let digit = digit() else { position = start; return nil }
                value = value * 10 + digit
            }
            return value
        }

        /// Reads `Z`, `±HH:MM`, `±HHMM` or `±HH`; returns the offset east of UTC in minutes.
        mutating func zone() -> (Int64, Bool) {
            if take(UInt8(ascii: "Z")) || take(UInt8(ascii: "z")) { return (0, true) }
            let start = position
            let sign: Int64
            if take(UInt8(ascii: "+")) { sign = 1 } else if take(UInt8(ascii: "-")) { sign = -1 } else { return (0, false) }
            guard let hours = digits(2), hours <= 14 else { position = start; return (0, false) }
            let beforeMinutes = position
            _ = take(UInt8(ascii: ":"))
            guard let minutes = digits(2), minutes < 60 else {
                position = beforeMinutes
                return (sign * hours * 60, true)
            }
            return (sign * (hours * 60 + minutes), true)
        }
    }
}
