import Foundation
import TrailIngest
import TrailModel
import TrailStore
import XCTest
import ZIPFoundation

/// Ingest of a `mitrail collect` bundle: each file takes the end time of the command that wrote it as its
/// observed-at time (origin `collector`) and keeps that command; the manifest itself is not evidence.
final class CollectorManifestIngestTests: XCTestCase {
    static let assignments = """
        [{"principalId": "00000000-0000-0000-0000-0000000000a1", "roleDefinitionName": "Reader",
          "scope": "/subscriptions/00000000-0000-0000-0000-0000000000f1"}]

        """
    static let command = ["az", "role", "assignment", "list", "--all", "--include-inherited", "-o", "json", "--only-show-errors"]
    static let failedCommand = ["az", "ad", "group", "member", "list", "--group", "00000000-0000-0000-0000-0000000000c8", "-o", "json"]

    var workspace: URL!

    override func setUp() { workspace = TestPaths.temporaryDirectory() }
    override func tearDown() { try? FileManager.default.removeItem(at: workspace) }

    func manifest(finishedAt: String = "2026-03-04T11:00:02.345Z") -> CollectorManifest {
        CollectorManifest(
            toolVersion: "test", startedAt: "2026-03-04T11:00:00.000Z", finishedAt: "2026-03-04T11:00:09.000Z",
            azureCLI: ["azure-cli": .string("2.67.0")], subscriptionId: "00000000-0000-0000-0000-0000000000f1", tenantId: nil,
            request: .init(account: "batchfixture", resourceGroup: "rg-fixture", subscription: nil, pools: [], jobs: [], since: "7d", workspace: nil),
            commands: [
                .init(file: "rbac/role-assignments.json", purpose: "assignments", argv: Self.command, startedAt: "2026-03-04T11:00:01.000Z",
                      finishedAt: finishedAt, exitStatus: 0, timedOut: false),
                // A failed command names no file; should one be named anyway, it is not taken.
                .init(file: "groups/members.json", purpose: "members", argv: Self.failedCommand, startedAt: "2026-03-04T11:00:03.000Z",
                      finishedAt: "2026-03-04T11:00:04.000Z", exitStatus: 1, timedOut: false, error: "ERROR: Insufficient privileges"),
            ],
            notCollected: [])
    }

    func ingest(_ paths: [String], observedAt: Timestamp? = nil) throws -> (EvidenceStore, [FileOutcome]) {
        let store = try EvidenceStore(path: workspace.appendingPathComponent("store-\(UUID().uuidString.prefix(6)).db").path, mode: .readWrite)
        let pipeline = try IngestPipeline(store: store, options: IngestOptions(observedAt: observedAt, toolVersion: "test"), observer: nil)
        return (store, pipeline.ingest(paths: paths))
    }

