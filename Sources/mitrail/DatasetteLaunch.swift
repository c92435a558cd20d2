import Foundation
import TrailReport

/// What can stop `mitrail browse` from opening Datasette.
enum BrowseError: LocalizedError {
    case datasetteMissing(store: String)
    case portInUse(port: Int)
    case cannotStart(reason: String)

    var errorDescription: String? {
        switch self {
        case .datasetteMissing(let store):
            return "Datasette is not installed: there is no `datasette` on PATH. Install it with `pipx install datasette` "
                + "(or `pip install datasette`), then run `mitrail browse` again. With a Datasette you have already, write the metadata "
                + "file and start it yourself:\n"
                + "  mitrail browse --db \(store) --metadata-only -o mitrail-metadata.json\n"
                + "  " + DatasetteLaunch.serveCommand(store: store, metadata: "mitrail-metadata.json")
        case .portInUse(let port):
            return "Port \(port) on 127.0.0.1 is in use. Please choose another with --port, or leave --port out for a free one."
        case .cannotStart(let reason):
            return "Cannot start Datasette: \(reason)"
        }
    }
}

/// Finds `datasette`, picks the port and replaces this process with `datasette serve`.
enum DatasetteLaunch {
    /// Datasette's default port, used when it is free.
    static let defaultPort = 8001

    /// The command a user runs with a metadata file written by `--metadata-only`.
    static func serveCommand(store: String, metadata: String) -> String {
        (["datasette", "serve", store, "--metadata", metadata] + DatasetteMetadata.settingArguments).joined(separator: " ")
    }

    /// The first executable `datasette` on PATH.
    static func findDatasette(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        (environment["PATH"] ?? "").split(separator: ":").map { String($0) + "/datasette" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// `requested` when it is free on 127.0.0.1; without one, 8001 if free, else a port the system picks.
    static func port(requested: Int?) throws -> Int {
        if let requested {
            guard LoopbackPort.isFree(requested) else { throw BrowseError.portInUse(port: requested) }
            return requested
        }
        if LoopbackPort.isFree(defaultPort) { return defaultPort }
        guard let port = LoopbackPort.anyFree() else { throw BrowseError.cannotStart(reason: "no free port on 127.0.0.1") }
        return port
    }

    /// Hands the metadata to Datasette through an open, already deleted file (`/dev/fd/N`), so that nothing is
    /// left behind, then execs Datasette: this process becomes the server, and its PID stops it.
    static func exec(datasette: String, arguments: [String], metadata: String) throws -> Never {
        var template = Array((FileManager.default.temporaryDirectory.path + "/mitrail-browse-XXXXXX").utf8CString)
        let descriptor = mkstemp(&template)
        guard descriptor >= 0 else { throw BrowseError.cannotStart(reason: String(cString: strerror(errno))) }
        unlink(template)
        let bytes = Array(metadata.utf8)
        guard write(descriptor, bytes, bytes.count) == bytes.count, lseek(descriptor, 0, SEEK_SET) == 0 else {
            throw BrowseError.cannotStart(reason: "cannot write the metadata file: \(String(cString: strerror(errno)))")
        }
        let argv = ([datasette] + arguments.map { $0 == metadataPlaceholder ? "/dev/fd/\(descriptor)" : $0 }).map { strdup($0) } + [nil]
        fflush(nil)  // what was printed goes out before the process image is replaced
        execv(datasette, argv)
        throw BrowseError.cannotStart(reason: "\(datasette): \(String(cString: strerror(errno)))")
    }

    /// Stands for the metadata file in the arguments given to `exec`.
    static let metadataPlaceholder = "\u{0}metadata"
}
