// swift-tools-version:6.0
import PackageDescription

/// Settings every Swift target gets, applied in one place.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

var package = Package(
    name: "Countersign",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "countersign", targets: ["countersign"]),
        .library(name: "CountersignKit", targets: ["CountersignKit"]),
    ],
    targets: [
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CPostgres", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .target(
            name: "CountersignKit",
            dependencies: ["CLibXML2", "CSQLite", "COpenSSL", "CYAML", "CPostgres"]
        ),
        .target(name: "ArgumentParsing"),
        .executableTarget(name: "countersign", dependencies: ["CountersignKit", "ArgumentParsing"]),
        .executableTarget(name: "countersign-bench", dependencies: ["CountersignKit", "COpenSSL", "TestSupport"]),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        // The fuzz targets' properties: scripts/fuzz links them into libFuzzer, make test replays them.
        .target(name: "FuzzTargets", dependencies: ["CountersignKit"], path: "Fuzz/Targets"),
        .testTarget(name: "CountersignKitTests", dependencies: ["CountersignKit", "TestSupport", "FuzzTargets"]),
        .testTarget(name: "ArgumentParsingTests", dependencies: ["ArgumentParsing"]),
        .testTarget(name: "CountersignTests", dependencies: ["countersign", "CountersignKit", "TestSupport"]),
    ]
)

for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + swiftSettings
}
