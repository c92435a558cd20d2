import Foundation
import TrailIngest
import ZIPFoundation

/// Writes the bundle: a zip archive (owner-only) with `manifest.json` first and then every redacted file,
/// built beside its final path and renamed into place, so that a bundle is either whole or absent.
enum BundleWriter {
    static func write(manifest: CollectorManifest, files: [(path: String, url: URL)], to path: String) throws {
        let final = URL(fileURLWithPath: path)
        let partial = final.deletingLastPathComponent()
            .appendingPathComponent(".\(final.lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: partial)
        do {
            let archive = try Archive(url: partial, accessMode: .create)
            let manifestData = try manifest.encoded()
            try archive.addEntry(with: CollectorManifest.fileName, type: .file, uncompressedSize: Int64(manifestData.count),
                                 permissions: 0o600, compressionMethod: .deflate) { position, size in
                manifestData.subdata(in: Int(position)..<Int(position) + size)
            }
            for file in files {
                try archive.addEntry(with: file.path, fileURL: file.url, compressionMethod: .deflate)
            }
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: partial.path)
            guard rename(partial.path, final.path) == 0 else {
                throw CollectError.cannotWriteBundle(path: path, reason: String(cString: strerror(errno)))
            }
        } catch let error as CollectError {
            try? FileManager.default.removeItem(at: partial)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw CollectError.cannotWriteBundle(path: path, reason: "\(error)")
        }
    }
}
