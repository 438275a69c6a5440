// swift-tools-version:6.0
import PackageDescription

/// Crosswalk: a self-hosted runtime that keeps CRM, ERP and field-sales apps in step.
///
/// Products:
/// - `crosswalk`, the host executable;
/// - one `.dynamic` library per connector plugin (`libCrosswalk<Name>.so`), loaded by `dlopen`;
/// - `CrosswalkExampleC`, the plain-C example connector from `sdk/examples`.
/// Per-app notes in the sandbox's folders (documentation, not sources), and emulators still
/// being written (excluded from the build until they land).
let sandboxDocs = ["Server/README.md", "Salesforce/README.md", "Spotio/README.md", "Aritic/README.md", "NetSuite/README.md", "HubSpot/README.md"]

let package = Package(
    name: "crosswalk",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "crosswalk", targets: ["crosswalk"]),
        .library(name: "CrosswalkMemory", type: .dynamic, targets: ["MemoryConnector"]),
        .library(name: "CrosswalkHTTPProbe", type: .dynamic, targets: ["HTTPProbeConnector"]),
        .library(name: "CrosswalkExampleC", type: .dynamic, targets: ["ExampleCConnector"]),
        .library(name: "CrosswalkSPOTIO", type: .dynamic, targets: ["SPOTIOConnector"]),
        .library(name: "CrosswalkAritic", type: .dynamic, targets: ["AriticConnector"]),
        .library(name: "CrosswalkHubSpot", type: .dynamic, targets: ["HubSpotConnector"]),
        .library(name: "CrosswalkSalesforce", type: .dynamic, targets: ["SalesforceConnector"]),
        .library(name: "CrosswalkNetSuite", type: .dynamic, targets: ["NetSuiteConnector"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "5.0.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // The C ABI: sdk/include/crosswalk.h is the contract every plugin builds against.
        .target(name: "CrosswalkABI", path: "sdk", sources: ["c"], publicHeadersPath: "include"),
        // The Swift kit for connector authors: implement `Connector`, export with one line.
        .target(name: "CrosswalkPluginKit", dependencies: ["CrosswalkABI"], path: "sdk/swift/CrosswalkPluginKit", exclude: ["JSON/README.md"]),
        // Reads the golden ABI documents with the kit's types (run by CrosswalkConnectorsTests).
        .executableTarget(name: "kit-golden-check", dependencies: ["CrosswalkPluginKit"], path: "sdk/swift/KitGoldenCheck"),
        // The plain-C example connector, also built by the tests with `cc -shared -fPIC`.
        // It parses JSON with cJSON (Debian's libcjson-dev, installed by scripts/setup.sh).
        .target(name: "ExampleCConnector", dependencies: ["CrosswalkABI"], path: "sdk/examples/c-connector",
                exclude: ["README.md"], publicHeadersPath: ".", linkerSettings: [.linkedLibrary("cjson")]),

        .target(name: "CrosswalkCore", dependencies: [.product(name: "Crypto", package: "swift-crypto")], exclude: ["JSON/README.md"]),
        // The typed client over a connector: the ABI's documents, the protocol, an in-memory connector.
        .target(name: "CrosswalkConnectors", dependencies: ["CrosswalkCore"]),
        // The mapping and criteria language: parse, type-check, compile to closures, evaluate (pure).
        .target(name: "CrosswalkMapping", dependencies: ["CrosswalkCore", "CrosswalkConnectors"], exclude: ["README.md"]),
        .target(name: "CrosswalkConfig", dependencies: ["CrosswalkCore", .product(name: "Yams", package: "Yams")]),
        .target(name: "CrosswalkAuth", dependencies: [
            "CrosswalkCore",
            .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .systemLibrary(name: "CSQLite"),
        // Store protocols and models (what the engine sees) and the embedded SQLite implementation.
        .target(name: "CrosswalkStore", dependencies: ["CrosswalkCore", .product(name: "Logging", package: "swift-log")]),
        .target(name: "CrosswalkStoreSQLite", dependencies: ["CrosswalkStore", "CrosswalkCore", "CSQLite", .product(name: "Logging", package: "swift-log")]),
        // The shared store (issue 17): the same protocols on PostgreSQL through postgres-nio's pooled client; leases.
        .target(name: "CrosswalkStorePostgres", dependencies: [
            "CrosswalkStore", "CrosswalkCore", .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"), .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        // The flow model (pure data) and the sync engine. The engine depends only on these
        // modules and the store's protocols (EngineTests/ModuleBoundaryTests checks it).
        .target(name: "CrosswalkFlows", dependencies: ["CrosswalkCore", "CrosswalkConnectors"]),
        .target(name: "CrosswalkEngine", dependencies: [
            "CrosswalkCore", "CrosswalkConnectors", "CrosswalkFlows", "CrosswalkMapping", "CrosswalkStore", .product(name: "Logging", package: "swift-log"),
        ]),
        // The composition root: config → store → vault → transport → connection contexts → plugin instances.
        .target(name: "CrosswalkRuntime", dependencies: [
            "CrosswalkEngine", "CrosswalkFlows",
            "CrosswalkCore", "CrosswalkConnectors", "CrosswalkConfig", "CrosswalkAuth", "CrosswalkHTTP", "CrosswalkStore", "CrosswalkStoreSQLite", "CrosswalkStorePostgres", "CrosswalkPlugins",
            "CrosswalkSandbox", "CrosswalkMapping",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "CrosswalkSandbox", dependencies: [
            "CrosswalkCore", "CSQLite",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"),
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "X509", package: "swift-certificates"), .product(name: "SwiftASN1", package: "swift-asn1"),
            .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "HummingbirdTLS", package: "hummingbird"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ], exclude: sandboxDocs),
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl")]),
        .target(name: "CrosswalkHTTP", dependencies: [
            "CCurl", "CrosswalkCore",
            .product(name: "Logging", package: "swift-log"), .product(name: "Metrics", package: "swift-metrics"),
        ]),
        // libffi (Debian: libffi-dev), for plugins' mapping functions.
        .target(name: "CFFI", linkerSettings: [.linkedLibrary("ffi")]),
        // The parent-death signal and spawn file actions Swift cannot import (plugin workers).
        .target(name: "CWorkerProcess"),
        .target(name: "CrosswalkPlugins", dependencies: [
            "CrosswalkABI", "CrosswalkCore", "CrosswalkConnectors", "CFFI", "CWorkerProcess",
            .product(name: "Logging", package: "swift-log"), .product(name: "Metrics", package: "swift-metrics"),
        ]),
        // `crosswalk serve`: the HTTP server (admin API, health, metrics), the scheduler, graceful shutdown.
        // openapi.yaml is the contract; scripts/embed-openapi.sh compiles it in (OpenAPIDocument.swift).
        // The dashboard (Dashboard/): swift-mustache templates compiled in as string constants, SVG charts drawn in Swift.
        .target(name: "CrosswalkService", dependencies: [
            "CrosswalkRuntime", "CrosswalkEngine", "CrosswalkFlows", "CrosswalkCore", "CrosswalkConfig", "CrosswalkStore", "CrosswalkConnectors",
            "CrosswalkPlugins", "CrosswalkAuth", "CrosswalkHTTP",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Mustache", package: "swift-mustache"),
        ], exclude: ["README.md", "openapi.yaml"]),
        // The CLI: argument parsing and printing; everything else is CrosswalkRuntime's (and CrosswalkService's for `serve`).
        .executableTarget(name: "crosswalk", dependencies: [
            "CrosswalkCore", "CrosswalkConnectors", "CrosswalkConfig", "CrosswalkPlugins", "CrosswalkRuntime", "CrosswalkSandbox",
            "CrosswalkEngine", "CrosswalkFlows", "CrosswalkService",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),

        // Benchmarks print figures; run them with `swift run -c release <name>`.
        .executableTarget(name: "store-benchmark", dependencies: [
            "CrosswalkStore", "CrosswalkStoreSQLite", .product(name: "Logging", package: "swift-log"),
        ], path: "Benchmarks/StoreBenchmark"),
        // Issue 17: the store's cost per committed batch on SQLite and PostgreSQL; records/s with 1, 2 and 3 hosts splitting flows by leases.
        .executableTarget(name: "shared-store-benchmark", dependencies: [
            "CrosswalkStore", "CrosswalkStoreSQLite", "CrosswalkStorePostgres", .product(name: "Logging", package: "swift-log"),
        ], path: "Benchmarks/SharedStoreBenchmark"),
        // The engine's own cost per record: Memory plugins through the real ABI, SQLite store.
        .executableTarget(name: "engine-benchmark", dependencies: [
            "CrosswalkEngine", "CrosswalkFlows", "CrosswalkConnectors", "CrosswalkCore", "CrosswalkPlugins", "CrosswalkStore", "CrosswalkStoreSQLite",
            .product(name: "Logging", package: "swift-log"),
        ], path: "Benchmarks/EngineBenchmark"),
        // Used by the engine's kill -9 test: the real loader, the generic HTTP connector, the sandbox over HTTP.
        .executableTarget(name: "crosswalk-engine-crash-child", dependencies: [
            "CrosswalkEngine", "CrosswalkFlows", "CrosswalkConnectors", "CrosswalkCore", "CrosswalkPlugins", "CrosswalkStore", "CrosswalkStoreSQLite",
            "CrosswalkRuntime", "CrosswalkConfig", "CrosswalkAuth", "CrosswalkHTTP", .product(name: "Logging", package: "swift-log"),
        ]),
        // Used by the store's kill -9 test.
        .executableTarget(name: "crosswalk-store-crash-child", dependencies: ["CrosswalkStore", "CrosswalkStoreSQLite", "CrosswalkStorePostgres", .product(name: "Logging", package: "swift-log")]),
        .executableTarget(name: "transport-benchmark", dependencies: [
            "CrosswalkHTTP", "CCurl", "CrosswalkCore", .product(name: "Logging", package: "swift-log"),
        ], path: "Benchmarks/TransportBenchmark"),
        // Seeds each emulator and times pages and writes over loopback HTTP; one file per app.
        .executableTarget(name: "sandbox-benchmark", dependencies: [
            "CrosswalkSandbox", "CrosswalkHTTP", "CrosswalkCore", .product(name: "Logging", package: "swift-log"),
        ], path: "Benchmarks/SandboxBenchmark"),

        // Each connector's built .so through the real host against its emulator: records/s and API calls per 1,000 records.
        .executableTarget(name: "connector-benchmark", dependencies: [
            "CrosswalkRuntime", "CrosswalkConnectors", "CrosswalkAuth", "CrosswalkConfig", "CrosswalkCore", "CrosswalkHTTP", "CrosswalkPlugins", "CrosswalkSandbox",
            .product(name: "Logging", package: "swift-log"),
        ], path: "Benchmarks/ConnectorBenchmark"),

        // Issue 15: N Salesforce contacts synced sandbox to sandbox through the real host (plugins in workers, SQLite):
        // records/s, API calls per 1,000 records, peak memory per process, and a second run that writes nothing.
        .executableTarget(name: "sync-benchmark", dependencies: [
            "CrosswalkRuntime", "CrosswalkEngine", "CrosswalkCore", "CrosswalkPlugins", "CrosswalkSandbox", "CrosswalkStore", "CrosswalkAuth",
            .product(name: "Logging", package: "swift-log"),
        ], path: "Benchmarks/SyncBenchmark"),

        // Issue 16: `crosswalk serve` under webhook load (wrk): change → write latency, deliveries accepted and processed per second.
        .executableTarget(name: "serve-benchmark", dependencies: [
            "CrosswalkRuntime", "CrosswalkSandbox", "CrosswalkAuth", .product(name: "Crypto", package: "swift-crypto"),
        ], path: "Benchmarks/ServeBenchmark"),

        .executableTarget(name: "mapping-benchmark", dependencies: ["CrosswalkMapping", "CrosswalkConnectors", "CrosswalkCore"],
                          path: "Benchmarks/MappingBenchmark"),
        // libFuzzer target for the mapping language (see Sources/CrosswalkMapping/README.md, "Fuzzing"). Built normally it is
        // a replay tool: `mapping-fuzz FILE…` runs each input once.
        .executableTarget(name: "mapping-fuzz", dependencies: ["CrosswalkMapping", "CrosswalkCore"], path: "Tests/Fuzz/MappingFuzz",
                          exclude: ["corpus", "mapping.dict"]),

        // What process isolation costs (read/write records/s, mapping-function calls/s, worker restart).
        .executableTarget(name: "isolation-benchmark", dependencies: [
            "CrosswalkPlugins", "CrosswalkConnectors", "CrosswalkCore", .product(name: "Logging", package: "swift-log"),
        ], path: "Benchmarks/IsolationBenchmark"),

        // Test connectors (the five real connectors are their own issue).
        .target(name: "MemoryConnector", dependencies: ["CrosswalkPluginKit"], path: "Plugins/Memory"),
        .target(name: "HTTPProbeConnector", dependencies: ["CrosswalkPluginKit"], path: "Plugins/HTTPProbe"),
        // The SPOTIO connector (issue 14): DataObject search and deleted feed, bulk jobs, activities, webhooks.
        .target(name: "SPOTIOConnector", dependencies: ["CrosswalkPluginKit"], path: "Plugins/SPOTIO"),
        // The Aritic PinPoint connector (issue 14): Mautic 2.x REST, keyset list reads with where[], batch endpoints.
        .target(name: "AriticConnector", dependencies: ["CrosswalkPluginKit"], path: "Plugins/Aritic", exclude: ["README.md"]),
        // The HubSpot connector (issue 14): CRM v3 search in keyset time windows, batch of 100, associations v4, webhooks v3.
        .target(name: "HubSpotConnector", dependencies: ["CrosswalkPluginKit"], path: "Plugins/HubSpot", exclude: ["README.md"]),
        // The Salesforce connector (issue 14): REST, SOQL, Bulk API 2.0, sObject Collections, outbound messages.
        .target(name: "SalesforceConnector", dependencies: ["CrosswalkPluginKit"], path: "Plugins/Salesforce", exclude: ["README.md"]),
        // The NetSuite connector (issue 14): SuiteTalk REST records, SuiteQL reads, the deleted-record feed, TBA or OAuth 2.0.
        .target(name: "NetSuiteConnector", dependencies: ["CrosswalkPluginKit"], path: "Plugins/NetSuite", exclude: ["README.md"]),

        .testTarget(name: "CrosswalkAuthTests", dependencies: [
            "CrosswalkAuth", "CrosswalkCore",
            .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "CrosswalkHTTPTests", dependencies: [
            "CrosswalkHTTP", "CrosswalkCore", "CrosswalkTestKit",
            .product(name: "Logging", package: "swift-log"), .product(name: "MetricsTestKit", package: "swift-metrics"),
        ], exclude: ["Fixtures"]),
        .testTarget(name: "CrosswalkStoreTests", dependencies: [
            "CrosswalkStore", "CrosswalkStoreSQLite", "CrosswalkStorePostgres", "CrosswalkCore", "CrosswalkTestKit", "crosswalk-store-crash-child",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Helpers shared by the test targets: a running sandbox, a webhook receiver, temporary files, captured logs.
        .target(name: "CrosswalkTestKit", dependencies: [
            "CrosswalkSandbox", "CrosswalkCore", .product(name: "Logging", package: "swift-log"),
            .product(name: "Hummingbird", package: "hummingbird"),
        ], path: "Tests/CrosswalkTestKit"),
        .testTarget(name: "CrosswalkSandboxTests", dependencies: [
            "CrosswalkSandbox", "CrosswalkCore", "CrosswalkTestKit", "CrosswalkAuth", .product(name: "Logging", package: "swift-log"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"),
        ]),
        .testTarget(name: "CrosswalkRuntimeTests", dependencies: [
            "CrosswalkRuntime", "CrosswalkConnectors", "CrosswalkAuth", "CrosswalkConfig", "CrosswalkCore", "CrosswalkHTTP", "CrosswalkPlugins",
            "CrosswalkSandbox", "CrosswalkStore", "CrosswalkStoreSQLite", "CrosswalkStorePostgres", "CrosswalkTestKit", "CrosswalkMapping",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], exclude: ["Fixtures"]),
        .testTarget(name: "CrosswalkCoreTests", dependencies: ["CrosswalkCore"]),
        // `crosswalk serve` and `crosswalk sandbox` as separate processes: the admin API, the scheduler, kill -9 and restart.
        .testTarget(name: "CrosswalkServiceTests", dependencies: [
            "CrosswalkService", "CrosswalkRuntime", "CrosswalkCore", "CrosswalkConfig", "CrosswalkFlows", "CrosswalkTestKit", "CrosswalkSandbox",
            "CrosswalkEngine", "CrosswalkStore", "CrosswalkStoreSQLite", "CrosswalkStorePostgres", "CrosswalkAuth",
            .product(name: "Logging", package: "swift-log"), .product(name: "Yams", package: "Yams"),
            .product(name: "Crypto", package: "swift-crypto"), .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),
        // The built libCrosswalkAritic.so through the real loader and host against the sandbox.
        .testTarget(name: "AriticConnectorTests", dependencies: [
            "CrosswalkRuntime", "CrosswalkConnectors", "CrosswalkAuth", "CrosswalkConfig", "CrosswalkCore", "CrosswalkPlugins",
            "CrosswalkSandbox", "CrosswalkTestKit", .product(name: "Logging", package: "swift-log"),
            .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The built libCrosswalkHubSpot.so through the real loader and host against the sandbox.
        .testTarget(name: "HubSpotConnectorTests", dependencies: [
            "CrosswalkRuntime", "CrosswalkConnectors", "CrosswalkAuth", "CrosswalkConfig", "CrosswalkCore", "CrosswalkPlugins",
            "CrosswalkSandbox", "CrosswalkTestKit", .product(name: "Logging", package: "swift-log"),
            .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The built libCrosswalkSPOTIO.so through the real loader and host against the sandbox.
        .testTarget(name: "SPOTIOConnectorTests", dependencies: [
            "CrosswalkRuntime", "CrosswalkConnectors", "CrosswalkAuth", "CrosswalkConfig", "CrosswalkCore", "CrosswalkPlugins",
            "CrosswalkSandbox", "CrosswalkTestKit", .product(name: "Logging", package: "swift-log"),
            .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .testTarget(name: "CrosswalkEngineTests", dependencies: [
            "CrosswalkEngine", "CrosswalkFlows", "CrosswalkMapping", "CrosswalkConnectors", "CrosswalkCore", "CrosswalkStore", "CrosswalkStoreSQLite", "CrosswalkTestKit",
            "CrosswalkSandbox", "crosswalk-engine-crash-child", .product(name: "Logging", package: "swift-log"),
        ]),
        // The built libCrosswalkSalesforce.so through the real loader and host against the sandbox.
        .testTarget(name: "SalesforceConnectorTests", dependencies: [
            "CrosswalkRuntime", "CrosswalkConnectors", "CrosswalkAuth", "CrosswalkConfig", "CrosswalkCore", "CrosswalkPlugins",
            "CrosswalkSandbox", "CrosswalkTestKit", .product(name: "Logging", package: "swift-log"),
            .product(name: "Hummingbird", package: "hummingbird"),
        ]),
        // The built libCrosswalkNetSuite.so through the real loader and host (TBA signed by the host) against the sandbox.
        .testTarget(name: "NetSuiteConnectorTests", dependencies: [
            "CrosswalkRuntime", "CrosswalkConnectors", "CrosswalkAuth", "CrosswalkConfig", "CrosswalkCore", "CrosswalkPlugins",
            "CrosswalkSandbox", "CrosswalkTestKit", .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"), .product(name: "Hummingbird", package: "hummingbird"),
        ]),
        .testTarget(name: "CrosswalkConnectorsTests", dependencies: ["CrosswalkConnectors", "CrosswalkCore", "CrosswalkTestKit", "kit-golden-check"]),
        .testTarget(name: "CrosswalkMappingTests", dependencies: ["CrosswalkMapping", "CrosswalkConnectors", "CrosswalkCore", "mapping-fuzz"]),
        .testTarget(name: "CrosswalkConfigTests", dependencies: ["CrosswalkConfig", "CrosswalkCore"]),
        .testTarget(name: "CrosswalkPluginsTests", dependencies: [
            "CrosswalkPlugins", "CrosswalkCore", "CrosswalkConnectors", "CrosswalkTestKit", .product(name: "Logging", package: "swift-log"),
        ],
                    exclude: ["Fixtures"]),
    ]
)

let cTargets: Set<String> = ["CrosswalkABI", "ExampleCConnector", "CCurl", "CSQLite", "CFFI", "CWorkerProcess"]
for target in package.targets where !cTargets.contains(target.name) {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
