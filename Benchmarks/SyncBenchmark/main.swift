// Issue 15's end-to-end benchmark: N Salesforce contacts synced into another sandbox app through the
// real host — the five apps' emulators in a child process on loopback, the connector plugins in
// worker processes (the default isolation), the sync engine, the vault, libcurl and a SQLite store —
// printing records/s, API calls per 1,000 records and peak memory of each process, then a second run
// (it must write nothing).
//
//     for p in sync-benchmark CrosswalkSalesforce CrosswalkNetSuite CrosswalkHubSpot; do swift build -c release --product $p; done
//     .build/release/sync-benchmark [--contacts 100000] [--to netsuite,hubspot]
//
// `--to netsuite` is seed 001's flow as `crosswalk init --template salesforce-contacts-to-netsuite`
// writes it (a model of Email, FirstName and LastName; empty LastName filtered out; NetSuite's REST
// record service takes one record per call). `--to hubspot` upserts the same contacts into HubSpot
// by e-mail through its batch API (100 a call, paced under 190 calls per 10 s).
import CrosswalkAuth
import CrosswalkCore
import CrosswalkEngine
import CrosswalkPlugins
import CrosswalkRuntime
import CrosswalkSandbox
import CrosswalkStore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging

// Plugins run in worker processes; this program is its own worker (`sync-benchmark plugin-worker …`)
// and its own sandbox (`sync-benchmark sandbox`), so no release build of `crosswalk` is needed.
if CommandLine.arguments.count > 1, CommandLine.arguments[1] == "plugin-worker" {
    exit(PluginWorker.main(arguments: Array(CommandLine.arguments.dropFirst(2))))
}
if CommandLine.arguments.count > 1, CommandLine.arguments[1] == "sandbox" {
    try await SandboxChild.serve()
    exit(0)
}

struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

// MARK: options

var contacts = 100_000
var targets = ["netsuite", "hubspot"]
var arguments = Array(CommandLine.arguments.dropFirst())[...]
while let flag = arguments.popFirst() {
    guard let value = arguments.popFirst() else { print("sync-benchmark: \(flag) needs a value"); exit(2) }
    switch flag {
    case "--contacts":
        guard let n = Int(value), n > 0 else { print("sync-benchmark: --contacts needs a positive number"); exit(2) }
        contacts = n
    case "--to":
        targets = value.split(separator: ",").map { String($0) }
        if let bad = targets.first(where: { !["netsuite", "hubspot"].contains($0) }) {
            print("sync-benchmark: no target app '\(bad)' (known: netsuite, hubspot)"); exit(2)
        }
    default:
        print("sync-benchmark: unknown option \(flag) (use --contacts N, --to netsuite,hubspot)"); exit(2)
    }
}

// MARK: the sandbox in a child process

/// `sync-benchmark sandbox`: the five emulators on free loopback ports, one JSON line of their URLs
/// on stdout, served until stdin closes (the parent ended).
enum SandboxChild {
    static func serve() async throws {
        var logger = Logger(label: "sync-benchmark-sandbox")
        logger.logLevel = .critical
        let webhooks = SandboxWebhookDispatcher(logger: logger, maxAttempts: 1, firstRetryDelay: .milliseconds(50))
        let server = try SandboxServer(configuration: SandboxConfiguration(basePort: 0, tlsApps: [], seedCount: 0, handlesSignals: false),
                                       apps: SandboxApps.all(webhooks: webhooks), webhooks: webhooks, logger: logger)
        Thread.detachNewThread {
            while FileHandle.standardInput.availableData.count > 0 {}
            exit(0)
        }
        try await server.run { readiness in
            let urls = readiness.urls.mapValues(\.absoluteString)
            let line = String(decoding: try! JSONSerialization.data(withJSONObject: urls, options: [.sortedKeys]), as: UTF8.self)
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
    }
}

/// Starts `sync-benchmark sandbox` and waits for its URL line.
func startSandbox() throws -> (process: Process, urls: [String: URL], stdin: Pipe) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    process.arguments = ["sandbox"]
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    var line = Data()
    while !line.contains(UInt8(ascii: "\n")) {
        let chunk = output.fileHandleForReading.availableData
        if chunk.isEmpty { throw Failure("the sandbox child ended before it was ready") }
        line.append(chunk)
    }
    guard let object = try JSONSerialization.jsonObject(with: line.prefix { $0 != UInt8(ascii: "\n") }) as? [String: String] else {
        throw Failure("the sandbox child printed no URLs")
    }
    return (process, object.compactMapValues { URL(string: $0) }, input)
}

