import Foundation
import PackagePlugin

/// Embeds the package's text folders into a target as Swift source (`EmbeddedFiles.all`):
/// `migrations/`, `queries/` and `docs/` into TrailStore, `demo/` into the mitrail executable.
@main
struct EmbedFiles: BuildToolPlugin {
    static let foldersByTarget = [
        "TrailStore": ["migrations", "queries", "docs"],
        "mitrail": ["demo"],
    ]

    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let packageDirectory = context.package.directoryURL
        let folders = (Self.foldersByTarget[target.name] ?? []).map { packageDirectory.appending(path: $0) }
        let inputs = folders.flatMap(Self.files(under:))
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(folders.map(\.lastPathComponent).joined(separator: ", ")) into \(target.name)",
                executable: try context.tool(named: "EmbedFilesTool").url,
                arguments: [output.path()] + folders.map { $0.path() },
                inputFiles: inputs + folders,
                outputFiles: [output]
            )
        ]
    }

    static func files(under folder: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { !$0.hasDirectoryPath }
    }
}
