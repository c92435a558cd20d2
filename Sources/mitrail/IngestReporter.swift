import Foundation
import TrailIngest
import TrailReport
import TrailStore

/// Prints a line per file as ingest goes, a progress indicator on a terminal, and the total.
final class IngestReporter: IngestObserver {
    /// Files smaller than this get no progress indicator.
    static let progressThreshold: Int64 = 8 << 20
    let quiet: Bool
    let showsProgress = isatty(STDERR_FILENO) == 1
    private var progressShown = false

    init(quiet: Bool) { self.quiet = quiet }

    func ingestWillStart(path: String, size: Int64) {}

    func ingestProgress(path: String, bytesRead: Int64, size: Int64) {
        guard showsProgress, size >= Self.progressThreshold else { return }
        let percent = size > 0 ? Int(bytesRead * 100 / size) : 0
        FileHandle.standardError.write(Data("\r\u{1B}[K  reading \(path): \(percent)% of \(IngestText.size(size))".utf8))
        progressShown = true
    }

    func ingestDidFinish(_ outcome: FileOutcome) {
        if progressShown {
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
            progressShown = false
        }
        report(outcome)
    }

    func report(_ outcome: FileOutcome) {
        let line = IngestText.line(for: outcome)
        switch outcome.status {
        case .ingested(let counts) where counts.rejected == 0 && outcome.warning == nil:
            if !quiet { print(line) }
        case .alreadyIngested, .skipped:
            if !quiet { print(line) }
        default:
            printError(line)
        }
    }

    func printTotal(_ outcomes: [FileOutcome]) {
        print(IngestText.total(for: outcomes))
    }

    /// 2 when a file could not be read or recognised, else 1 when records were rejected, else 0.
    func exitCode(_ outcomes: [FileOutcome]) -> Int32 {
        var code: Int32 = 0
        for outcome in outcomes {
            switch outcome.status {
            case .failed, .unrecognised: return 2
            case .ingested(let counts) where counts.rejected > 0: code = 1
            default: break
            }
        }
        return code
    }
}
