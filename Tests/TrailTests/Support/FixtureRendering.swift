import Foundation
import TrailIngest
import TrailModel

/// Parses fixtures the way ingest does and renders what came out as golden text.
enum FixtureRendering {
    static let observedAt = TimestampParser.parse("2026-03-04T12:00:00Z")!

    /// The fixture inputs of one format folder: every file but the golden files and the folder's README.md
    /// (where its fixtures' real sources are noted).
    static func inputs(in folder: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().filter { !$0.hasSuffix(".golden.jsonl") && !$0.hasPrefix(".") && $0 != "README.md" }
            .map { folder.appendingPathComponent($0) }
    }

    /// The content as ingest reads it: decompressed when it is gzip.
    static func decodedBytes(_ url: URL) throws -> [UInt8] {
        let raw = try Array(Data(contentsOf: url))
        guard GzipStream.isGzip(raw) else { return raw }
        let stream = try GzipStream(upstream: try FileStream(path: url.path), path: url.path)
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try stream.read(into: $0) }
            if count == 0 { break }
            output += chunk[0..<count]
        }
        return output
    }

    /// Parses bytes with `format` (redaction on) into records and rejects.
    static func parse(_ bytes: [UInt8], format: any EvidenceFormat, path: String) throws -> CollectingSink {
        let sink = CollectingSink(context: ParseContext(path: path, observedAt: observedAt, observedAtOrigin: .option))
        try format.run(ParseInput(bytes: bytes), into: sink)
        return sink
    }

    /// One JSON line per record, then one per reject.
    static func render(_ sink: CollectingSink) -> String {
        var lines: [String] = []
        for record in sink.records {
            var line = "{\"kind\": " + JSONText.quoted(record.kind.rawValue)
            line += ", \"line\": " + (record.position.line.map(String.init) ?? "null")
            line += ", \"pointer\": " + (record.position.pointer.map(JSONText.quoted) ?? "null")
            line += ", \"time\": " + (record.time.map { JSONText.quoted($0.iso8601) } ?? "null")
            line += ", \"timeOrigin\": " + JSONText.quoted(record.timeOrigin.rawValue)
            line += ", \"fields\": " + record.fields.json
            line += ", \"raw\": " + JSONText.quoted(record.raw) + "}"
            lines.append(line)
        }
        for reject in sink.rejects {
            var line = "{\"reject\": true, \"line\": " + (reject.position.line.map(String.init) ?? "null")
            line += ", \"pointer\": " + (reject.position.pointer.map(JSONText.quoted) ?? "null")
            line += ", \"reason\": " + JSONText.quoted(reject.reason)
            line += ", \"excerpt\": " + JSONText.quoted(reject.excerpt) + "}"
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
