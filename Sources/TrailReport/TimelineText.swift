import TrailModel

/// One line of `mitrail timeline`: time, kind, summary, and the record's source.
public enum TimelineText {
    public static func line(_ row: [String: TabularValue]) -> String {
        let time = row["time"]?.displayText ?? ""
        let origin = row["time_origin"]?.displayText ?? ""
        let mark = origin == "record" || origin.isEmpty ? " " : origin == "neighbour" ? "~" : origin == "snapshot" ? "@" : "?"
        let kind = (row["kind"]?.displayText ?? "").replacingOccurrences(of: "azure:", with: "")
        let source = row["source"]?.displayText ?? ""
        let line = row["line"]?.displayText ?? ""
        let when = time.isEmpty ? String(repeating: " ", count: 24) : time
        return "\(when)\(mark) \(kind.padding(toLength: 28, withPad: " ", startingAt: 0)) \(row["summary"]?.displayText ?? "")  --> \(source)\(line.isEmpty ? "" : ":" + line)"
    }
}
