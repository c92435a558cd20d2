// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "mitrail",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "mitrail", targets: ["mitrail"]),
        .library(name: "TrailModel", targets: ["TrailModel"]),
        .library(name: "TrailStore", targets: ["TrailStore"]),
        .library(name: "TrailIngest", targets: ["TrailIngest"]),
        .library(name: "TrailExplain", targets: ["TrailExplain"]),
        .library(name: "TrailReport", targets: ["TrailReport"]),
        .library(name: "TrailTeamStore", targets: ["TrailTeamStore"]),
        .library(name: "TrailCollect", targets: ["TrailCollect"]),
        .library(name: "TrailRecorder", targets: ["TrailRecorder"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
    ],
    targets: [
        .executableTarget(
            name: "mitrail",
            dependencies: [
                "TrailModel", "TrailStore", "TrailIngest", "TrailExplain", "TrailReport", "TrailCollect", "TrailRecorder", "TrailTeamStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            plugins: ["EmbedFiles"]
        ),
        // Fuzzes every parser: a seeded mutation fuzzer, or libFuzzer's target when built by scripts/fuzz.
        .executableTarget(name: "mitrail-fuzz", dependencies: [
            "TrailIngest", "TrailModel", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .target(name: "TrailModel"),
        .target(
            name: "TrailStore",
            dependencies: [
                "TrailModel", "CSQLiteSetup",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            plugins: ["EmbedFiles"]
        ),
        .target(
            name: "TrailIngest",
            dependencies: [
                "TrailModel", "TrailStore", "CZlibShim",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .target(name: "TrailExplain", dependencies: ["TrailModel", "TrailStore"]),
        .target(name: "TrailReport", dependencies: ["TrailModel", "TrailStore", "TrailIngest", "TrailExplain"]),
        // The team store: incidents pushed to PostgreSQL (one schema each) and read back with the same named queries.
        .target(
            name: "TrailTeamStore",
            dependencies: [
                "TrailModel", "TrailStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // `mitrail collect`: runs the user's own Azure CLI and writes a redacted bundle with a manifest.
        .target(name: "TrailCollect", dependencies: [
            "TrailModel", "TrailStore", "TrailIngest",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        // The recording proxy in front of IMDS (`mitrail record`): SwiftNIO's HTTP/1 server and client.
        .target(name: "TrailRecorder", dependencies: [
            "TrailModel", "TrailStore", "TrailIngest",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
        .target(name: "CSQLiteSetup", linkerSettings: [.linkedLibrary("sqlite3")]),
        .systemLibrary(name: "CZlibShim", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .executableTarget(name: "mitrail-bench", dependencies: ["TrailModel", "TrailStore", "TrailExplain"]),
        .executableTarget(name: "EmbedFilesTool"),
        .plugin(name: "EmbedFiles", capability: .buildTool(), dependencies: ["EmbedFilesTool"]),
        .testTarget(
            name: "TrailTests",
            dependencies: [
                "mitrail", "mitrail-bench", "mitrail-fuzz", "TrailModel", "TrailStore", "TrailIngest", "TrailExplain", "TrailReport", "TrailCollect", "TrailRecorder",
                "TrailTeamStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["Fixtures", "Golden"]
        ),
    ]
)
