import Foundation
import TrailIngest
import TrailModel
import XCTest

/// Every registered format has a fixture folder, every fixture folder a format, and every fixture
/// is recognised by content and parses to exactly its golden records.
final class FormatFixtureTests: XCTestCase {
    let formatsFolder = TestPaths.fixtures.appendingPathComponent("formats")

    func folders() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: formatsFolder.path).filter { !$0.hasPrefix(".") }.sorted()
    }

    func testEveryRegisteredFormatHasFixtures() throws {
        let present = Set(try folders())
        for format in FormatRegistry.all {
            XCTAssertTrue(present.contains(format.id), "format \(format.id) has no fixture folder Fixtures/formats/\(format.id)")
            let inputs = FixtureRendering.inputs(in: formatsFolder.appendingPathComponent(format.id))
            XCTAssertFalse(inputs.isEmpty, "format \(format.id) has no fixture files")
        }
    }

    func testEveryFixtureFolderHasAFormat() throws {
        for folder in try folders() {
            XCTAssertNotNil(FormatRegistry.format(id: folder), "fixture folder \(folder) names no registered format")
        }
    }

    /// `Sources/TrailIngest/Formats` holds formats, one a file; the readers they share are in `Support`.
    func testTheFormatsFolderHoldsOnlyFormats() throws {
        let folder = TestPaths.packageRoot.appendingPathComponent("Sources/TrailIngest/Formats")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        XCTAssertGreaterThanOrEqual(files.count, FormatRegistry.all.count)
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            let name = String(file.dropLast(".swift".count))
            XCTAssertTrue(file.hasSuffix("Format.swift") && text.contains("public struct \(name): EvidenceFormat"),
                          "Formats/\(file) is not a format: helpers go to Sources/TrailIngest/Support")
        }
    }

    func testFormatIDsAreUnique() {
        XCTAssertEqual(Set(FormatRegistry.ids).count, FormatRegistry.ids.count)
    }

    func testFixturesAreRecognisedByContent() throws {
        for folder in try folders() {
            for input in FixtureRendering.inputs(in: formatsFolder.appendingPathComponent(folder)) {
                let bytes = try FixtureRendering.decodedBytes(input)
                let sample = SniffSample(bytes: Array(bytes.prefix(SniffSample.size)), isComplete: bytes.count <= SniffSample.size)
                XCTAssertEqual(FormatRegistry.detect(sample)?.id, folder, "\(folder)/\(input.lastPathComponent) is detected as the wrong format")
            }
        }
    }

    /// Detection is as good as the parser: every JSON value of a fixture that its format reads on its own (records,
    /// no rejects) is detected as that format when it is the whole content, as a user saving one body would have it.
    func testEveryValueTheParserReadsAloneIsDetectedAsItsFormat() throws {
        var checked = 0
        for folder in try folders() {
            guard let format = FormatRegistry.format(id: folder) else { continue }
            // A format that reads any text one record a line (a log) recognises its files by their vocabulary, not each line.
            let readsAnyText = !(try FixtureRendering.parse(Array("just some words\nand some more\n".utf8), format: format, path: "prose").records.isEmpty)
            if readsAnyText { continue }
            for input in FixtureRendering.inputs(in: formatsFolder.appendingPathComponent(folder)) {
                let bytes = try FixtureRendering.decodedBytes(input)
                // JSON documents only: a text format's fixture that starts with `[` ([Informational] ...) is lines.
                guard SniffSample(bytes: Array(bytes.prefix(SniffSample.size)), isComplete: true).firstJSONValue(unwrapping: []) != nil else { continue }
                var elements: [JSONElement] = []
                try ParseInput(bytes: bytes).forEachJSONValue { result in
                    if case .value(let element) = result { elements.append(element) }
                }
                for element in elements {
                    let alone = try FixtureRendering.parse(element.bytes, format: format, path: "alone")
                    guard !alone.records.isEmpty, alone.rejects.isEmpty else { continue }
                    checked += 1
                    let sample = SniffSample(bytes: Array(element.bytes.prefix(SniffSample.size)), isComplete: element.bytes.count <= SniffSample.size)
                    XCTAssertEqual(FormatRegistry.detect(sample)?.id, folder,
                                   "\(folder)/\(input.lastPathComponent) line \(element.line): \(folder) reads this value alone, but detection says otherwise")
                }
            }
        }
        XCTAssertGreaterThan(checked, 50, "too few values checked: the fixtures should hold many")
    }

    func testFixturesMatchTheirGoldenRecords() throws {
        for folder in try folders() {
            guard let format = FormatRegistry.format(id: folder) else { continue }
            for input in FixtureRendering.inputs(in: formatsFolder.appendingPathComponent(folder)) {
                let sink = try FixtureRendering.parse(try FixtureRendering.decodedBytes(input), format: format,
                                                      path: "fixtures/\(folder)/\(input.lastPathComponent)")
                XCTAssertFalse(sink.records.isEmpty && sink.rejects.isEmpty, "\(input.lastPathComponent) produced nothing")
                let rendered = FixtureRendering.render(sink)
                let goldenURL = input.appendingPathExtension("golden.jsonl")
                if TestPaths.recordingGolden {
                    try rendered.write(to: goldenURL, atomically: true, encoding: .utf8)
                    continue
                }
                let golden = try? String(contentsOf: goldenURL, encoding: .utf8)
                XCTAssertNotNil(golden, "no golden file for \(folder)/\(input.lastPathComponent); record it with MITRAIL_RECORD_GOLDEN=1 swift test")
                if let golden { XCTAssertEqual(rendered, golden, "\(folder)/\(input.lastPathComponent) no longer parses to its golden records") }
            }
        }
    }

    /// Cutting a fixture anywhere never crashes or throws: it only yields fewer records and some rejects.
    func testTruncatedFixturesNeverFail() throws {
        var generator = SeededGenerator(seed: 42)
        for folder in try folders() {
            guard let format = FormatRegistry.format(id: folder) else { continue }
            for input in FixtureRendering.inputs(in: formatsFolder.appendingPathComponent(folder)) {
                let bytes = try FixtureRendering.decodedBytes(input)
                guard bytes.count > 1 else { continue }
                for _ in 0..<12 {
                    let cut = Int.random(in: 1..<bytes.count, using: &generator)
                    let sink = try FixtureRendering.parse(Array(bytes[0..<cut]), format: format, path: "cut")
                    for reject in sink.rejects {
                        XCTAssertFalse(reject.reason.isEmpty, "\(folder)/\(input.lastPathComponent) cut at \(cut): a reject without a reason")
                        XCTAssertNotNil(reject.position.line, "\(folder)/\(input.lastPathComponent) cut at \(cut): a reject without a line")
                    }
                }
            }
        }
    }
}
