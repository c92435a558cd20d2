import ArgumentParser
import Dispatch
import Foundation
import TrailModel
import TrailRecorder
import TrailStore

struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record every managed identity token request on this node, as it happens.",
        discussion: """
            A transparent HTTP proxy in front of IMDS: each request is forwarded to the upstream as it came \
            and the client gets the upstream's status, headers and body as they came. Each exchange is \
            written as one JSON line in mitrail's token-request format (time, node, pool, method, URL, \
            request headers, status, response headers, response body, duration), the access token reduced \
            to its claims and fingerprint and secret request headers redacted. A request the upstream does \
            not answer within --timeout is answered 504 and recorded with status 0 and "error": "timeout"; \
            one it refuses is answered 502 and recorded with the reason. Requests that are not token \
            requests (instance metadata, scheduled events) are forwarded the same way, not recorded.

            --out FILE writes the capture (owner-only, rotated at --max-size: FILE.jsonl becomes \
            FILE.1.jsonl ...); --db PATH stores the records in a store as they come (committed every \
            second), as a source named after the recorder. SIGTERM or SIGINT: the exchanges under way are \
            finished, everything is written, exit 0.

            --exec -- COMMAND ARGS... starts the recorder on a free loopback port, runs the command with \
            AZURE_POD_IDENTITY_AUTHORITY_HOST pointing at it (the Azure Identity libraries then ask there \
            instead of 169.254.169.254), passes on signals, stops when it exits and exits with its status. \
            docs/RECORDER.md: which SDKs honour the variable, a Batch start task, transparent mode for \
            clients that call 169.254.169.254 themselves.

            Examples:
              mitrail record --listen 127.0.0.1:8042 --out token-requests.jsonl
              mitrail record --out capture.jsonl --exec -- python3 task.py
              mitrail ingest capture.jsonl && mitrail explain
            """
    )

    @Option(help: ArgumentHelp("Where to listen, HOST:PORT (port 0: a free one). Default with --exec: 127.0.0.1:0.", valueName: "host:port"))
    var listen: String?

    @Option(help: ArgumentHelp("The managed identity endpoint to forward to.", valueName: "url"))
    var upstream = "http://169.254.169.254"

    @Option(help: ArgumentHelp("Write the capture to this JSON lines file (appended to when it exists).", valueName: "file"))
    var out: String?

    @Option(help: ArgumentHelp("Store the records in this evidence store instead, as they come.", valueName: "path"))
    var db: String?

    @Option(help: ArgumentHelp("The node name written in every record. Default: $AZ_BATCH_NODE_ID.", valueName: "name"))
    var node: String?

    @Option(help: ArgumentHelp("The pool name written in every record. Default: $AZ_BATCH_POOL_ID.", valueName: "name"))
    var pool: String?

    @Option(help: ArgumentHelp("Seconds to wait for the upstream's answer before answering 504.", valueName: "seconds"))
    var timeout: Double = 30

    @Option(name: .customLong("max-size"), help: ArgumentHelp("Rotate --out at this size (bytes, or with K, M, G).", valueName: "size"))
    var maxSize: String?

    @Option(help: ArgumentHelp("How many rotated files to keep.", valueName: "n"))
    var keep = 9

    @Flag(help: "Run the command given after -- with the recorder in front of it, then exit with its status.")
    var exec = false

    @Argument(parsing: .postTerminator, help: ArgumentHelp("The command to run with --exec.", valueName: "command"))
    var command: [String] = []

    func validate() throws {
        guard (out == nil) != (db == nil) else { throw ValidationError("Please give either --out FILE.jsonl or --db PATH (one of them).") }
        if exec && command.isEmpty { throw ValidationError("Please give the command to run after --exec --, e.g. --exec -- python3 task.py.") }
        if !exec && !command.isEmpty { throw ValidationError("Please add --exec to run \(command[0]) with the recorder in front of it.") }
        if !exec && listen == nil { throw ValidationError("Please give --listen HOST:PORT, e.g. --listen 127.0.0.1:8042.") }
        if maxSize != nil && out == nil { throw ValidationError("Please use --max-size with --out (a store is not rotated).") }
        if let maxSize, Self.byteCount(maxSize) == nil { throw ValidationError("Please give --max-size as bytes or with K, M or G, e.g. 50M.") }
        if !(timeout > 0) { throw ValidationError("Please give --timeout as a positive number of seconds.") }
        if keep < 1 { throw ValidationError("Please give --keep as 1 or more.") }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let configuration = RecorderConfiguration(
            listen: try ListenAddress(parsing: listen ?? "127.0.0.1:0"), upstream: try UpstreamURL(parsing: upstream),
            timeoutSeconds: timeout, node: node ?? environment["AZ_BATCH_NODE_ID"], pool: pool ?? environment["AZ_BATCH_POOL_ID"])
        let proxy = try RecordingProxy(configuration: configuration, target: try target(configuration)) { problem in
            printError("mitrail record: warning: \(problem) (the proxy goes on answering; these records are lost)")
        }
        let address = try proxy.start()
        let url = "http://\(configuration.listen.host.contains(":") ? "[\(configuration.listen.host)]" : configuration.listen.host):\(address.port ?? 0)"
        printError("mitrail record: \(url) -> \(configuration.upstream), recording into \(out ?? db ?? "")")
        let status: Int32
        if exec {
            status = try WrappedCommand.run(command, adding: ["AZURE_POD_IDENTITY_AUTHORITY_HOST": url])
        } else {
            Self.waitForTermination()
            status = 0
        }
        let summary = proxy.stop()
        let lost = summary.capture.dropped + summary.capture.failed + summary.abandoned
        let passed = summary.notTokenRequests > 0 ? " (and \(Self.count(summary.notTokenRequests, "other request")) forwarded, not recorded)" : ""
        printError("mitrail record: \(Self.count(summary.capture.written, "token request")) recorded" + passed + (lost > 0
            ? "; \(summary.capture.dropped) dropped (writer behind), \(summary.capture.failed) not written, \(summary.abandoned) unanswered at shutdown"
            : ""))
        if exec { throw ExitCode(status) }
        if lost > 0 { throw ExitStatus.findings }
    }

    private func target(_ configuration: RecorderConfiguration) throws -> CaptureTarget {
        if let out { return .file(path: out, maximumSize: maxSize.flatMap(Self.byteCount), keep: keep) }
        let store = try EvidenceStore(path: db ?? "", mode: .readWrite)
        let on = configuration.node.map { " on \($0)" } ?? ""
        let started = Timestamp.now.iso8601
        return .store(store, toolVersion: ToolVersion.current) { port in
            let listen = ListenAddress(host: configuration.listen.host, port: port)
            return "mitrail record\(on) \(listen) -> \(configuration.upstream) from \(started)"
        }
    }

    /// Blocks until SIGTERM or SIGINT.
    static func waitForTermination() {
        let stop = DispatchSemaphore(value: 0)
        let sources = [SIGTERM, SIGINT].map { signal in
            Foundation.signal(signal, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signal, queue: .global())
            source.setEventHandler { stop.signal() }
            source.resume()
            return source
        }
        stop.wait()
        sources.forEach { $0.cancel() }
    }

    /// `1 token request`, `2 token requests`.
    static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)" + (number == 1 ? "" : "s")
    }

    /// `50M` is 50 MiB; a plain number is bytes.
    static func byteCount(_ text: String) -> Int64? {
        let units: [Character: Int64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        var digits = text.uppercased()
        var unit: Int64 = 1
        if let last = digits.last, let multiplier = units[last] {
            unit = multiplier
            digits.removeLast()
        }
        guard let value = Int64(digits), value > 0 else { return nil }
        return value.multipliedReportingOverflow(by: unit).overflow ? nil : value * unit
    }
}
