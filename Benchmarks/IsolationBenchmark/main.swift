// isolation-benchmark: what process isolation costs, with the same plugin (the Memory connector)
// and the same data, in one run. Prints records/s and µs per call through `read` and `write` with
// `isolation: none` and `process`, their ratio, mapping-function calls per second (in process,
// through the worker one call per frame, and in batches), and how long a killed worker takes to
// be back.
//
// Options: --records 50000, --write-batches 400, --calls 100000.
//
//   swift build -c release --product isolation-benchmark && swift build -c release --product CrosswalkMemory
//   $(swift build -c release --show-bin-path)/isolation-benchmark
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

// This program is its own plugin worker (as an embedding host would be), so that a release build
// of the benchmark needs no release build of the whole `crosswalk` executable.
if CommandLine.arguments.count > 1, CommandLine.arguments[1] == "plugin-worker" {
    exit(PluginWorker.main(arguments: Array(CommandLine.arguments.dropFirst(2))))
}

let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: Int) -> Int {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let v = Int(arguments[i + 1]) else { return fallback }
    return v
}
let recordCount = option("--records", 50_000)
let writeBatches = option("--write-batches", 400)
let functionCalls = option("--calls", 100_000)

let bin = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
let memoryPath = bin.appendingPathComponent("libCrosswalkMemory.so").path
let logger: Logger = {
    var logger = Logger(label: "isolation-benchmark") { StreamLogHandler.standardError(label: $0) }
    logger.logLevel = .error
    return logger
}()

func configuration(_ isolation: PluginIsolation) -> PluginHostConfiguration {
    PluginHostConfiguration(isolation: isolation, worker: WorkerCommand(executable: bin.appendingPathComponent("isolation-benchmark").path))
}

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

struct Figures {
    var checkMicrosPerCall = 0.0
    var readRecordsPerSecond = 0.0, readMicrosPerCall = 0.0
    var writeRecordsPerSecond = 0.0, writeMicrosPerCall = 0.0
}

