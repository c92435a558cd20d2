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
