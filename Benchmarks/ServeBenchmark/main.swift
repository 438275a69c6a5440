// Issue 16's benchmark: `crosswalk serve` under webhook load, seed 004 (SPOTIO → Salesforce) on
// the sandbox, every part a separate process on loopback — `crosswalk sandbox`, `crosswalk serve`,
// and wrk (Debian's package) as the load.
//
//     for p in crosswalk serve-benchmark CrosswalkSPOTIO CrosswalkSalesforce; do swift build -c release --product $p; done
//     apt-get install -y wrk
//     .build/release/serve-benchmark [--changes 50] [--seconds 10] [--connections 32]
//
// It prints:
// - change → write latency (p50, p90, p99): a lead created in SPOTIO, SPOTIO's signed webhook to
//   the service, the inbox, the engine, the Salesforce write — until a Salesforce query finds the lead;
// - webhooks accepted per second: wrk posting distinct, correctly signed deliveries for
//   `--seconds` over `--connections` connections (2 threads), with wrk's own latency percentiles
//   and every non-2xx answer counted;
// - how fast the inbox then works through what was accepted (deliveries processed per second).
import CrosswalkAuth
import CrosswalkRuntime
import CrosswalkSandbox
import Crypto
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

var changes = 50, loadSeconds = 10, connections = 32
var options = Array(CommandLine.arguments.dropFirst())[...]
while let flag = options.popFirst() {
    guard let value = options.popFirst(), let n = Int(value), n > 0 else { print("serve-benchmark: \(flag) needs a positive number"); exit(2) }
    switch flag {
    case "--changes": changes = n
    case "--seconds": loadSeconds = n
    case "--connections": connections = n
    default: print("serve-benchmark: unknown option \(flag) (use --changes, --seconds, --connections)"); exit(2)
    }
}

let bin = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
let crosswalk = bin.appendingPathComponent("crosswalk")
guard FileManager.default.isExecutableFile(atPath: crosswalk.path) else {
    print("serve-benchmark: no crosswalk beside this program: swift build -c release --product crosswalk"); exit(2)
}
guard let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
    print("serve-benchmark: wrk is not installed: apt-get install -y wrk"); exit(2)
}

// MARK: processes

/// A child process whose standard output is read line by line.
final class Child: @unchecked Sendable {
    let process = Process()
    private let output = Pipe()
    private var buffer = Data()

    init(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// The first line containing `text` (reading blocks; the children print readiness at once).
    func line(containing text: String) throws -> String {
        while true {
            while let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...newline)
                if line.contains(text) { return line }
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw Failure("\(process.executableURL!.lastPathComponent) ended without printing \(text)") }
            buffer.append(chunk)
        }
    }

    /// Reads and drops the rest of the child's output from now on. Without it a chatty child (serve logs a JSON
    /// line per run) fills the pipe and blocks in its next write: it then neither works nor exits.
    func discardOutput() {
        let handle = output.fileHandleForReading
        Thread.detachNewThread {
            while !handle.availableData.isEmpty {}
        }
    }

    /// SIGTERM, then SIGKILL when it has not ended within `grace` seconds; returns the seconds it took.
    @discardableResult
    func stop(grace: Double = 30) -> Double {
        let start = Date()
        if process.isRunning { process.terminate() }
        while process.isRunning, Date().timeIntervalSince(start) < grace { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return Date().timeIntervalSince(start)
    }
}

/// Runs `crosswalk ARGS --config CONFIG` to the end, with `stdin`.
func crosswalkRun(_ arguments: [String], config: String, stdin: String? = nil) throws {
    let p = Process()
    p.executableURL = crosswalk
    p.arguments = arguments + ["--config", config]
    let input = Pipe()
    p.standardInput = input
    p.standardOutput = FileHandle.nullDevice
    let errors = Pipe()
    p.standardError = errors
    try p.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    let message = errors.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else { throw Failure("crosswalk \(arguments.joined(separator: " ")): \(String(decoding: message, as: UTF8.self))") }
}

// MARK: HTTP

func send(_ method: String, _ url: URL, json: Any? = nil, form: String? = nil, headers: [String: String] = [:]) async throws -> (status: Int, object: [String: Any], text: String) {
    var request = URLRequest(url: url, timeoutInterval: 60)
    request.httpMethod = method
    if let json {
        request.httpBody = try JSONSerialization.data(withJSONObject: json)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    }
    if let form {
        request.httpBody = Data(form.utf8)
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
    }
    for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
    let (data, response) = try await URLSession.shared.data(for: request)
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:],
            String(decoding: data, as: UTF8.self))
}

func percentile(_ xs: [Double], _ q: Double) -> Double { xs.sorted()[min(xs.count - 1, Int(Double(xs.count) * q))] }
func report(_ metric: String, _ value: Double, _ unit: String) {
    print("serve  \(metric.padding(toLength: 34, withPad: " ", startingAt: 0))  \(value >= 100 ? String(format: "%.0f", value) : String(format: "%.1f", value)) \(unit)")
}

// MARK: the deployment

