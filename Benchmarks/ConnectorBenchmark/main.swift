import CrosswalkPlugins
import Foundation

/// `connector-benchmark [app…] [--records N]`: each connector's built `.so` through the real host (vault, auth,
/// libcurl, retries and limits) against its emulator served in-process, printing records/s for a full read and
/// for batch writes, and API calls per 1,000 records. Build with `-c release`:
/// `swift build -c release --product connector-benchmark && .build/release/connector-benchmark`
/// (the plugins are found beside the executable).

/// One connector's figures. To add a connector, write `<App>Benchmark.swift` and add one line below.
protocol ConnectorBenchmark {
    /// The sandbox app's name (`netsuite`, `hubspot`…).
    static var name: String { get }
    static func run(records: Int) async throws
}

// Plugins run in worker processes (the host's default isolation); this program is its own worker, re-executed as
// `connector-benchmark plugin-worker …`, so that no release build of `crosswalk` is needed.
if CommandLine.arguments.count > 1, CommandLine.arguments[1] == "plugin-worker" {
    exit(PluginWorker.main(arguments: Array(CommandLine.arguments.dropFirst(2))))
}

let benchmarks: [any ConnectorBenchmark.Type] = [
    SPOTIOBenchmark.self,
    SalesforceBenchmark.self,
    NetSuiteBenchmark.self,
    AriticBenchmark.self,
    HubSpotBenchmark.self,
]

var arguments = Array(CommandLine.arguments.dropFirst())
var records = 10_000
if let i = arguments.firstIndex(of: "--records"), i + 1 < arguments.count, let n = Int(arguments[i + 1]), n > 0 {
    records = n
    arguments.removeSubrange(i...(i + 1))
}
let chosen = arguments.isEmpty ? benchmarks : benchmarks.filter { arguments.contains($0.name) }
if chosen.isEmpty {
    FileHandle.standardError.write(Data("connector-benchmark: unknown app; known: \(benchmarks.map { $0.name }.joined(separator: ", "))\n".utf8))
    exit(2)
}
for benchmark in chosen {
    do { try await benchmark.run(records: records) } catch {
        print("\(benchmark.name)  error  \(error)")
        exit(1)
    }
}
