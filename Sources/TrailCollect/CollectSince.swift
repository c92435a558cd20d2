import TrailModel

/// How far back the Activity Log and the Log Analytics queries reach: a duration before now
/// (`7d`, `36h`, `1d12h`, `90m`, as `az monitor activity-log list --offset` takes it) or a UTC time.
public enum CollectSince: Equatable, Sendable {
    case duration(days: Int, hours: Int, minutes: Int)
    case time(Timestamp)

    /// The Activity Log keeps 90 days.
    public static let maximumDays = 90

    /// Parses `7d`, `12h`, `1d12h`, `30m` or an ISO 8601 time; nil for anything else or more than 90 days.
    public static func parse(_ text: String) -> CollectSince? {
        if let time = TimestampParser.parse(text) { return .time(time) }
        var days = 0, hours = 0, minutes = 0, digits = ""
        var seen: Set<Character> = []
        for character in text.lowercased() {
            if character.isASCII && character.isNumber {
                digits.append(character)
                continue
            }
            guard let value = Int(digits), value >= 0, seen.insert(character).inserted else { return nil }
            switch character {
            case "d" where seen == ["d"]: days = value
            case "h" where !seen.contains("m"): hours = value
            case "m": minutes = value
            default: return nil
            }
            digits = ""
        }
        guard digits.isEmpty, !seen.isEmpty else { return nil }
        let since = CollectSince.duration(days: days, hours: hours, minutes: minutes)
        guard since.totalMinutes > 0, since.totalMinutes <= maximumDays * 24 * 60 else { return nil }
        return since
    }

    var totalMinutes: Int {
        guard case .duration(let days, let hours, let minutes) = self else { return 0 }
        return (days * 24 + hours) * 60 + minutes
    }

    /// The time window's start, for a collection that starts at `now`.
    public func start(now: Timestamp) -> Timestamp {
        switch self {
        case .time(let time): return time
        case .duration: return now.adding(milliseconds: -Int64(totalMinutes) * 60_000)
        }
    }

    /// The time arguments of `az monitor activity-log list`: `--offset 7d`, or `--start-time T --end-time NOW`
    /// (with a start time alone, the Azure CLI would end the window six hours later).
    public func activityLogArguments(now: Timestamp) -> [String] {
        switch self {
        case .duration(let days, let hours, let minutes):
            return ["--offset", Self.compact(days: days, hours: hours, minutes: minutes)]
        case .time(let time):
            return ["--start-time", time.iso8601, "--end-time", now.iso8601]
        }
    }

    /// `--timespan` of `az monitor log-analytics query`: an ISO 8601 duration (`P7D`, `PT36H`) or `START/END`.
    public func logAnalyticsTimespan(now: Timestamp) -> String {
        switch self {
        case .duration(let days, let hours, let minutes):
            let time = (hours > 0 ? "\(hours)H" : "") + (minutes > 0 ? "\(minutes)M" : "")
            return "P" + (days > 0 ? "\(days)D" : "") + (time.isEmpty ? "" : "T" + time)
        case .time(let time):
            return time.iso8601 + "/" + now.iso8601
        }
    }

    /// As the user would write it: `7d`, `1d12h`, or the time.
    public var description: String {
        switch self {
        case .duration(let days, let hours, let minutes): return Self.compact(days: days, hours: hours, minutes: minutes)
        case .time(let time): return time.iso8601
        }
    }

    static func compact(days: Int, hours: Int, minutes: Int) -> String {
        (days > 0 ? "\(days)d" : "") + (hours > 0 ? "\(hours)h" : "") + (minutes > 0 ? "\(minutes)m" : "")
    }
}