let secret = "serve-benchmark-whsec-" + UUID().uuidString.prefix(8)
let token = "serve-benchmark-token-" + UUID().uuidString
let dir = FileManager.default.temporaryDirectory.appendingPathComponent("serve-benchmark-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: dir) }

let sandbox = try Child(crosswalk, ["sandbox", "--port", "0", "--seed", "20", "--no-tls"])
defer { sandbox.stop() }
let readiness = try JSONSerialization.jsonObject(with: Data(try sandbox.line(containing: "\"ready\":true").utf8)) as? [String: Any]
sandbox.discardOutput()
let urls = ((readiness?["apps"] as? [String: String]) ?? [:]).compactMapValues { URL(string: $0) }
guard let spotio = urls["spotio"], let salesforce = urls["salesforce"] else { throw Failure("the sandbox printed no app URLs") }

let config = dir.appendingPathComponent("crosswalk.yaml").path
try Data((FlowTemplate.deployment([.spotioSalesforce], urls: urls) + "service:\n  admin_token: {env: CW_BENCH_TOKEN}\n").utf8)
    .write(to: URL(fileURLWithPath: config))
try crosswalkRun(["vault", "init"], config: config)
for (name, credentials) in FlowTemplate.spotioSalesforce.credentials(urls: urls) {
    try crosswalkRun(["connections", "add", name], config: config, stdin: String(decoding: try JSONEncoder().encode(credentials), as: UTF8.self))
}
try crosswalkRun(["connections", "webhook-secret", "spotio"], config: config, stdin: secret + "\n")
let serve = try Child(crosswalk, ["serve", "--config", config, "--listen", "127.0.0.1:0"], environment: ["CW_BENCH_TOKEN": token])
defer { serve.stop() }
let serveReady = try JSONSerialization.jsonObject(with: Data(try serve.line(containing: "\"ready\":true").utf8)) as? [String: Any]
serve.discardOutput()
guard let serviceURL = (serveReady?["url"] as? String).flatMap(URL.init(string:)) else { throw Failure("serve printed no URL") }
let hooks = serviceURL.appendingPathComponent("hooks/spotio")
let subscribed = try await send("POST", spotio.appendingPathComponent("__sandbox/webhooks"),
                                json: ["url": hooks.absoluteString, "secret": secret, "events": ["lead.added"]])
guard subscribed.status == 201 else { throw Failure("SPOTIO subscription: \(subscribed.status) \(subscribed.text)") }
print("serve-benchmark: crosswalk serve \(serviceURL.absoluteString), sandbox SPOTIO \(spotio.absoluteString) → Salesforce \(salesforce.absoluteString); \(bin.lastPathComponent) build")

// MARK: change → write latency

let spotioToken = try await send("POST", spotio.appendingPathComponent("api/users/apitoken"),
                                 json: ["clientId": SpotioApp.demoCredentials.clientId, "secret": SpotioApp.demoCredentials.secret]).object["accessToken"] as? String ?? ""
let sf = SalesforceApp.demoCredentials
let sfToken = try await send("POST", salesforce.appendingPathComponent("services/oauth2/token"), form: "grant_type=client_credentials",
                             headers: ["Authorization": "Basic " + Data("\(sf.clientID):\(sf.clientSecret)".utf8).base64EncodedString()])
    .object["access_token"] as? String ?? ""
var latencies: [Double] = []
for n in 1...changes {
    let last = "Bench\(n)x\(UUID().uuidString.prefix(6))"
    let fields: [[String: Any]] = [["fieldId": "101", "value": "\(last) Roofing"], ["fieldId": "102", "value": "Hugo"],
                                   ["fieldId": "103", "value": last], ["fieldId": "104", "value": "\(last.lowercased())@example.com"]]
    let started = ContinuousClock.now
    let created = try await send("POST", spotio.appendingPathComponent("api/DataObjects"), json: ["dataObject": ["typeId": 1, "stageId": 15, "fields": fields]],
                                 headers: ["Authorization": "Bearer \(spotioToken)"])
    guard let id = created.object["id"] as? String else { throw Failure("SPOTIO create: \(created.status) \(created.text)") }
    let q = "SELECT Id FROM Lead WHERE Spotio_Id__c = '\(id)'".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
    let query = URL(string: salesforce.absoluteString + "/services/data/v60.0/query?q=\(q)")!
    while true {
        let r = try await send("GET", query, headers: ["Authorization": "Bearer \(sfToken)"])
        if (r.object["totalSize"] as? Int ?? 0) > 0 { break }
        if ContinuousClock.now - started > .seconds(60) { throw Failure("lead \(id) did not reach Salesforce within 60 s") }
        try await Task.sleep(for: .milliseconds(5))
    }
    let c = (ContinuousClock.now - started).components
    latencies.append(Double(c.seconds) * 1000 + Double(c.attoseconds) / 1e15)
}
report("change_to_write_p50", percentile(latencies, 0.5), "ms (\(changes) SPOTIO creates, one at a time; Salesforce polled every 5 ms)")
report("change_to_write_p90", percentile(latencies, 0.9), "ms")
report("change_to_write_p99", percentile(latencies, 0.99), "ms")

// MARK: webhooks accepted per second, under wrk

func inbox() async throws -> [String: Int] {
    let text = try await send("GET", serviceURL.appendingPathComponent("metrics")).text
    var out: [String: Int] = [:]
    for line in text.split(separator: "\n") where line.hasPrefix("crosswalk_webhook_inbox{") {
        guard let state = line.split(separator: "\"").dropFirst().first, let value = line.split(separator: " ").last.flatMap({ Double($0) }) else { continue }
        out[String(state)] = Int(value)
    }
    return out
}
let before = try await inbox()
let perThread = 50_000
let key = SymmetricKey(data: Data(secret.utf8))
// One file of deliveries per wrk thread ("signature TAB body" lines), read by the thread's init: a Lua chunk
// holding 100,000 literals would pass Lua's limit of 65,536 constants per function.
for thread in 0..<2 {
    var lines = ""
    for i in 0..<perThread {
        // Distinct deliveries (ids SPOTIO does not have: processing looks them up and skips them).
        let body = #"{"payload":[{"type":"lead.added","date":"2026-01-01T00:00:00Z","data":{"id":"eeee\#(thread)\#(String(format: "%014d", i))"}}]}"#
        let signature = HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: key).map { String(format: "%02x", $0) }.joined()
        lines += signature + "\t" + body + "\n"
    }
    try Data(lines.utf8).write(to: dir.appendingPathComponent("deliveries-\(thread + 1).txt"))
}
let lua = """
local threads = {}
function setup(thread) thread:set("slot", #threads + 1); table.insert(threads, thread) end
function init(args)
  mine = {}
  for line in io.lines("\(dir.path)/deliveries-" .. slot .. ".txt") do
    local tab = line:find("\\t", 1, true)
    table.insert(mine, {line:sub(tab + 1), line:sub(1, tab - 1)})
  end
  i = 0
end
function request()
  i = i % #mine + 1
  local d = mine[i]
  return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["X-Signature"] = d[2]}, d[1])
end
function done(summary, latency, requests)
  io.write(string.format("WRK non2xx=%d timeouts=%d connect=%d read=%d write=%d\\n", summary.errors.status, summary.errors.timeout, summary.errors.connect, summary.errors.read, summary.errors.write))
end

"""
let script = dir.appendingPathComponent("deliveries.lua")
try Data(lua.utf8).write(to: script)
let load = Process()
load.executableURL = URL(fileURLWithPath: wrk)
load.arguments = ["-t2", "-c\(connections)", "-d\(loadSeconds)s", "--latency", "-s", script.path, hooks.absoluteString]
let wrkOut = Pipe()
load.standardOutput = wrkOut
try load.run()
let wrkText = String(decoding: wrkOut.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
load.waitUntilExit()
func wrkValue(_ prefix: String) -> String? {
    wrkText.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(prefix) }
        .map { $0.trimmingCharacters(in: .whitespaces).dropFirst(prefix.count).trimmingCharacters(in: .whitespaces) }
}
let rate = Double(wrkValue("Requests/sec:") ?? "") ?? 0
report("webhooks_accepted_per_second", rate, "deliveries/s (wrk, 2 threads, \(connections) connections, \(loadSeconds) s; each verified and committed to the inbox before the 200)")
for p in ["50%", "90%", "99%"] { print("serve  accept_latency_\(p.dropLast())".padding(toLength: 42, withPad: " ", startingAt: 0) + "  \(wrkValue(p) ?? "?")") }
guard let errors = wrkText.split(separator: "\n").first(where: { $0.hasPrefix("WRK ") }).map(String.init) else {
    print("serve-benchmark: FAILED — wrk did not run the script (see its messages above):\n\(wrkText)"); exit(1)
}
print("serve  wrk_errors                          \(errors.dropFirst(4))")
if errors.contains("non2xx=") && !errors.contains("non2xx=0 ") { print("serve-benchmark: FAILED — some deliveries were not accepted:\n\(wrkText)"); exit(1) }

// MARK: the inbox working through it

let afterLoad = try await inbox()
let accepted = (afterLoad.values.reduce(0, +)) - (before.values.reduce(0, +))
let doneAtStart = afterLoad["done"] ?? 0
let drainStart = ContinuousClock.now
try await Task.sleep(for: .seconds(10))
let afterDrain = try await inbox()
let drained = (afterDrain["done"] ?? 0) + (afterDrain["failed"] ?? 0) - doneAtStart - (afterLoad["failed"] ?? 0)
let drainSeconds = Double((ContinuousClock.now - drainStart).components.seconds)
report("deliveries_in_inbox_after_load", Double(accepted), "deliveries (pending \(afterLoad["pending"] ?? 0))")
report("inbox_processed_per_second", Double(drained) / max(1, drainSeconds), "deliveries/s (each parsed by the plugin and synced through the engine)")

let shutdown = serve.stop()
report("sigterm_to_exit", shutdown, "s (the batch in flight finished, the rest left in the inbox for the next start)")
sandbox.stop()
try? FileManager.default.removeItem(at: dir)
exit(0)
