import Foundation

/// Where the tests find the package, its fixtures, golden files and the built binary.
enum TestPaths {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = packageRoot.appendingPathComponent("Tests/TrailTests/Fixtures")
    static let golden = packageRoot.appendingPathComponent("Tests/TrailTests/Golden")

    /// True when golden files should be rewritten instead of compared: `MITRAIL_RECORD_GOLDEN=1 swift test`.
    static var recordingGolden: Bool { ProcessInfo.processInfo.environment["MITRAIL_RECORD_GOLDEN"] == "1" }

    /// The `mitrail` binary built next to the test bundle (or `$MITRAIL_BIN`).
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["MITRAIL_BIN"] { return URL(fileURLWithPath: path) }
        return executable("mitrail")
    }

    /// An executable of the package, built next to the test bundle.
    static func executable(_ name: String) -> URL {
        var directory = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL.appendingPathComponent(name)
    }

    /// A fresh, empty directory for one test, removed at process exit by the system's tmp cleaning.
    static func temporaryDirectory(_ name: String = #function) -> URL {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mitrail-tests-\(safe)-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
