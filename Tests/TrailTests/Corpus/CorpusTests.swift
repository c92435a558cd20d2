import Foundation
import XCTest

/// Ingests every file of the shared corpus of real payloads through the built binary.
/// Runs when MITRAIL_CORPUS names the corpus folder (`.ci/run` sets it to ../shared/corpus).
final class CorpusTests: XCTestCase {
    var corpus: URL!

    override func setUpWithError() throws {
        guard let path = ProcessInfo.processInfo.environment["MITRAIL_CORPUS"], !path.isEmpty else {
            throw XCTSkip("MITRAIL_CORPUS is not set; .ci/run sets it to ../shared/corpus")
        }
        corpus = URL(fileURLWithPath: path)
    }

    func corpusFiles() -> [String] {
        let walker = FileManager.default.enumerator(atPath: corpus.path)
        var files: [String] = []
        while let relative = walker?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: corpus.appendingPathComponent(relative).path, isDirectory: &isDirectory)
            if !isDirectory.boolValue && relative != "MANIFEST.md" { files.append(relative) }
        }
        return files.sorted()
    }

    func testEveryCorpusFileIsListedOnce() {
        let listed = CorpusExpectation.all.map(\.path)
        let duplicates = Dictionary(grouping: listed, by: { $0 }).filter { $0.value.count > 1 }.keys
        XCTAssertTrue(duplicates.isEmpty, "listed more than once: \(duplicates.sorted())")
        let files = corpusFiles()
        for file in files where !listed.contains(file) {
            XCTFail("corpus file \(file) has no expectation: add it to a CorpusExpectations file, as a format or skipped with its reason")
        }
        for path in listed where !files.contains(path) {
            XCTFail("expectation for \(path), which is not in the corpus")
        }
    }

    func testEveryCorpusFileIngestsAsExpected() throws {
        let workspace = TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: workspace) }
        for (index, expectation) in CorpusExpectation.all.enumerated() {
            let file = corpus.appendingPathComponent(expectation.path)
            guard FileManager.default.fileExists(atPath: file.path) else { continue }
            let db = workspace.appendingPathComponent("corpus-\(index).db")
            let run = try Mitrail.run(["ingest", file.path], db: db)
            XCTAssertLessThan(run.status, 3, "\(expectation.path): mitrail crashed or was killed:\n\(run.stderr)")
            switch expectation.outcome {
            case .format(let id):
                let query = try Mitrail.run(["sql", "--format", "csv", "SELECT format, records_stored FROM sources WHERE parent_id IS NULL"], db: db)
                let row = query.stdout.split(separator: "\r\n").dropFirst().first.map { $0.split(separator: ",") } ?? []
                XCTAssertEqual(row.first.map(String.init), id, "\(expectation.path) was not claimed by \(id):\n\(run.stdout)\(run.stderr)")
                XCTAssertGreaterThan(row.count > 1 ? Int(row[1]) ?? 0 : 0, 0, "\(expectation.path) yielded no record:\n\(run.stdout)\(run.stderr)")
            case .skipped(let reason):
                XCTAssertFalse(reason.isEmpty, "\(expectation.path) is skipped without a reason")
            }
        }
    }
}