// MARK: measuring

/// Peak and current resident memory of a process, from /proc/PID/status, in MiB.
func memory(pid: Int32) -> (peak: Double, now: Double) {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return (0, 0) }
    func value(_ key: String) -> Double {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return 0 }
        return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
    }
    return (value("VmHWM"), value("VmRSS"))
}

/// The plugin worker processes this host started (children whose command line names plugin-worker).
func workerPIDs() -> [Int32] {
    let me = getpid()
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { Int32($0) }.filter { pid in
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 1, Int32(fields[1]) == me,
              let cmdline = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline")) else { return false }
        return String(decoding: cmdline, as: UTF8.self).contains("plugin-worker")
    }
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

/// One `name  metric  value unit` row.
func report(_ name: String, _ metric: String, _ value: Double, _ unit: String) {
    let shown = value >= 100 || value == value.rounded() ? String(format: "%.0f", value) : String(format: "%.2f", value)
    print("\(name.padding(toLength: 22, withPad: " ", startingAt: 0))  \(metric.padding(toLength: 30, withPad: " ", startingAt: 0))  \(shown) \(unit)")
}

/// The sandbox's control endpoints, over plain HTTP outside the host.
func control(_ base: URL, _ path: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
    var request = URLRequest(url: base.appendingPathComponent("__sandbox").appendingPathComponent(path))
    if let body {
        request.httpMethod = "POST"
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    }
    let (data, response) = try await URLSession.shared.data(for: request)
    guard (response as? HTTPURLResponse)?.statusCode == 200 else {
        throw Failure("sandbox control \(path) answered \((response as? HTTPURLResponse)?.statusCode ?? 0): \(String(decoding: data, as: UTF8.self))")
    }
    return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
}

func calls(_ urls: [String: URL], _ apps: [String]) async throws -> [String: Int] {
    var out: [String: Int] = [:]
    for app in apps { out[app] = try await control(urls[app]!, "counters")["total"] as? Int ?? 0 }
    return out
}

// MARK: the flows

/// Salesforce contacts upserted into HubSpot contacts by e-mail (batch API).
let salesforceToHubSpot = FlowTemplate(
    name: "salesforce-contacts-to-hubspot", summary: "Salesforce contacts → HubSpot contacts by e-mail",
    connections: [.salesforce, .hubspotCRM],
    flowsYAML: """
          salesforce-contacts-to-hubspot:
            source: {connection: salesforce, object: Contact}
            criteria: '!empty(Email)'
            targets:
              - name: contact
                connection: hubspot-crm
                object: contacts
                mode: upsert
                match_keys: [email]
                mapping: |
                  email     = lower(trim(Email))
                  firstname = FirstName ?? ""
                  lastname  = LastName ?? ""
                  phone     = Phone ?? ""
                  jobtitle  = Title ?? ""
        """,
    flows: ["salesforce-contacts-to-hubspot"])

let templates: [String: FlowTemplate] = ["netsuite": .salesforceContactsToNetSuite, "hubspot": salesforceToHubSpot]

// MARK: the run

var logger = Logger(label: "sync-benchmark")
logger.logLevel = .critical
let sandbox = try startSandbox()
defer { sandbox.process.terminate() }
guard let salesforce = sandbox.urls["salesforce"] else { throw Failure("the sandbox has no Salesforce") }

print("sync-benchmark: \(contacts) Salesforce contacts → \(targets.joined(separator: ", ")), sandbox on loopback (child process), plugins in workers, SQLite store")
let stamp = Date().addingTimeInterval(-7200)
var seeded = 0
while seeded < contacts {
    let n = min(50_000, contacts - seeded)
    _ = try await control(salesforce, "app/bulk_create", ["object": "Contact", "count": n,
                                                          "systemModstamp": stamp.addingTimeInterval(Double(seeded / 50_000) * 60).formatted(.iso8601)])
    seeded += n
}
report("salesforce", "seeded_contacts", Double(seeded), "records")
report("sandbox", "rss_after_seeding", memory(pid: sandbox.process.processIdentifier).now, "MiB")

for app in targets {
    let template = templates[app]!
    let flowName = template.flows[0]
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sync-benchmark-\(app)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let config = folder.appendingPathComponent("crosswalk.yaml")
    try Data(FlowTemplate.deployment([template], urls: sandbox.urls).utf8).write(to: config)
    try VaultKeys.writeNewKey(toFile: folder.appendingPathComponent("vault.key").path)

    let runtime = try await HostRuntime.open(RuntimeOptions(configPath: config.path), logger: logger)
    for (name, credentials) in template.credentials(urls: sandbox.urls) { try await runtime.vault.store(credentials, name: name) }
    for plugin in template.plugins where runtime.scan.plugin(plugin) == nil {
        throw Failure("\(plugin) is not beside sync-benchmark: for p in CrosswalkSalesforce CrosswalkNetSuite CrosswalkHubSpot; do swift build -c release --product $p; done")
    }
    let flows = FlowService(runtime: runtime)
    let label = "→ \(app)"
    let hostBefore = memory(pid: getpid())
    let callsBefore = try await calls(sandbox.urls, template.apps)
    let cpuBefore = cpuSeconds()
    let first = try await flows.run(flowName)
    let cpuFirst = cpuSeconds() - cpuBefore
    let callsMiddle = try await calls(sandbox.urls, template.apps)
    let written = first.counts.created + first.counts.updated
    let wall = seconds(first.duration)
    report(label, "records_read", Double(first.read), "records")
    report(label, "records_written", Double(written), "records (created \(first.counts.created), updated \(first.counts.updated))")
    report(label, "records_skipped", Double(first.counts.skipped), "records (criteria)")
    report(label, "records_failed", Double(first.counts.failed), "records")
    report(label, "first_run", wall, "s")
    report(label, "records_per_second", Double(first.read) / wall, "records/s (read, mapped, written, committed)")
    for a in template.apps {
        let n = (callsMiddle[a] ?? 0) - (callsBefore[a] ?? 0)
        report(label, "api_calls_\(a)", Double(n), "calls (\(String(format: "%.1f", Double(n) * 1000 / Double(max(1, first.read)))) per 1,000 records)")
    }
    report(label, "host_cpu_first_run", cpuFirst, "s (this process: engine, host services, libcurl, SQLite)")
    report(label, "host_peak_rss", memory(pid: getpid()).peak, "MiB (before the run \(String(format: "%.1f", hostBefore.now)) MiB)")
    for pid in workerPIDs() { report(label, "worker_\(pid)_peak_rss", memory(pid: pid).peak, "MiB") }
    report(label, "sandbox_peak_rss", memory(pid: sandbox.process.processIdentifier).peak, "MiB (the emulators, not Crosswalk)")

    let second = try await flows.run(flowName)
    let callsAfter = try await calls(sandbox.urls, template.apps)
    let rewritten = second.counts.created + second.counts.updated + second.counts.deleted
    report(label, "second_run", seconds(second.duration), "s, wrote \(rewritten)")
    for a in template.apps { report(label, "second_run_api_calls_\(a)", Double((callsAfter[a] ?? 0) - (callsMiddle[a] ?? 0)), "calls") }
    await runtime.close()
    if first.counts.failed > 0 || rewritten > 0 || written + first.counts.skipped != first.read {
        print("sync-benchmark: FAILED — \(first.counts.failed) failed, \(rewritten) rewritten on the second run, \(first.read - written - first.counts.skipped) unaccounted")
        exit(1)
    }
}
