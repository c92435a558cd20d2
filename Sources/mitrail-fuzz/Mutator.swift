import Foundation
import TrailIngest
import TrailModel
import ZIPFoundation

/// A seed input: a fixture file and the format it belongs to, when its folder names one.
struct Seed {
    var bytes: [UInt8]
    var formatIndex: Int?
    var name: String

    /// Every file under the folders given (recursively, golden files left out); a folder named after a
    /// format (`Fixtures/formats/ID/`) ties its files to that format.
    static func load(from folders: [String]) -> [Seed] {
        var seeds: [Seed] = []
        for folder in folders {
            guard let walker = FileManager.default.enumerator(atPath: folder) else { continue }
            for case let relative as String in walker {
                let path = folder + "/" + relative
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                      !relative.hasSuffix(".golden.jsonl"), let data = FileManager.default.contents(atPath: path) else { continue }
                let parent = URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent
                seeds.append(Seed(bytes: Array(data), formatIndex: FuzzTarget.formats.firstIndex { $0.id == parent }, name: path))
            }
        }
        seeds.sort { $0.name < $1.name }
        return seeds + archives(of: seeds)
    }

    /// Two zip bundles of the seeds (deflated, stored), so that archive reading has seeds too.
    static func archives(of seeds: [Seed]) -> [Seed] {
        [CompressionMethod.deflate, .none].enumerated().compactMap { index, method in
            guard let archive = try? Archive(data: Data(), accessMode: .create, pathEncoding: nil) else { return nil }
            for seed in seeds.prefix(6) {
                let data = Data(seed.bytes)
                try? archive.addEntry(with: "tvmps_a1/" + URL(fileURLWithPath: seed.name).lastPathComponent, type: .file,
                                      uncompressedSize: Int64(data.count), compressionMethod: method) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
            return archive.data.map { Seed(bytes: Array($0), formatIndex: nil, name: "generated-bundle-\(index).zip") }
        }
    }
}

/// Makes fuzz inputs from seeds with random mutations: bit flips, truncations, insertions, deletions,
/// duplications, splices and tokens that parsers care about. Input `n` of seed `s` depends only on
/// (`s`, `n`), so any input can be made again from the two numbers a run prints.
struct Mutator {
    static let tokens: [[UInt8]] = [
        "{", "}", "[", "]", "\"", "\\", "\\\"", "\\u0000", "\\ud800", "\n", "\r\n", "\r", ",", ":", "null", "true", "-0", "1e999",
        "18446744073709551616", "\"value\": [", "\"properties\": {", "\"records\": [", "<Error>", "</Error>", "<Code>", "</Code>",
        "<Message>", "&amp;", "&#xD;", "&lt;", "eyJ", "eyJhbGciOiJub25lIn0.eyJvaWQiOiJ4IiwiZXhwIjoxZTMwMH0.c2lnbmF0dXJl",
        "Bearer ", "Authorization: ", "Cookie: ", "sig=", "&sig=", "\\u0026sig=", "%3D", "AccountKey=", "\"access_token\": \"",
        "health=Status.", "TvmJoinPoolInProgress", "[ERROR]", "\u{FEFF}", "\u{FFFD}", "9999-12-31T23:59:59.999Z",
        "0000-01-01T00:00:00Z", "2026-03-04T10:00:00.1234567890+14:00", "2026-02-30 25:61:61,000", "1970-01-01T00:00:00-14",
        "\"\",\"\"", "TimeGenerated", "\"statusCode\": 403", "RequestId:", "Time:",
    ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xEF, 0xBB, 0xBF], [0x00], [0x1F, 0x8B]]

    let seeds: [Seed]
    let seed: UInt64

    /// The input for execution `number`: a selector byte (the format and how to read), then the content.
    func input(_ number: UInt64) -> [UInt8] {
        var random = SeededGenerator(seed: seed ^ (number &* 0xD1B5_4A32_D192_ED03))
        let base = seeds[Int(random.next() % UInt64(seeds.count))]
        var bytes = base.bytes
        let mutations = 1 + Int(random.next() % 6)
        for _ in 0..<mutations { mutate(&bytes, &random) }
        var selector = UInt8(truncatingIfNeeded: random.next())
        if let index = base.formatIndex, random.next() % 8 != 0 {
            selector = (selector & 0xC0) | UInt8(index)
        }
        return [selector] + bytes
    }

    func mutate(_ bytes: inout [UInt8], _ random: inout SeededGenerator) {
        func position(_ extra: Int = 0) -> Int { Int(random.next() % UInt64(bytes.count + extra)) }
        func span() -> Range<Int> {
            let start = position()
            let length = min(bytes.count - start, 1 + Int(random.next() % 64))
            return start..<(start + length)
        }
        switch random.next() % 11 {
        case 0 where !bytes.isEmpty:
            bytes[position()] ^= 1 << (random.next() % 8)
        case 1 where !bytes.isEmpty:
            bytes[position()] = UInt8(truncatingIfNeeded: random.next())
        case 2:
            bytes.insert(contentsOf: (0..<(1 + random.next() % 16)).map { _ in UInt8(truncatingIfNeeded: random.next()) }, at: position(1))
        case 3 where !bytes.isEmpty:
            bytes.removeSubrange(span())
        case 4 where !bytes.isEmpty:
            bytes.insert(contentsOf: Array(bytes[span()]), at: position(1))
        case 5 where !bytes.isEmpty:
            bytes.removeSubrange(position()...)
        case 6:
            let other = seeds[Int(random.next() % UInt64(seeds.count))].bytes
            let tail = other.isEmpty ? [] : Array(other[Int(random.next() % UInt64(other.count))...])
            bytes = Array(bytes.prefix(position(1))) + tail
        case 7, 8:
            bytes.insert(contentsOf: Self.tokens[Int(random.next() % UInt64(Self.tokens.count))], at: position(1))
        case 9:
            let byte = bytes.isEmpty ? UInt8(ascii: "[") : bytes[position()]
            bytes.insert(contentsOf: repeatElement(byte, count: 1 + Int(random.next() % 5_000)), at: position(1))
        default:
            // Digits are where times, sizes and status codes hide: make one huge or zero.
            if let index = bytes.indices.shuffled(using: &random).prefix(64).first(where: { (48...57).contains(bytes[$0]) }) {
                bytes[index] = random.next() % 2 == 0 ? UInt8(ascii: "9") : UInt8(ascii: "0")
            }
        }
    }
}
