import ArgumentParser
import TrailModel

/// Output of the commands that explain: text for people, JSON for automation.
enum ExplainFormat: String, CaseIterable, ExpressibleByArgument {
    case text
    case json
}

/// Parses a time option, with the option's name in the error.
func parseTime(_ text: String?, option: String) throws -> Timestamp? {
    guard let text else { return nil }
    guard let time = TimestampParser.parse(text) else {
        throw ValidationError("Please give \(option) as an ISO 8601 time, e.g. 2026-03-04T14:05:00Z.")
    }
    return time
}

/// `--since` / `--until`, shared by the commands that look at a time window.
struct TimeWindowOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Only what happened at or after this time (ISO 8601).", valueName: "time"))
    var since: String?

    @Option(name: .long, help: ArgumentHelp("Only what happened at or before this time (ISO 8601).", valueName: "time"))
    var until: String?

    func validate() throws {
        _ = try sinceTime()
        _ = try untilTime()
        if let since = try sinceTime(), let until = try untilTime(), until < since {
            throw ValidationError("Please give a --since before --until.")
        }
    }

    func sinceTime() throws -> Timestamp? { try parseTime(since, option: "--since") }
    func untilTime() throws -> Timestamp? { try parseTime(until, option: "--until") }
}
