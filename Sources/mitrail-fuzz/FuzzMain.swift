import Foundation
import TrailIngest

/// libFuzzer's entry point, used when built with `-sanitize=fuzzer` (see `scripts/fuzz`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}

#if !MITRAIL_LIBFUZZER
/// `mitrail-fuzz`: a seeded random-mutation fuzzer over mitrail's parsers, for toolchains without libFuzzer
/// and for the short run in `swift test`.
///
///     mitrail-fuzz [--seed N] [--runs N] [--seconds N] [--crash-file PATH] FOLDER...
///     mitrail-fuzz --replay FILE...                  run saved inputs (a crash file, a libFuzzer artifact)
///     mitrail-fuzz --write-seeds DIR FOLDER...       the folders' files with their selector byte, for libFuzzer
@main
enum FuzzMain {
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        func option(_ name: String) -> String? {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
            defer { arguments.removeSubrange(index...(index + 1)) }
            return arguments[index + 1]
        }
        if let target = option("--write-seeds") {
            writeSeeds(Seed.load(from: arguments), to: target)
            return
        }
        if arguments.first == "--replay" {
            for path in arguments.dropFirst() {
                let bytes = Array(FileManager.default.contents(atPath: path) ?? Data())
                bytes.withUnsafeBufferPointer(FuzzTarget.run)
                print("replayed \(path): no crash")
            }
            return
        }
        let seed = option("--seed").flatMap(UInt64.init) ?? UInt64(Date().timeIntervalSince1970)
        let runs = option("--runs").flatMap(UInt64.init) ?? .max
        let seconds = option("--seconds").flatMap(Double.init) ?? .infinity
        let crashFile = option("--crash-file") ?? "mitrail-fuzz-crash.bin"
        let seeds = Seed.load(from: arguments)
        guard !seeds.isEmpty else {
            FileHandle.standardError.write(Data("mitrail-fuzz: no seed files under \(arguments)\n".utf8))
            exit(2)
        }
        CrashReport.install(crashFile: crashFile)
        defer { alarm(0) }
        let mutator = Mutator(seeds: seeds, seed: seed)
        let start = Date()
        var executions: UInt64 = 0
        // Every seed as it is first, then mutations.
        for seedInput in seeds {
            run([UInt8(seedInput.formatIndex ?? 0)] + seedInput.bytes, number: .max)
        }
        while executions < runs && Date().timeIntervalSince(start) < seconds {
            run(mutator.input(executions), number: executions)
            executions += 1
            if executions % 100_000 == 0 {
                print("mitrail-fuzz: \(executions) executions, \(Int(Date().timeIntervalSince(start))) s")
            }
        }
        print("mitrail-fuzz: seed \(seed), \(seeds.count) seed files, \(executions) executions, 0 crashes, \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
    }

    static func run(_ input: [UInt8], number: UInt64) {
        CrashReport.current(input, number: number)
        input.withUnsafeBufferPointer(FuzzTarget.run)
    }

    static func writeSeeds(_ seeds: [Seed], to folder: String) {
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (index, seed) in seeds.enumerated() {
            let selector = UInt8(seed.formatIndex ?? 0)
            _ = FileManager.default.createFile(atPath: folder + "/seed-\(index)", contents: Data([selector] + seed.bytes))
        }
        print("wrote \(seeds.count) seeds to \(folder)")
    }
}
#endif
