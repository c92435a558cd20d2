import Dispatch
import Foundation
import NIOConcurrencyHelpers

/// Where whole record lines go: a capture file, or a store.
protocol CaptureDestination: AnyObject {
    func write(_ line: [UInt8]) throws
    /// Makes what was written visible to readers (a store commits its pending batch).
    func flush() throws
    func close() throws
}

/// The one writer of the capture: records from every connection are queued to one serial queue that
/// appends each line whole, so lines never interleave.
///
/// The queue starts suspended: records may be submitted as soon as the proxy listens, and are written
/// once `open` gives the destination (a store source is named after the port bound).
/// At most `maximumPending` records wait; past that a record is dropped and counted (the proxy keeps
/// answering its clients). The destination is flushed every `flushInterval` seconds. The first write
/// failure is reported once through `onProblem`; the proxy goes on, and the records are counted as lost.
public final class CaptureWriter: Sendable {
    private let queue = DispatchQueue(label: "mitrail.recorder.capture", attributes: .initiallyInactive)
    private let destination = UncheckedDestination()
    private let flushInterval: Double
    private let state = NIOLockedValueBox(State())
    private let maximumPending: Int
    private let onProblem: @Sendable (String) -> Void

    struct State {
        var pending = 0
        var written = 0
        var dropped = 0
        var failed = 0
        var reportedFailure = false
        var opened = false
        var closed = false
    }

    /// Counts for the summary at shutdown.
    public struct Counts: Sendable, Equatable {
        public var written: Int
        /// Dropped because the writer fell `maximumPending` records behind.
        public var dropped: Int
        /// Not written because the destination failed.
        public var failed: Int
    }

    /// The destination is touched on the writer's queue only.
    private final class UncheckedDestination: @unchecked Sendable {
        var value: CaptureDestination?
    }

    init(maximumPending: Int, flushInterval: Double = 1, onProblem: @escaping @Sendable (String) -> Void) {
        self.maximumPending = maximumPending
        self.onProblem = onProblem
        self.flushInterval = flushInterval
    }

    /// libdispatch crashes when the last reference to a queue still inactive goes (a recorder that never
    /// started: its port was taken): activate it first.
    deinit {
        if !state.withLockedValue({ $0.opened || $0.closed }) { queue.activate() }
    }

    /// Starts writing into `destination` what was submitted so far and what comes next.
    func open(_ destination: CaptureDestination) {
        self.destination.value = destination
        state.withLockedValue { $0.opened = true }
        queue.activate()
        scheduleFlush()
    }

    /// Flushes the destination every `flushInterval` seconds, on the writer's queue, until closed.
    private func scheduleFlush() {
        queue.asyncAfter(deadline: .now() + flushInterval) { [self] in
            guard !state.withLockedValue({ $0.closed }) else { return }
            do { try destination.value?.flush() } catch { Self.report(error, state: state, onProblem: onProblem) }
            scheduleFlush()
        }
    }

    /// Queues one line; returns false when it was dropped.
    @discardableResult
    func submit(_ line: [UInt8]) -> Bool {
        let accepted = state.withLockedValue { state -> Bool in
            guard !state.closed, state.pending < maximumPending else {
                state.dropped += 1
                return false
            }
            state.pending += 1
            return true
        }
        guard accepted else { return false }
        let destination = self.destination, state = self.state, onProblem = self.onProblem
        queue.async {
            do {
                guard let destination = destination.value else { throw RecorderError.captureNotOpen }
                try destination.write(line)
                state.withLockedValue { $0.pending -= 1; $0.written += 1 }
            } catch {
                state.withLockedValue { $0.pending -= 1; $0.failed += 1 }
                Self.report(error, state: state, onProblem: onProblem)
            }
        }
        return true
    }

    /// Writes what is queued, closes the destination (a store marks its source complete) and returns the counts.
    func close() -> Counts {
        let opened = state.withLockedValue { state -> Bool in
            state.closed = true
            return state.opened
        }
        if !opened { queue.activate() }
        let destination = self.destination, state = self.state, onProblem = self.onProblem
        queue.sync {
            do { try destination.value?.close() } catch { Self.report(error, state: state, onProblem: onProblem) }
        }
        return state.withLockedValue { Counts(written: $0.written, dropped: $0.dropped, failed: $0.failed) }
    }

    private static func report(_ error: Error, state: NIOLockedValueBox<State>, onProblem: @Sendable (String) -> Void) {
        let first = state.withLockedValue { state -> Bool in
            defer { state.reportedFailure = true }
            return !state.reportedFailure
        }
        if first { onProblem((error as? LocalizedError)?.errorDescription ?? "\(error)") }
    }
}
