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
        // The central API (issue 13): the generated client and server, their transports, the
        // reference server's HTTP framework and PostgreSQL driver.
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/swift-server/swift-openapi-async-http-client.git", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird.git", from: "2.1.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
    ],
    targets: [
        // Domain types shared by every part: money, identifiers, accounts, the clock.
        .target(name: "KioskCore"),
        // HMAC-SHA256 with its key set up once: member tokens and KR1 receipts share it.
        .target(name: "KioskHMAC", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
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
                // SHA-256 of backups (their content digest).
                .product(name: "Crypto", package: "swift-crypto"),
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
                "KioskCore", "KioskHMAC",
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
        // The appliance: the session over the readers, scanners, display, store and engine.
        .target(
            name: "KioskAppliance",
            dependencies: [
                "KioskCore", "KioskStore", "KioskEngine", "KioskLoyalty", "KioskReceipts", "KioskReaders", "KioskInput",
                "KioskScan", "KioskSession", "KioskRender", "KioskDisplay",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "kiosk",
            dependencies: [
                "KioskCore", "KioskStore", "KioskConfig", "KioskLogging", "KioskEngine", "KioskLoyalty",
                "KioskReceipts", "KioskPCSC", "KioskCards", "KioskReaders", "KioskVirtualCard", "KioskImport",
                "KioskSystemd", "KioskSync", "KioskRender", "KioskText", "KioskDisplay", "KioskScan", "KioskInput",
                "KioskAppliance", "KioskSession",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // A child process for the crash test: writes a deterministic stream of business
        // operations so that the test can SIGKILL it at random points.
        .executableTarget(
            name: "kiosk-crashwriter",
            dependencies: ["KioskCore", "KioskStore", "KioskEngine", "KioskLoyalty", "KioskReceipts", "StoreCrashStream", "CPowerLossVFS"]
        ),
        // A test VFS for the power-loss test: wraps SQLite's default VFS, keeps what is not yet
        // synced in memory and drops all or a random part of it at a simulated power cut.
        .target(name: "CPowerLossVFS", linkerSettings: [.linkedLibrary("sqlite3")]),
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
        // The member import's speed: batched commits against one row per transaction (not a test).
        .executableTarget(
            name: "import-bench",
            dependencies: ["KioskCore", "KioskStore", "KioskImport"],
            path: "Benchmarks/ImportBenchmark"
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
            // KioskCore: the base64url codec it shares with the member tokens.
            dependencies: ["KioskCore", "KioskHMAC", .product(name: "Crypto", package: "swift-crypto")]
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
        .testTarget(name: "KioskCardsTests", dependencies: ["KioskCards", "KioskCore", "KioskHMAC", .product(name: "Crypto", package: "swift-crypto")]),
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
                "KioskVirtualCard", "VirtualCardRig", "KioskTestSupport", "KioskRender", "KioskText",
                // Built for the test of `kiosk diag card` against the virtual reader, and the
                // appliance's end-to-end tests (with the reference central).
                "kiosk", "kiosk-central",
                .product(name: "GRDB", package: "GRDB.swift"),
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
        .testTarget(name: "KioskConfigTests", dependencies: ["KioskConfig", "KioskCore", "KioskTestSupport", "config-fuzz"]),
        // Fuzzes the configuration loader: its own mutations by default (a short run is a test),
        // libFuzzer when built with -sanitize=fuzzer -DFUZZING (docs/configuration.md).
        .executableTarget(name: "config-fuzz", dependencies: ["KioskConfig", "CFuzzerDriver"], path: "Fuzz/ConfigFuzz"),
        // libFuzzer's driver entry point, declared for the fuzz harness's own main.
        .target(name: "CFuzzerDriver"),
        // The kiosk's session: a pure state machine from taps, scans, keys and time to screens,
        // reader feedback, operations and audit entries.
        .target(name: "KioskSession", dependencies: ["KioskCore"]),
        .testTarget(name: "KioskSessionTests", dependencies: ["KioskSession", "KioskCore"]),
        // systemd's readiness and watchdog protocol (sd_notify datagrams), as a service of `kiosk run`.
        .target(
            name: "KioskSystemd",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "KioskSystemdTests",
            dependencies: [
                "KioskSystemd", "KioskTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "KioskCLITests",
            dependencies: ["kiosk", "KioskStore", "KioskCore", "KioskLogging", "KioskTestSupport",
                           "KioskReaders", "KioskCards", "KioskReceipts", "KioskAppliance", "KioskConfig", "StoreCrashStream",
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "GRDB", package: "GRDB.swift")]
        ),

        // The central API (issue 13). The contract is openapi/central.yaml; its Swift types,
        // client and server stubs are generated once with the generator's CLI and committed.
        .target(
            name: "KioskCentralAPI",
            dependencies: [
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        // zlib's gzip, for batch bodies on the wire (both sides).
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "KioskGzip", dependencies: ["CZlib"]),
        // The kiosk's side: the forwarder (outbox to central), configuration sync, once-only checks.
        .target(
            name: "KioskSync",
            dependencies: [
                "KioskCore", "KioskStore", "KioskEngine", "KioskCentralAPI", "KioskGzip",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The reference central server: the contract on Hummingbird, stored in SQLite or PostgreSQL.
        .target(
            name: "KioskCentralServer",
            dependencies: [
                "KioskCentralAPI", "KioskGzip",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                // TLS for the reference server, with client certificates when asked.
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                // The connection's channel, to read a kiosk's client certificate from its TLS handler.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .executableTarget(
            name: "kiosk-central",
            dependencies: [
                "KioskCentralServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Draining the outbox to the reference server: events/s, bytes per event, reconnection.
        .executableTarget(
            name: "sync-bench",
            dependencies: [
                "KioskSync", "KioskCentralServer", "KioskStore", "KioskCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Benchmarks/SyncBenchmark"
        ),
        .testTarget(
            name: "KioskSyncTests",
            dependencies: [
                "KioskSync", "KioskCentralServer", "KioskCentralAPI", "KioskStore", "KioskCore", "KioskTestSupport",
                "KioskGzip", "kiosk-central", "kiosk", "KioskLoyalty",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // ---- The display (issue #12) ----
        // FreeType, HarfBuzz, FriBidi and libpng: the real headers through pkg-config.
        .systemLibrary(name: "CFreeType", pkgConfig: "freetype2", providers: [.apt(["libfreetype-dev"])]),
        .systemLibrary(name: "CHarfBuzz", pkgConfig: "harfbuzz", providers: [.apt(["libharfbuzz-dev"])]),
        .systemLibrary(name: "CFriBidi", pkgConfig: "fribidi", providers: [.apt(["libfribidi-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CQREncode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        // The framebuffer and console ioctls (kernel headers only).
        .systemLibrary(name: "CFramebuffer"),
        // Text without I/O: bidi levels and visual order (FriBidi), shaping (HarfBuzz), glyphs (FreeType),
        // line breaking and ellipsis by shaped width. Fonts come in as bytes.
        .target(name: "KioskText", dependencies: ["CFreeType", "CHarfBuzz", "CFriBidi"]),
        // Rendering without I/O: a screen value in, pixels out (canvas, PNG, localisation, screens).
        .target(name: "KioskRender", dependencies: ["KioskText", "KioskCore", "CPNG", "CQREncode"]),
        // The display backends: Linux framebuffer and terminal, behind one protocol.
        .target(name: "KioskDisplay", dependencies: ["KioskRender", "KioskText", "KioskConfig", "CFramebuffer"]),
        .testTarget(name: "KioskTextTests", dependencies: ["KioskText", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(
            name: "KioskRenderTests",
            dependencies: ["KioskRender", "KioskText", "KioskCore", .product(name: "Crypto", package: "swift-crypto")],
            exclude: ["Goldens"]
        ),
        .testTarget(name: "KioskApplianceTests", dependencies: ["KioskAppliance", "KioskSession", "KioskRender", "KioskEngine", "KioskCore", "KioskCards",
                                                        "KioskReaders", "KioskStore", "KioskLoyalty", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "KioskDisplayTests", dependencies: ["KioskDisplay", "KioskRender", "KioskText", "KioskConfig", "KioskTestSupport", "kiosk"]),
        .executableTarget(
            name: "appliance-bench",
            dependencies: ["KioskAppliance", "KioskCore", "KioskDisplay", "KioskEngine", "KioskInput", "KioskLoyalty", "KioskReaders",
                           "KioskRender", "KioskScan", "KioskSession", "KioskStore", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/ApplianceBenchmark"
        ),
        .executableTarget(
            name: "display-bench",
            dependencies: ["KioskRender", "KioskText", "KioskDisplay", "KioskCore"],
            path: "Benchmarks/DisplayBenchmark"
        ),
        // Scanners and keypads (issue 11).
        // What a scan means, without I/O: AIM identifiers, EAN/UPC, GS1 element strings, member
        // tokens and links, enrollment links, receipts, vouchers, Persian digits and layout.
        .target(name: "KioskScan", dependencies: ["KioskCards", "KioskReceipts"]),
        // The ioctl request macros of evdev (EVIOCGRAB, …), one static inline shim each.
        .target(name: "CInput"),
        // Input devices: keyboard-wedge scanners over evdev, the PIN keypad, HID POS over libusb,
        // CDC-ACM serial scanners, the development socket; one stream of scan events.
        // libusb-1.0's real header through pkg-config (HID POS scanners, USB diagnostics).
        .systemLibrary(name: "CLibUSB", pkgConfig: "libusb-1.0", providers: [.apt(["libusb-1.0-0-dev"])]),
        .target(name: "KioskInput", dependencies: ["KioskScan", "CInput", "CLibUSB"]),
        // Drives the input layer under umockdev for KioskInputTests (prints JSON lines).
        .executableTarget(name: "scanner-probe", dependencies: ["KioskInput", "KioskScan"], path: "Tests/ScannerProbe"),
        // Key event → parsed scan latency and parser throughput (not a test).
        .executableTarget(
            name: "scan-bench",
            dependencies: ["KioskInput", "KioskScan", "KioskCards", "KioskReceipts", "KioskCore", "CInput",
                           // Ed25519 alone: the floor a receipt sets, measured beside the parsers.
                           .product(name: "Crypto", package: "swift-crypto")],
            path: "Benchmarks/ScanBenchmark"
        ),
        .testTarget(
            name: "KioskInputTests",
            dependencies: ["KioskInput", "KioskScan", "KioskTestSupport", "scanner-probe"]
        ),
        .testTarget(
            name: "KioskScanTests",
            dependencies: ["KioskScan", "KioskCards", "KioskReceipts", "KioskEngine",
                           .product(name: "PropertyBased", package: "swift-property-based")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
