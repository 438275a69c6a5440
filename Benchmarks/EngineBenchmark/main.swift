// The sync engine's own cost per record, with the network left out: two instances of the Memory
// plugin (`Plugins/Memory`) loaded with the real loader, in process, speak the real ABI (JSON both
// ways); the store is a real SQLite file. The source makes its contacts up as they are read and
// the target keeps nothing, so the memory measured is the host's.
//
//     swift run -c release engine-benchmark [records] [none|process]   (default 1,000,000, in process)
//     taskset -c 0 .build/release/engine-benchmark 1000000             (one core)
//     .build/release/engine-benchmark 1000000 process                  (the plugins in worker processes)
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkEngine
import CrosswalkFlows
import CrosswalkPlugins
import CrosswalkStore
import CrosswalkStoreSQLite
import Foundation
import Logging

// The scan probes each plugin in a child and workers run in children: this program is its own worker.
if CommandLine.arguments.count > 1, CommandLine.arguments[1] == "plugin-worker" {
    exit(PluginWorker.main(arguments: Array(CommandLine.arguments.dropFirst(2))))
}

let total = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 1_000_000
let isolation = CommandLine.arguments.dropFirst(2).first.flatMap { PluginIsolation(rawValue: $0) } ?? .none
var logger = Logger(label: "engine-benchmark")
logger.logLevel = .warning

/// The Memory plugin beside this executable, built on first use.
func memoryPlugin() throws -> String {
    let bin = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    let path = bin.appendingPathComponent("libCrosswalkMemory.so").path
    if !FileManager.default.fileExists(atPath: path) {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        print("building the Memory plugin (swift build -c release --product CrosswalkMemory)…")
        let build = Process()
        build.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        build.arguments = ["swift", "build", "-c", bin.lastPathComponent == "debug" ? "debug" : "release", "--product", "CrosswalkMemory",
                           "--package-path", root.path]
        try build.run()
        build.waitUntilExit()
    }
    return path
}

/// Memory figures from /proc/self/status, in MiB.
struct Memory {
    var peak = 0.0, anonymous = 0.0, file = 0.0
    static func now() -> Memory {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return Memory() }
        func value(_ key: String) -> Double {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return 0 }
            return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
        }
        return Memory(peak: value("VmHWM"), anonymous: value("RssAnon"), file: value("RssFile") + value("RssShmem"))
    }
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
func mib(_ v: Double) -> String { String(format: "%.1f MiB", v) }

let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engine-benchmark-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }

var configuration = PluginHostConfiguration.default
configuration.isolation = isolation
let plugin = try PluginLoader(logger: logger, configuration: configuration).load(path: try memoryPlugin())
func instance(_ name: String, _ settings: String) async throws -> PluginConnectorClient {
    PluginConnectorClient(instance: try await plugin.instantiate(connection: name, settings: Data(settings.utf8), services: HostServices(), logger: logger))
}
let source = try await instance("source", #"{"generate": \#(total)}"#)
let target = try await instance("target", #"{"sink": true}"#)
let store = try await SQLiteStore.open(path: folder.appendingPathComponent("bench.db").path, logger: logger)
let engine = SyncEngine(store: store, connectors: ["source": EngineConnector(client: source), "target": EngineConnector(client: target)],
                        compiler: MappingLanguageCompiler(), logger: logger)
let flow = Flow(name: "bench", source: FlowSource(connection: "source", object: "Contact"),
                targets: [FlowTarget(connection: "target", object: "Contact", mapping: "Email = Email\nFirstName = FirstName\nLastName = LastName")])

print("engine-benchmark: \(total) contacts, Memory plugin → Memory plugin through the ABI (\(isolation == .none ? "in process" : "in a worker process")), SQLite store (WAL, synchronous=FULL)")
print("  batches: reads of \(source.readBatchLimit), writes of \(target.writeBatchLimit), commits every \(engine.configuration.chunkSize) records")
let before = Memory.now()
print("  memory before: peak \(mib(before.peak)), anonymous \(mib(before.anonymous))")

/// One run, with the anonymous memory sampled at each tenth.
func measure(_ label: String) async throws -> RunReport {
    let samples = LockedValue<[(Int, Memory)]>([])
    let step = max(1, total / 10)
    let cpu = cpuSeconds()
    let start = ContinuousClock.now
    let report = try await engine.run(flow, options: RunOptions(progress: { p in
        samples.withLock { s in if p.read / step > (s.last?.0 ?? 0) / step { s.append((p.read, Memory.now())) } }
    }))
    let wall = seconds(ContinuousClock.now - start)
    let used = cpuSeconds() - cpu
    print("\(label): \(report.read) read, \(report.counts.created) created, \(report.counts.skipped) skipped, \(report.counts.failed) failed")
    print(String(format: "  %.2f s wall, %.2f s CPU: %.0f records/s wall, %.0f records per CPU-second", wall, used,
                 Double(report.read) / wall, Double(report.read) / max(used, 1e-9)))
    print("  calls: " + report.calls.map(\.description).joined(separator: "; "))
    let shown = samples.withLock { $0 }
    print("  anonymous memory by records read: " + shown.map { "\($0.0 / 1000)k \(String(format: "%.0f", $0.1.anonymous))" }.joined(separator: ", ") + " MiB")
    return report
}

let first = try await measure("first run (every record created)")
// Read everything again from the start: each record is unchanged since the last sync.
try await store.setCursor(flow: flow.name, object: "source/Contact", json: "null")
let second = try await measure("second run (read again from the start, nothing changed: every record skipped by fingerprint)")
let after = Memory.now()
print("  memory after: peak \(mib(after.peak)) (anonymous \(mib(after.anonymous)), file-backed and shared \(mib(after.file)): SQLite's memory map)")
let size = (try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("bench.db").path)[.size] as? Int) ?? 0
print(String(format: "  store: %.1f MB on disk, %d mappings", Double(size) / 1e6, try await store.mappingCount(link: LinkName.between("source", "target"))))
guard first.counts.created == total, second.counts.skipped == total else {
    print("FAILED: expected \(total) creates, then \(total) skips")
    exit(1)
}
await store.close()
