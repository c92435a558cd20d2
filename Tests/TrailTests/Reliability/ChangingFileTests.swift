import Crypto
import Foundation
import GRDB
import TrailIngest
import TrailModel
import TrailStore
import XCTest

/// A file that changes while it is read: the source keeps the SHA-256 and size of the bytes parsed
/// (not of what was hashed before), and the ingest says the file changed.
final class ChangingFileTests: XCTestCase {
    var workspace: URL!

    override func setUpWithError() throws {
        workspace = TestPaths.temporaryDirectory(name)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: workspace)
    }

    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// Rewrites the file after it was hashed, just before it is parsed.
    final class Rewriter: IngestObserver {
        let url: URL
        let replacement: Data
        init(url: URL, replacement: Data) {
            self.url = url
            self.replacement = replacement
        }
        func ingestWillStart(path: String, size: Int64) { try? replacement.write(to: url) }
        func ingestProgress(path: String, bytesRead: Int64, size: Int64) {}
        func ingestDidFinish(_ outcome: FileOutcome) {}
    }

    func testAFileRewrittenBetweenHashingAndParsingKeepsTheHashOfWhatWasParsed() throws {
        let log = workspace.appendingPathComponent("agent-debug.log")
        try GeneratedEvidence.agentLog(at: log, lines: 10)
        try GeneratedEvidence.agentLog(at: workspace.appendingPathComponent("longer.log"), lines: 25, tag: "rewritten")
        let replacement = try Data(contentsOf: workspace.appendingPathComponent("longer.log"))
        let store = try EvidenceStore(path: workspace.appendingPathComponent("store.db").path, mode: .readWrite)
        let observer = Rewriter(url: log, replacement: replacement)
        let outcomes = try IngestPipeline(store: store, options: IngestOptions(toolVersion: "test"), observer: observer).ingest(paths: [log.path])
        XCTAssertEqual(outcomes.count, 1)
        XCTAssertTrue(outcomes[0].warning?.contains("the file changed while it was read") ?? false, "\(outcomes[0])")
        let source = try XCTUnwrap(try store.sources().first)
        XCTAssertEqual(source.sha256, Self.sha256(replacement), "the SHA-256 kept is of the bytes parsed")
        XCTAssertEqual(source.size, Int64(replacement.count))
        XCTAssertEqual(source.counts.stored, 25)
    }

    /// Through the binary, with lines appended while the ingest runs: whatever moment the ingest read up
    /// to, the SHA-256 and size it kept describe exactly that prefix of the file, and its records are its lines.
    func testAFileGrowingDuringIngestIsDescribedByWhatWasRead() throws {
        let log = workspace.appendingPathComponent("tvmps_grow/agent-debug.log")
        try FileManager.default.createDirectory(at: log.deletingLastPathComponent(), withIntermediateDirectories: true)
        try GeneratedEvidence.agentLog(at: log, lines: 20_000)
        let originalSize = try Data(contentsOf: log).count
        let db = workspace.appendingPathComponent("store.db")
        let process = Process()
        process.executableURL = TestPaths.binary
        process.arguments = ["ingest", log.path, "--db", db.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let appender = try FileHandle(forWritingTo: log)
        appender.seekToEndOfFile()
        var appended = 0
        while process.isRunning && appended < 50_000 {
            for _ in 0..<10 {
                appender.write(Data("2026-03-04T11:00:00.000Z [INFO] agent grow: appended line \(appended), pool not fully joined yet\n".utf8))
                appended += 1
            }
            usleep(2_000)
        }
        try appender.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, text)

        let row = try XCTUnwrap(try DatabaseQueue(path: db.path).read { db in
            try Row.fetchOne(db, sql: "SELECT sha256, size, records_read FROM sources")
        })
        let size: Int = row["size"]
        let prefix = try Data(contentsOf: log).prefix(size)
        XCTAssertGreaterThanOrEqual(size, originalSize)
        XCTAssertEqual(row["sha256"] as String, Self.sha256(prefix), "the SHA-256 kept is that of the first \(size) bytes")
        let lines = prefix.split(separator: 0x0A, omittingEmptySubsequences: true).count
        XCTAssertEqual(row["records_read"] as Int, lines, "one record per line read")
        if size > originalSize && !text.contains("changed while it was read") {
            // The lines came before the first hash; nothing changed between hashing and parsing.
            print("growing file: \(size - originalSize) bytes appended before the ingest hashed it")
        }
        print("growing file: \(appended) lines appended during the ingest; \(size - originalSize) bytes of them read")
    }
}
