import Dispatch
import Foundation

/// Runs one command as a child process with extra environment variables, passes on the signals the
/// recorder receives, and reports how it ended: `mitrail record --exec -- COMMAND ARGS...`.
public enum WrappedCommand {
    /// The signals passed on to the child (SIGINT only when it did not come from the terminal, which
    /// already sends it to the child as well).
    static let forwardedSignals: [Int32] = [SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2]

    /// Runs `arguments[0]` (looked up in `PATH`) with `arguments[1...]`, this process's environment plus
    /// `environment`; returns its exit status, or 128 + N when signal N ended it.
    public static func run(_ arguments: [String], adding environment: [String: String]) throws -> Int32 {
        precondition(!arguments.isEmpty, "a command to run")
        var merged = ProcessInfo.processInfo.environment
        for (name, value) in environment { merged[name] = value }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }

        // While the child runs, the signals come to the sources below; the child starts with their default actions.
        for signal in forwardedSignals { Foundation.signal(signal, SIG_IGN) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in forwardedSignals { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))

        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, arguments[0], nil, &attributes, argv, envp)
        guard spawned == 0 else {
            for signal in forwardedSignals { Foundation.signal(signal, SIG_DFL) }
            throw RecorderError.cannotStartCommand(command: arguments[0], reason: String(cString: strerror(spawned)))
        }
        let child = pid
        let sources = forwardedSignals.map { signal in
            let source = DispatchSource.makeSignalSource(signal: signal, queue: .global())
            source.setEventHandler {
                if signal == SIGINT && Self.terminalSendsSignalsToOurGroup() { return }
                kill(child, signal)
            }
            source.resume()
            return source
        }
        defer {
            sources.forEach { $0.cancel() }
            for signal in forwardedSignals { Foundation.signal(signal, SIG_DFL) }
        }
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0 {
            guard errno == EINTR else { return 1 }
        }
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    /// True when this process group is the terminal's foreground group: a Ctrl-C reached the child already.
    static func terminalSendsSignalsToOurGroup() -> Bool {
        isatty(STDIN_FILENO) == 1 && tcgetpgrp(STDIN_FILENO) == getpgrp()
    }
}