    func makeZip(_ entries: [(String, Data)]) throws -> URL {
        let url = workspace.appendingPathComponent("bundle.zip")
        let archive = try Archive(url: url, accessMode: .create)
        for (path, data) in entries {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return url
    }

    func testZipBundleEntriesTakeTheCommandsEndTimeAndCommand() throws {
        let zip = try makeZip([("manifest.json", try manifest().encoded()), ("rbac/role-assignments.json", Data(Self.assignments.utf8)),
                               ("rbac/extra.json", Data((Self.assignments + " ").utf8))])
        let (store, outcomes) = try ingest([zip.path])
        let skipped = outcomes.filter { if case .skipped = $0.status { return true } else { return false } }
        XCTAssertEqual(skipped.map(\.path), [zip.path + "!manifest.json"])
        let sources = try store.sources()
        let listed = try XCTUnwrap(sources.first { $0.path.hasSuffix("!rbac/role-assignments.json") })
        XCTAssertEqual(listed.observedAt, "2026-03-04T11:00:02.345Z")
        XCTAssertEqual(listed.observedAtOrigin, "collector")
        XCTAssertEqual(listed.command, Self.command)
        let archive = try XCTUnwrap(sources.first { $0.path == zip.path })
        XCTAssertEqual(archive.observedAt, "2026-03-04T11:00:09.000Z", "the bundle was observed when the collection finished")
        XCTAssertEqual(archive.observedAtOrigin, "collector")
        XCTAssertNil(archive.command)
        let unlisted = try XCTUnwrap(sources.first { $0.path.hasSuffix("!rbac/extra.json") })
        XCTAssertEqual(unlisted.observedAtOrigin, "mtime", "a file the manifest does not list keeps the entry's time")
        XCTAssertNil(unlisted.command)
        var recordTimes: [String] = []
        try store.runReadOnly(sql: "SELECT r.time FROM records r JOIN sources s ON s.id = r.source_id WHERE s.path LIKE '%!rbac/role-assignments.json'",
                              columns: { _ in }, row: { recordTimes.append($0[0].displayText) })
        XCTAssertEqual(recordTimes, ["2026-03-04T11:00:02.345Z"], "the snapshot's records are dated by the collector")
    }

    func testObservedAtOptionStillWinsButTheCommandIsKept() throws {
        let zip = try makeZip([("manifest.json", try manifest().encoded()), ("rbac/role-assignments.json", Data(Self.assignments.utf8))])
        let (store, _) = try ingest([zip.path], observedAt: TimestampParser.parse("2026-03-05T00:00:00Z"))
        let listed = try XCTUnwrap(try store.sources().first { $0.path.hasSuffix("!rbac/role-assignments.json") })
        XCTAssertEqual(listed.observedAtOrigin, "option")
        XCTAssertEqual(listed.command, Self.command)
    }

    func testUnpackedBundleReadsTheManifestBesideTheFiles() throws {
        let folder = workspace.appendingPathComponent("unpacked")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("rbac"), withIntermediateDirectories: true)
        try manifest().encoded().write(to: folder.appendingPathComponent("manifest.json"))
        try Data(Self.assignments.utf8).write(to: folder.appendingPathComponent("rbac/role-assignments.json"))
        let (store, outcomes) = try ingest([folder.path])
        let manifestOutcome = try XCTUnwrap(outcomes.first { $0.path == folder.path + "/manifest.json" })
        if case .skipped = manifestOutcome.status {} else { XCTFail("the manifest is not evidence: \(manifestOutcome.status)") }
        let listed = try XCTUnwrap(try store.sources().first { $0.path.hasSuffix("/rbac/role-assignments.json") })
        XCTAssertEqual(listed.observedAtOrigin, "collector")
        XCTAssertEqual(listed.observedAt, "2026-03-04T11:00:02.345Z")
        XCTAssertEqual(listed.command, Self.command)
        // The same file given on its own, from inside the bundle's folder, finds the manifest above it.
        let (alone, _) = try ingest([folder.appendingPathComponent("rbac/role-assignments.json").path])
        XCTAssertEqual(try alone.sources().first?.observedAtOrigin, "collector")
    }

    func testAnotherToolsManifestIsNotMistakenForOne() throws {
        let zip = try makeZip([("manifest.json", Data(#"{"name": "upload batch logs", "files": ["rbac/role-assignments.json"]}"#.utf8)),
                               ("rbac/role-assignments.json", Data(Self.assignments.utf8))])
        let (store, outcomes) = try ingest([zip.path])
        let manifestOutcome = try XCTUnwrap(outcomes.first { $0.path.hasSuffix("!manifest.json") })
        if case .unrecognised = manifestOutcome.status {} else { XCTFail("\(manifestOutcome.status)") }
        XCTAssertEqual(try store.sources().first { $0.path.hasSuffix("!rbac/role-assignments.json") }?.observedAtOrigin, "mtime")
    }

    func testManifestRoundTripsAndRefusesOtherGenerators() throws {
        let original = manifest()
        XCTAssertEqual(CollectorManifest.decode(try original.encoded()), original)
        var other = original
        other.generator = "someone else"
        XCTAssertNil(CollectorManifest.decode(try other.encoded()))
        XCTAssertEqual(original.provenance(ofFile: "rbac/role-assignments.json")?.command, Self.command)
        XCTAssertNil(original.provenance(ofFile: "groups/members.json"), "a failed command's file is not taken")
    }
}
