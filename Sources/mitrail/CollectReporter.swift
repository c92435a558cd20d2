import Foundation
import TrailCollect
import TrailIngest
import TrailModel
import TrailStore

/// Shows `mitrail collect` at work on a terminal (a line per command, the running one with its elapsed
/// time), then prints the summary: what was written, what is missing and why, what to run next.
final class CollectReporter: CollectObserver {
    let showsProgress = isatty(STDERR_FILENO) == 1
    /// Serializes writes to standard error between the collecting thread and the ticking timer.
    private let output = DispatchQueue(label: "mitrail.collect.progress")
    private var ticker: DispatchSourceTimer?
    private var started = Date()

    func commandWillStart(_ command: PlannedCommand, number: Int) {
        guard showsProgress else { return }
        started = Date()
        let label = "[\(number)] \(command.purpose)"
        let timer = DispatchSource.makeTimerSource(queue: output)
        timer.schedule(deadline: .now() + 1, repeating: 1)
        timer.setEventHandler { [started] in
            Self.write("\r\u{1B}[K  …   \(label) (\(Int(Date().timeIntervalSince(started))) s)")
        }
        output.sync {
            Self.write("\r\u{1B}[K  …   \(label)")
            ticker = timer
        }
        timer.resume()
    }

    func commandDidFinish(_ command: PlannedCommand, record: CollectorManifest.Command, number: Int) {
        guard showsProgress else { return }
        let seconds = String(format: "%.1f s", Date().timeIntervalSince(started))
        let status = record.succeeded ? (record.emptyAnswer ? "none" : "ok  ") : "FAIL"
        output.sync {
            ticker?.cancel()
            ticker = nil
            Self.write("\r\u{1B}[K  \(status) [\(number)] \(command.purpose) (\(seconds))\n")
        }
    }

    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// The lines of an error worth showing: the Azure CLI's `ERROR:` lines when it has some (its debug
    /// and warning lines are in the manifest), else the first three.
    static func errorLines(_ error: String) -> [Substring] {
        let lines = error.split(separator: "\n")
        let errors = lines.filter { $0.hasPrefix("ERROR:") }
        return Array((errors.isEmpty ? lines : errors).prefix(3))
    }

    /// The bundle, the failed commands with what each would need, what was not asked for, and the next step.
    func printSummary(_ outcome: CollectOutcome) {
        let manifest = outcome.manifest
        let version = manifest.azureCLI?["azure-cli"].flatMap { value -> String? in
            if case .string(let text) = value { return text }
            return nil
        }
        print("wrote \(outcome.bundlePath): \(outcome.files.count) files from \(manifest.commands.count) az commands"
              + " (Azure CLI \(version ?? "version unknown"), subscription \(manifest.subscriptionId ?? "unknown"))")
        let empty = manifest.commands.filter(\.emptyAnswer)
        if !empty.isEmpty {
            print("answered nothing (nothing to write): " + empty.map(\.purpose).joined(separator: "; "))
        }
        if !outcome.failures.isEmpty {
            print("\(outcome.failures.count) command\(outcome.failures.count == 1 ? "" : "s") failed; the bundle lacks:")
            for failure in outcome.failures {
                print("  - \(failure.purpose)")
                print("      \(SourceCommand.shellLine(failure.argv))")
                for line in Self.errorLines(failure.error ?? "") { print("      \(line)") }
                if let remedy = failure.remedy { print("      → \(remedy)") }
            }
        }
        if !manifest.notCollected.isEmpty {
            print("not collected:")
            for item in manifest.notCollected { print("  - \(item.what): \(item.reason)") }
        }
        print("next: mitrail ingest \(SourceCommand.shellLine([outcome.bundlePath])) && mitrail explain")
    }
}
