import TrailExplain
import TrailModel

/// The evidence overview as text for a terminal.
public enum OverviewText {
    public static func render(_ overview: EvidenceOverview) -> String {
        var output = "Evidence in the store:\n"
        output += TabularWriter.alignedTable(
            columns: ["kind", "records", "sources", "first", "last"],
            rows: overview.kinds.map { [$0.kind, String($0.records), String($0.sources), $0.firstTime ?? "-", $0.lastTime ?? "-"] })
        if !overview.markers.isEmpty {
            output += "\nMarkers in node agent logs:\n"
            output += TabularWriter.alignedTable(
                columns: ["marker", "node", "lines", "first", "last"],
                rows: overview.markers.map { [$0.marker, $0.node, String($0.lines), $0.firstTime ?? "-", $0.lastTime ?? "-"] })
        }
        return output
    }
}