func measure(_ isolation: PluginIsolation) async throws -> Figures {
    let plugin = try PluginLoader(logger: logger, configuration: configuration(isolation)).load(path: memoryPath)
    let client = try await PluginConnectorClient.make(plugin: plugin, connection: "bench", settings: Data(#"{"seed":\#(recordCount)}"#.utf8),
                                                      services: HostServices(), logger: logger)
    var figures = Figures()
    // Warm up: one page.
    _ = try await client.read(ReadRequest(object: "Contact", limit: 100))

    // The round trip alone: `check`'s request and answer are a few bytes.
    let checks = 2000
    let checkStart = ContinuousClock.now
    for _ in 0..<checks { _ = try await client.check() }
    figures.checkMicrosPerCall = seconds(ContinuousClock.now - checkStart) / Double(checks) * 1e6

    var cursor: JSONValue?
    var records = 0, calls = 0
    let readStart = ContinuousClock.now
    while true {
        let page = try await client.read(ReadRequest(object: "Contact", cursor: cursor, limit: 100))
        records += page.records.count
        calls += 1
        cursor = page.nextCursor
        if !page.hasMore { break }
    }
    let readTime = seconds(ContinuousClock.now - readStart)
    precondition(records == recordCount, "read \(records) of \(recordCount) records")
    figures.readRecordsPerSecond = Double(records) / readTime
    figures.readMicrosPerCall = readTime / Double(calls) * 1e6

    let batch = 50
    let writeStart = ContinuousClock.now
    for b in 0..<writeBatches {
        let items = (0..<batch).map { i in
            WriteItem(ref: "r\(b)-\(i)", fields: ["Email": .string("new\(b)-\(i)@example.com"), "LastName": .string("New \(i)")])
        }
        let result = try await client.write(WriteRequest(object: "Contact", operation: .create, records: items))
        precondition(result.results.allSatisfy(\.ok))
    }
    let writeTime = seconds(ContinuousClock.now - writeStart)
    figures.writeRecordsPerSecond = Double(writeBatches * batch) / writeTime
    figures.writeMicrosPerCall = writeTime / Double(writeBatches) * 1e6
    await client.close()
    return figures
}

func line(_ label: String, _ value: Double, _ unit: String) {
    print(label.padding(toLength: 44, withPad: " ", startingAt: 0) + String(format: "%12.1f %@", value, unit))
}

print("isolation-benchmark: Memory connector, \(recordCount) records read in pages of 100, \(writeBatches) writes of 50 records")
let inProcess = try await measure(.none)
let isolated = try await measure(.process)
line("check µs per call, none", inProcess.checkMicrosPerCall, "µs")
line("check µs per call, process", isolated.checkMicrosPerCall, "µs")
line("read, isolation: none", inProcess.readRecordsPerSecond, "records/s")
line("read, isolation: process", isolated.readRecordsPerSecond, "records/s")
line("read µs per call (100 records), none", inProcess.readMicrosPerCall, "µs")
line("read µs per call (100 records), process", isolated.readMicrosPerCall, "µs")
line("read ratio none/process", inProcess.readRecordsPerSecond / isolated.readRecordsPerSecond, "x")
line("write, isolation: none", inProcess.writeRecordsPerSecond, "records/s")
line("write, isolation: process", isolated.writeRecordsPerSecond, "records/s")
line("write µs per call (50 records), none", inProcess.writeMicrosPerCall, "µs")
line("write µs per call (50 records), process", isolated.writeMicrosPerCall, "µs")
line("write ratio none/process", inProcess.writeRecordsPerSecond / isolated.writeRecordsPerSecond, "x")

// Mapping functions through libffi.
func functionRate(_ isolation: PluginIsolation, batch: Int) throws -> Double {
    let plugin = try PluginLoader(logger: logger, configuration: configuration(isolation)).load(path: memoryPath)
    let functions = PluginFunctionRegistry(plugins: [plugin])
    _ = try functions.call("dev.crosswalk.memory.plus", [1, 2])
    let calls = isolation == .process && batch == 1 ? functionCalls / 10 : functionCalls
    let start = ContinuousClock.now
    var done = 0
    while done < calls {
        if batch == 1 {
            _ = try functions.call("dev.crosswalk.memory.plus", [.number(JSONNumber(done)), 1])
            done += 1
        } else {
            let results = functions.call(batch: (0..<batch).map { i in ("dev.crosswalk.memory.upper", [.string("name \(i)")]) })
            precondition(results.allSatisfy { (try? $0.get()) != nil })
            done += batch
        }
    }
    plugin.stopWorker()
    return Double(done) / seconds(ContinuousClock.now - start)
}
line("ffi calls/s, none (plus, one by one)", try functionRate(.none, batch: 1), "calls/s")
line("ffi calls/s, none (upper, batches of 100)", try functionRate(.none, batch: 100), "calls/s")
line("ffi calls/s, process (plus, one per frame)", try functionRate(.process, batch: 1), "calls/s")
line("ffi calls/s, process (upper, 100 per frame)", try functionRate(.process, batch: 100), "calls/s")

// A killed worker: time from SIGKILL to the next successful call (restart + instance re-created).
let plugin = try PluginLoader(logger: logger, configuration: configuration(.process)).load(path: memoryPath)
let client = try await PluginConnectorClient.make(plugin: plugin, connection: "restart", settings: Data(#"{"seed":1000}"#.utf8),
                                                  services: HostServices(), logger: logger)
var restarts: [Double] = []
for _ in 0..<7 {
    _ = try await client.check()
    guard let pid = plugin.workerProcessID else { break }
    let start = ContinuousClock.now
    kill(pid, SIGKILL)
    while true {
        if plugin.workerProcessID != pid, (try? await client.check()) != nil { break }
        try await Task.sleep(for: .milliseconds(1))
    }
    restarts.append(seconds(ContinuousClock.now - start) * 1000)
}
await client.close()
restarts.sort()
line("worker restart after SIGKILL, median of \(restarts.count)", restarts[restarts.count / 2], "ms")
line("worker restart after SIGKILL, worst", restarts.last ?? 0, "ms")
