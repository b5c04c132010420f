// swift-tools-version:6.1
import PackageDescription

// One module per part of the appliance. The pure parts (core, engine, card parsing, rendering)
// do no I/O; the parts that touch the world (store, readers, scanners, display, sync) wrap
// one library each. See docs/dependencies.md for why each dependency was chosen.
let package = Package(
    name: "kiosk",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "kiosk", targets: ["kiosk"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
    ],
    targets: [
        // Domain types shared by every part: money, identifiers, accounts, the clock.
        .target(name: "KioskCore"),
        // Logging in a format journald reads well.
        .target(
            name: "KioskLogging",
            dependencies: [.product(name: "Logging", package: "swift-log")]
        ),
        // The durable local store: SQLite through GRDB, append-only ledger, outbox, audit.
        .target(
            name: "KioskStore",
            dependencies: [
                "KioskCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The configuration file: TOML, validated, with secrets from files or the environment.
        .target(
            name: "KioskConfig",
            dependencies: [
                "KioskCore",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        // The `kiosk` command.
        // pcsc-lite's real headers, through pkg-config, with a shim for the macros Swift cannot import.
        .systemLibrary(
            name: "CPCSC",
            pkgConfig: "libpcsclite",
            providers: [.apt(["libpcsclite-dev"])]
        ),
        // A thin Swift wrapper of PC/SC: context, readers, status changes, cards, typed errors.
        .target(name: "KioskPCSC", dependencies: ["CPCSC"]),
        // Cards without I/O: ATRs, APDUs, NDEF, NTAG planning, member tokens, NTAG 424 DNA SDM.
        .target(
            name: "KioskCards",
            dependencies: [
                "KioskCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // The reader service: watches readers, one tap per presentation, identifies members.
        .target(
            name: "KioskReaders",
            dependencies: [
                "KioskCore", "KioskPCSC", "KioskCards",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Virtual cards played into vsmartcard's vpcd reader (tests, `kiosk sim card`).
        .target(
            name: "KioskVirtualCard",
            dependencies: [
                "KioskCards",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "kiosk",
            dependencies: [
                "KioskCore", "KioskStore", "KioskConfig", "KioskLogging", "KioskEngine", "KioskLoyalty",
                "KioskReceipts", "KioskPCSC", "KioskCards", "KioskReaders", "KioskVirtualCard", "KioskImport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // A child process for the crash test: writes a deterministic stream of business
        // operations so that the test can SIGKILL it at random points.
        .executableTarget(
            name: "kiosk-crashwriter",
            dependencies: ["KioskCore", "KioskStore", "StoreCrashStream"]
        ),
        // The deterministic operation stream that the crash writer commits and the crash test
        // verifies.
        .target(name: "StoreCrashStream", dependencies: ["KioskCore", "KioskStore"]),
        .executableTarget(
            name: "store-bench",
            dependencies: [
                "KioskCore", "KioskStore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Benchmarks/StoreBenchmark"
        ),
        // Time our code adds between card-present and identified, per card type (not a test).
        .executableTarget(
            name: "reader-bench",
            dependencies: ["KioskCards", "KioskCore", "KioskPCSC", "KioskReaders", "KioskVirtualCard", "VirtualCardRig"],
            path: "Benchmarks/ReaderBenchmark"
        ),

        // The loyalty engine: pure decisions (no I/O, no clock, no randomness of its own).
        .target(name: "KioskEngine", dependencies: ["KioskCore"]),
        // The glue between the engine and the store: reads a member's state, asks the engine,
        // commits the result as one business operation.
        .target(
            name: "KioskLoyalty",
            dependencies: [
                "KioskCore", "KioskEngine", "KioskStore", "KioskReceipts",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Till receipts without I/O: the signed QR payload (KR1), its parsing and the claim rules.
        .target(
            name: "KioskReceipts",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "KioskReceiptsTests",
            dependencies: ["KioskReceipts", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .executableTarget(
            name: "engine-bench",
            dependencies: ["KioskCore", "KioskEngine", "KioskLoyalty", "KioskStore"],
            path: "Benchmarks/EngineBenchmark"
        ),

        // Helpers shared by the test targets: finding built executables, temporary directories.
        .target(name: "KioskTestSupport", path: "Tests/KioskTestSupport"),
        .testTarget(name: "KioskCoreTests", dependencies: ["KioskCore"]),
        .testTarget(name: "KioskCardsTests", dependencies: ["KioskCards", "KioskCore"]),
        // The test rig: a private pcscd with a vpcd reader, and the virtual cards in it.
        .target(
            name: "VirtualCardRig",
            dependencies: ["KioskVirtualCard", "KioskCards", "KioskPCSC"],
            path: "Tests/VirtualCardRig"
        ),
        .testTarget(
            name: "KioskReadersTests",
            dependencies: [
                "KioskReaders", "KioskPCSC", "KioskCards", "KioskCore", "KioskStore",
                "KioskVirtualCard", "VirtualCardRig", "KioskTestSupport",
                // Built for the test of `kiosk diag card` against the virtual reader.
                "kiosk",
            ]
        ),
        .testTarget(
            name: "KioskStoreTests",
            dependencies: [
                "KioskCore", "KioskStore", "kiosk-crashwriter", "StoreCrashStream", "KioskTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "KioskEngineTests",
            dependencies: ["KioskEngine", "KioskCore", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "KioskLoyaltyTests",
            dependencies: ["KioskLoyalty", "KioskEngine", "KioskStore", "KioskCore", "KioskReceipts",
                           .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        // Member import: CSV parsing and row-by-row validation (pure), and committing a valid
        // file to the store one business operation per row.
        .target(
            name: "KioskImport",
            dependencies: [
                "KioskCore", "KioskStore",
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "KioskImportTests",
            dependencies: ["KioskImport", "KioskStore", "KioskCore", "KioskTestSupport",
                           .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "KioskConfigTests", dependencies: ["KioskConfig", "KioskCore"]),
        .testTarget(
            name: "KioskCLITests",
            dependencies: ["kiosk", "KioskStore", "KioskCore", "KioskLogging", "KioskTestSupport",
                           "KioskReaders", "KioskCards",
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
