import Foundation

/// On a crash (a trap, a fatal error, a hang), saves the input being run and says which execution it was,
/// so that `mitrail-fuzz --replay FILE` or the same `--seed` reproduces it; then lets the runtime's own
/// handler print its backtrace. The handler only calls async-signal-safe functions on prepared buffers.
enum CrashReport {
    static let signals = [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGALRM]
    /// An input running longer than this is a hang.
    static let hangSeconds: UInt32 = 20

    nonisolated(unsafe) static var pendingPath: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) static var crashPath: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) static var input: UnsafeMutableRawPointer?
    nonisolated(unsafe) static var inputCount = 0
    nonisolated(unsafe) static var inputCapacity = 0
    nonisolated(unsafe) static var number: UInt64 = 0
    nonisolated(unsafe) static let previous: UnsafeMutablePointer<sigaction> = {
        let actions = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
        actions.initialize(repeating: sigaction(), count: 65)
        return actions
    }()

    static func install(crashFile: String) {
        crashPath = strdup(crashFile)
        pendingPath = strdup(crashFile + ".pending")
        for signal in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = handle
            sigaction(signal, &action, previous + Int(signal))
        }
    }

    /// Remembers the input about to run, and re-arms the hang alarm.
    static func current(_ bytes: [UInt8], number: UInt64) {
        if bytes.count > inputCapacity {
            input?.deallocate()
            inputCapacity = max(bytes.count, 2 * inputCapacity)
            input = .allocate(byteCount: inputCapacity, alignment: 1)
        }
        if !bytes.isEmpty { bytes.withUnsafeBytes { input!.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) } }
        inputCount = bytes.count
        Self.number = number
        alarm(hangSeconds)
    }

    static let handle: @convention(c) (Int32) -> Void = { signal in
        let descriptor = CrashReport.pendingPath.map { open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o600) } ?? -1
        if descriptor >= 0 {
            if let input = CrashReport.input { _ = write(descriptor, input, CrashReport.inputCount) }
            close(descriptor)
            if let pending = CrashReport.pendingPath, let crash = CrashReport.crashPath { rename(pending, crash) }
        }
        CrashReport.say("\nmitrail-fuzz: crashed or hung on execution ")
        CrashReport.sayNumber(CrashReport.number)
        CrashReport.say(" (18446744073709551615: a seed as it is); the input is in ")
        if let path = CrashReport.crashPath { _ = write(2, path, strlen(path)) }
        CrashReport.say("\n")
        // Hand over to the previous handler (the Swift runtime's backtracer): a trap traps again on return.
        sigaction(signal, CrashReport.previous + Int(signal), nil)
        if signal == SIGALRM || signal == SIGABRT { raise(signal) }
    }

    static func say(_ text: StaticString) {
        _ = write(2, text.utf8Start, text.utf8CodeUnitCount)
    }

    static func sayNumber(_ value: UInt64) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var value = value
            var start = 20
            repeat {
                start -= 1
                buffer[start] = UInt8(48 + value % 10)
                value /= 10
            } while value > 0
            _ = write(2, buffer.baseAddress! + start, 20 - start)
        }
    }
}
