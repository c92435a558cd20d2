import ArgumentParser
import Foundation
import TrailReport
import TrailStore

struct BrowseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "browse",
        abstract: "Open the store in Datasette on 127.0.0.1, with every named query as a canned query.",
        discussion: """
            Generates a Datasette metadata file from the store's named queries (one canned query each, with its \
            description and parameters) and from docs/QUERIES.md (what each view and its columns mean), then starts \
            `datasette serve` on the store, on 127.0.0.1 only, with facet suggestions off and a 20 s time limit for a \
            query, which a big store needs. The store is opened read-only; an ingest running meanwhile shows up on the \
            next page. mitrail becomes the Datasette process: Ctrl-C or its PID stops it.

            A canned query gives the same rows as `mitrail query NAME` with the same parameters: a parameter left \
            empty counts as not given, and a time is read as mitrail query reads it (2026-03-04T10:00:00Z, an offset, \
            or a bare date).

            Datasette comes from PyPI: `pipx install datasette` or `pip install datasette`. With --metadata-only, \
            mitrail only writes the metadata file, for a Datasette you start yourself (the command to use is printed).

            Examples:
              mitrail browse
              mitrail browse --db incident.db --port 8765
              mitrail browse --metadata-only -o mitrail-metadata.json
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: "The port on 127.0.0.1 (default: 8001 when it is free, else one the system picks).")
    var port: Int?

    @Flag(name: .customLong("metadata-only"), help: "Write Datasette's metadata file instead of starting Datasette.")
    var metadataOnly = false

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("With --metadata-only: the file to write (default: standard output).", valueName: "file"),
            completion: .file(extensions: ["json"]))
    var output: String?

    func validate() throws {
        if output != nil && !metadataOnly { throw ValidationError("Please give -o only with --metadata-only.") }
        if let port, !(1...65_535).contains(port) { throw ValidationError("Please give --port between 1 and 65535.") }
        if port != nil && metadataOnly { throw ValidationError("Please give --port without --metadata-only: no server is started then.") }
    }

    /// Datasette names a database after its file, less the extension.
    var databaseName: String {
        URL(fileURLWithPath: store.path).deletingPathExtension().lastPathComponent
    }

    func run() throws {
        _ = try store.sqlitePath(command: "browse")
        let metadata = try DatasetteMetadata.document(database: databaseName).rendered() + "\n"
        if metadataOnly {
            try writeMetadata(metadata)
            return
        }
        let evidence = try EvidenceStore(path: store.path, mode: .readOnly)
        guard let datasette = DatasetteLaunch.findDatasette() else { throw BrowseError.datasetteMissing(store: store.path) }
        let port = try DatasetteLaunch.port(requested: port)
        // A store in a folder this user cannot write, with no -wal file, gets no -shm either: Datasette opens it immutable.
        let folder = URL(fileURLWithPath: store.path).deletingLastPathComponent().path
        let immutable = !FileManager.default.isWritableFile(atPath: folder) && evidence.writeAheadLogBytes == 0
        print("\(StoreFile.readingLine(evidence))\nDatasette on http://127.0.0.1:\(port)/\(databaseName) "
              + "(\(NamedQuery.all.count) canned queries; Ctrl-C stops it)")
        try DatasetteLaunch.exec(
            datasette: datasette,
            arguments: ["serve"] + (immutable ? ["--immutable", store.path] : [store.path])
                + ["--host", "127.0.0.1", "--port", String(port), "--metadata", DatasetteLaunch.metadataPlaceholder]
                + DatasetteMetadata.settingArguments,
            metadata: metadata)
    }

    func writeMetadata(_ metadata: String) throws {
        guard let output else {
            print(metadata, terminator: "")
            return
        }
        do {
            try metadata.write(toFile: output, atomically: true, encoding: .utf8)
        } catch {
            throw ValidationError("Cannot write \(output): \(error.localizedDescription)")
        }
        printError("metadata for \(NamedQuery.all.count) canned queries written to \(output); start Datasette with:\n  "
                   + DatasetteLaunch.serveCommand(store: store.path, metadata: output))
    }
}
