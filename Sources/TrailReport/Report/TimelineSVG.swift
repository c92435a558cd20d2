import Foundation
import TrailExplain
import TrailModel

/// The report's time line as inline SVG: a lane per episode, a dot per failure, the fix as a green
/// marker and its propagation window shaded. No script, no external font: it prints as it shows.
enum TimelineSVG {
    static let width = 900.0
    static let laneHeight = 34.0
    static let labelWidth = 250.0
    static let top = 28.0

    static func render(_ report: IncidentReport) -> String {
        let episodes = report.explanation.episodes
        guard let (first, last) = report.span, !episodes.isEmpty else { return "" }
        // The axis runs to the end of the last propagation window too, so that no bar leaves the plot.
        let windowsEnd = episodes.filter(\.diagnosis.resolution.hasPropagationWindow)
            .compactMap { $0.resolvedAt?.adding(milliseconds: $0.propagationWindow) }.max()
        let lastMark = max(last, windowsEnd ?? last)
        let padding = max((lastMark.millisecondsSince1970 - first.millisecondsSince1970) / 20, 60_000)
        let start = first.millisecondsSince1970 - padding, end = lastMark.millisecondsSince1970 + padding
        let plotWidth = width - labelWidth - 20
        func x(_ time: Timestamp) -> Double {
            labelWidth + Double(time.millisecondsSince1970 - start) / Double(end - start) * plotWidth
        }
        let height = top + Double(episodes.count) * laneHeight + 30
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" "
            + "aria-label=\"Failures over time, one lane per episode\" class=\"timeline\">\n"
        svg += "<rect x=\"0\" y=\"0\" width=\"\(Int(width))\" height=\"\(Int(height))\" fill=\"#fbfbfd\"/>\n"
        for tick in ticks(start: start, end: end, count: 5) {
            let position = x(Timestamp(millisecondsSince1970: tick))
            svg += "<line x1=\"\(format(position))\" y1=\"\(Int(top - 8))\" x2=\"\(format(position))\" y2=\"\(Int(height - 24))\" stroke=\"#e3e5ea\"/>\n"
            svg += "<text x=\"\(format(position))\" y=\"\(Int(height - 10))\" class=\"tick\" text-anchor=\"middle\">\(HTML.escape(String(Timestamp(millisecondsSince1970: tick).iso8601.dropFirst(11).prefix(5))))</text>\n"
        }
        for (index, episode) in episodes.enumerated() {
            let y = top + Double(index) * laneHeight + laneHeight / 2
            let color = episode.status == .ongoing ? "#c62828" : "#ef6c00"
            svg += "<text x=\"8\" y=\"\(format(y + 4))\" class=\"lane\">\(index + 1). \(HTML.escape(String(episode.code.rawValue.prefix(34))))</text>\n"
            if let resolved = episode.resolvedAt {
                // Only a role assignment takes a while to apply; the end of an IMDS or token episode has no window.
                let window = resolved.adding(milliseconds: episode.diagnosis.resolution.hasPropagationWindow ? episode.propagationWindow : 0)
                if window > resolved {
                    svg += "<rect x=\"\(format(x(resolved)))\" y=\"\(format(y - 12))\" width=\"\(format(max(2, x(window) - x(resolved))))\" height=\"24\" fill=\"#c8e6c9\" opacity=\"0.7\"><title>propagation window after the fix</title></rect>\n"
                }
                svg += "<line x1=\"\(format(x(resolved)))\" y1=\"\(format(y - 14))\" x2=\"\(format(x(resolved)))\" y2=\"\(format(y + 14))\" stroke=\"#2e7d32\" stroke-width=\"3\"><title>fixed \(resolved.iso8601)</title></line>\n"
            }
            if let firstFailure = episode.firstFailure, let lastFailure = episode.lastFailure {
                svg += "<line x1=\"\(format(x(firstFailure)))\" y1=\"\(format(y))\" x2=\"\(format(x(lastFailure)))\" y2=\"\(format(y))\" stroke=\"\(color)\" stroke-width=\"2\" opacity=\"0.5\"/>\n"
            }
            for failure in episode.sampledFailures {
                guard let time = failure.time else { continue }
                svg += "<circle cx=\"\(format(x(time)))\" cy=\"\(format(y))\" r=\"4.5\" fill=\"\(color)\"><title>\(HTML.escape(failure.what)) \(time.iso8601)</title></circle>\n"
            }
        }
        return svg + "</svg>\n"
    }

    /// Round times for the axis: about `count` of them, on minute, hour or day boundaries.
    static func ticks(start: Int64, end: Int64, count: Int) -> [Int64] {
        let steps: [Int64] = [60_000, 300_000, 600_000, 1_800_000, 3_600_000, 21_600_000, 86_400_000]
        let step = steps.first { (end - start) / $0 <= Int64(count) } ?? steps[steps.count - 1]
        var tick = (start / step + 1) * step
        var ticks: [Int64] = []
        while tick < end { ticks.append(tick); tick += step }
        return ticks
    }

    static func format(_ value: Double) -> String { String(Int((value * 10).rounded())) == "0" ? "0" : String(format: "%.1f", value) }
}
