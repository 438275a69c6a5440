import Foundation

/// `sandbox-benchmark [--apps netsuite,spotio,…] [--seed N] [--requests N] [--random-seed N]`: seeds each
/// named emulator in-process, serves it on a loopback port, and prints `app  metric  value unit` rows (seeding
/// time, RSS, records/s served per page kind at the first and a deep page, records/s written). Build with
/// `-c release`: `swift build -c release --product sandbox-benchmark && .build/release/sandbox-benchmark`.

/// Every app's benchmark, by its sandbox name. To add an app, write `<App>Benchmark.swift` (an
/// `AppBenchmark`) and add one line here.
let benchmarks: [any AppBenchmark.Type] = [
    SalesforceBenchmark.self,
    NetSuiteBenchmark.self,
    HubSpotBenchmark.self,
    SpotioBenchmark.self,
    AriticBenchmark.self,
]

let options: BenchmarkOptions
do {
    options = try BenchmarkOptions.parse(Array(CommandLine.arguments.dropFirst()), known: benchmarks.map { $0.name })
} catch {
    FileHandle.standardError.write(Data("sandbox-benchmark: \(error)\n".utf8))
    exit(2)
}
emit("sandbox-benchmark: seed \(options.seed), \(options.requests) timed requests per figure, apps \(options.apps.joined(separator: ","))")
for name in options.apps {
    let benchmark = benchmarks.first { $0.name == name }!
    do {
        try await BenchmarkHarness.run(benchmark, options: options)
    } catch {
        emit("\(name)  error  \(error)")
        exit(1)
    }
}
