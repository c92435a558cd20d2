import Foundation
import TrailIngest
import TrailStore

/// The words `mitrail ingest` prints for each file and for the whole run.
public enum IngestText {
    public static func line(for outcome: FileOutcome) -> String {
        switch outcome.status {
        case .ingested(let counts):
            var line = "ingested \(outcome.path) as \(outcome.format ?? "?"): " + describe(counts)
            if counts.rejected > 0 {
                line += "\n  help: `mitrail sql \"SELECT line, reason, excerpt FROM rejects\"` shows what was rejected and why"
            }
            if let warning = outcome.warning { line += "\n  warning: " + warning }
            return line
        case .alreadyIngested(let sourceID, let path):
            return "skipped \(outcome.path): already ingested as source #\(sourceID) (\(path)), same SHA-256"
        case .unrecognised(let tried):
            var text = "error: \(outcome.path): no format recognises this content\n"
            for (index, refusal) in outcome.refusals.enumerated() {
                text += (index == 0 ? "  closest: " : "           ") + refusal.formatID + ": " + refusal.reason + "\n"
            }
            return text + "  tried: \(tried.joined(separator: ", "))\n"
                + "  help: pass --format ID if you know what it is; `mitrail formats` lists the formats; "
                + "if it is Azure evidence no format reads yet, please report it"
        case .failed(let message):
            return "error: \(outcome.path): \(message)"
        case .skipped(let reason):
            return "skipped \(outcome.path): \(reason)"
        }
    }

    public static func describe(_ counts: SourceCounts) -> String {
        "read \(counts.read), stored \(counts.stored), rejected \(counts.rejected), duplicate \(counts.duplicate)"
    }

    public static func total(for outcomes: [FileOutcome]) -> String {
        var counts = SourceCounts()
        var ingested = 0, skipped = 0, unrecognised = 0, failed = 0, notEvidence = 0
        for outcome in outcomes {
            switch outcome.status {
            case .ingested(let fileCounts): ingested += 1; counts = counts + fileCounts
            case .alreadyIngested: skipped += 1
            case .unrecognised: unrecognised += 1
            case .failed: failed += 1
            case .skipped: notEvidence += 1
            }
        }
        return "total: \(outcomes.count) file\(outcomes.count == 1 ? "" : "s") (\(ingested) ingested, \(skipped) already ingested, "
            + "\(unrecognised) unrecognised, \(failed) unreadable" + (notEvidence > 0 ? ", \(notEvidence) not evidence" : "") + "); "
            + describe(counts)
    }

    public static func size(_ bytes: Int64) -> String {
        if bytes >= 1 << 30 { return String(format: "%.1f GiB", Double(bytes) / Double(1 << 30)) }
        if bytes >= 1 << 20 { return String(format: "%.1f MiB", Double(bytes) / Double(1 << 20)) }
        if bytes >= 1 << 10 { return String(format: "%.1f KiB", Double(bytes) / Double(1 << 10)) }
        return "\(bytes) B"
    }
}
