import TrailIngest
import TrailStore

/// The capture written straight into an evidence store, through the normal ingest path (a source in the
/// `mitrail-token-requests` format named after the recorder, its records committed at every flush).
final class StoreCapture: CaptureDestination {
    private let ingest: LiveSourceIngest
    let sourcePath: String

    init(store: EvidenceStore, sourcePath: String, toolVersion: String) throws {
        self.sourcePath = sourcePath
        ingest = try LiveSourceIngest(store: store, path: sourcePath, formatID: "mitrail-token-requests", toolVersion: toolVersion)
    }

    func write(_ line: [UInt8]) throws { try ingest.append(line) }

    func flush() throws { try ingest.flush() }

    func close() throws { try ingest.finish() }
}
