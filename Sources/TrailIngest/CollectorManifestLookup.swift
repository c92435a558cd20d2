import Foundation

/// Finds the collector manifest that describes a file: the nearest `manifest.json` written by
/// `mitrail collect` in the file's folder or a folder above it (an unpacked bundle), or inside the
/// same archive. Manifests are read once per folder.
final class CollectorManifestLookup {
    /// Manifests by the folder they are in ("" for the root of an archive); nil when the folder has none.
    private var manifestsByFolder: [String: CollectorManifest?] = [:]
    /// Reads the manifest of a folder, or gives nil.
    private let readManifest: (String) -> CollectorManifest?

    init(readManifest: @escaping (String) -> CollectorManifest?) {
        self.readManifest = readManifest
    }

    /// Manifests of files on disk: `FOLDER/manifest.json`.
    static func onDisk() -> CollectorManifestLookup {
        CollectorManifestLookup { folder in
            CollectorManifest.read(path: (folder.isEmpty ? "" : folder + "/") + CollectorManifest.fileName)
        }
    }

    /// Manifests already read from an archive's entries, by folder inside the archive.
    static func inArchive(_ manifests: [String: CollectorManifest]) -> CollectorManifestLookup {
        CollectorManifestLookup { manifests[$0] }
    }

    /// What the nearest manifest says of the file at `path` (`/`-separated), if any manifest lists it.
    /// Folders are tried upwards as far as the path names them (for a relative path, the current folder too).
    func provenance(of path: String) -> CollectedProvenance? {
        var folders = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var relative = [folders.removeLast()]
        while true {
            if folders == [""] { return nil }  // the root of an absolute path
            if let manifest = manifest(in: folders.joined(separator: "/")) {
                return manifest.provenance(ofFile: relative.joined(separator: "/"))
            }
            guard let last = folders.popLast(), !last.isEmpty, last != ".", last != ".." else { return nil }
            relative.insert(last, at: 0)
        }
    }

    /// True when `path` is a collector manifest itself (not evidence: its commands and times go with each file).
    func isManifest(_ path: String) -> Bool {
        guard let folder = Self.folder(ofManifest: path) else { return false }
        return manifest(in: folder) != nil
    }

    /// The folder of a file named `manifest.json` ("" at the root), or nil for a file of another name.
    static func folder(ofManifest path: String) -> String? {
        if path == CollectorManifest.fileName { return "" }
        guard path.hasSuffix("/" + CollectorManifest.fileName) else { return nil }
        return String(path.dropLast(CollectorManifest.fileName.count + 1))
    }

    private func manifest(in folder: String) -> CollectorManifest? {
        if let known = manifestsByFolder[folder] { return known }
        let manifest = readManifest(folder)
        manifestsByFolder[folder] = manifest
        return manifest
    }
}
