// The child process of the engine's crash test: runs one flow with the real parts — the SQLite
// store, the vault, the plugin loader, the generic HTTP connector (`dev.crosswalk.httpprobe`)
// writing to the Aritic emulator over HTTP, and the Memory plugin as a made-up source — until it
// has synced everything or is killed.
//
//     crosswalk-engine-crash-child one-way <folder> <aritic-url> <records> <chunk>
//     crosswalk-engine-crash-child two-way <folder> <aritic-a-url> <aritic-b-url> <chunk>
//
// `<folder>` holds the database (crosswalk.db) and the vault key (vault.key), kept across
// restarts. One-way: contacts `gen-1…gen-N` of the Memory plugin → Aritic contacts, external id
// `crm_id` = the source id. Two-way: Aritic A contacts ↔ Aritic B contacts, each carrying its
// origin marker in `crm_id`, matched on it both ways. The line "chunk N" goes to stdout after each
// committed batch and "done created=C updated=U skipped=S failed=F" at the end.
import CrosswalkAuth
import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkEngine
import CrosswalkFlows
import CrosswalkHTTP
import CrosswalkPlugins
import CrosswalkRuntime
import CrosswalkStore
import CrosswalkStoreSQLite
import Foundation
import Logging

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("crosswalk-engine-crash-child: \(message)\n".utf8))
    exit(64)
}

let args = Array(CommandLine.arguments.dropFirst())
guard args.count == 5, ["one-way", "two-way"].contains(args[0]), let chunk = Int(args[4]) else {
    fail("usage: one-way <folder> <aritic-url> <records> <chunk> | two-way <folder> <aritic-a-url> <aritic-b-url> <chunk>")
}
let twoWay = args[0] == "two-way"
let folder = URL(fileURLWithPath: args[1])
var logger = Logger(label: "crosswalk.engine.crash-child")
logger.logLevel = .warning

let keyFile = folder.appendingPathComponent("vault.key").path
if !FileManager.default.fileExists(atPath: keyFile) { try VaultKeys.writeNewKey(toFile: keyFile) }
let bin = RuntimeOptions.runningExecutableFolder()
// In-process plugins: the test measures the engine's recovery, not the worker's.
let config = DeploymentConfig(plugins: PluginsConfig(paths: [], enabled: ["dev.crosswalk.httpprobe", "dev.crosswalk.memory"], isolation: PluginIsolationSetting.none),
                              store: .sqlite(path: folder.appendingPathComponent("crosswalk.db").path), vault: .keyFile(keyFile))
let runtime = try await HostRuntime.open(Deployment(config: config, file: "crash-child", options: RuntimeOptions(executableFolder: bin)), logger: logger)
let store = runtime.store
let aritic = BasicCredentials(username: "admin", password: "aritic-demo-password")
guard let probe = runtime.scan.plugin("dev.crosswalk.httpprobe"), let memory = runtime.scan.plugin("dev.crosswalk.memory") else {
    fail("the httpprobe and memory plugins were not found in \(bin)")
}

/// The Aritic contacts object for the generic connector.
func ariticContacts(_ url: String) -> ConfigValue {
    [
        "base_url": .string(url), "check_path": "/api/contacts?limit=1",
        "objects": ["Contact": [
            "read": "/api/contacts?minimal=1", "records": "contacts", "fields": "fields.all",
            "offset": ["start": "start", "limit": "limit", "size": 100],
            "write": "/api/contacts/new", "id": "contact.id",
            "get": "/api/contacts/{id}", "get_record": "contact",
            "update": "/api/contacts/{id}/edit",
            "batch": ["create": "/api/contacts/batch/new", "records": "contacts", "errors": "errors", "id": "id"],
            "search": ["eq": "/api/contacts?minimal=1&limit=0&where[0][col]={field}&where[0][expr]=eq&where[0][val]={value}",
                       "in": "/api/contacts?minimal=1&limit=0&where[0][col]={field}&where[0][expr]=in", "in_value": "&where[0][val][]={value}"],
        ]],
    ]
}

func open(_ name: String, _ plugin: LoadedPlugin, _ settings: ConfigValue, credentials: Bool) async throws -> EngineConnector {
    if credentials { try await runtime.vault.store(.basic(aritic), name: name) }
    return EngineConnector(client: try await runtime.client(for: ConnectionConfig(name: name, connector: plugin.id, settings: settings), plugin: plugin))
}

let copy = "firstname = firstname\nlastname = lastname\ncrm_id = crm_id"
let flow: Flow
var connectors: [String: EngineConnector] = [:]
if twoWay {
    connectors["aritic-a"] = try await open("aritic-a", probe, ariticContacts(args[2]), credentials: true)
    connectors["aritic-b"] = try await open("aritic-b", probe, ariticContacts(args[3]), credentials: true)
    flow = Flow(name: "crash-two-way", source: FlowSource(connection: "aritic-a", object: "Contact"),
                targets: [FlowTarget(name: "contact", connection: "aritic-b", object: "Contact", matchKeys: [.field("crm_id")], mapping: copy)],
                direction: .twoWay(TwoWaySync(reverseMapping: copy, reverseMatchKeys: [.field("crm_id")])))
} else {
    guard let records = Int(args[3]) else { fail("records must be a number") }
    connectors["memory"] = try await open("memory", memory, ["generate": .int(records)], credentials: false)
    connectors["aritic"] = try await open("aritic", probe, ariticContacts(args[2]), credentials: true)
    flow = Flow(name: "crash-one-way", source: FlowSource(connection: "memory", object: "Contact"),
                targets: [FlowTarget(name: "contact", connection: "aritic", object: "Contact", matchKeys: [.externalID("crm_id")],
                                     mapping: "firstname = FirstName\nlastname = LastName\ncrm_id = _id")])
}

let engine = SyncEngine(store: store, connectors: connectors, compiler: MappingLanguageCompiler(),
                        configuration: EngineConfiguration(chunkSize: chunk), logger: logger)
let chunks = LockedValue(0)
let report = try await engine.run(flow, options: RunOptions(progress: { _ in
    let n = chunks.withLock { $0 += 1; return $0 }
    FileHandle.standardOutput.write(Data("chunk \(n)\n".utf8))
}))
FileHandle.standardOutput.write(Data("done created=\(report.counts.created) updated=\(report.counts.updated) skipped=\(report.counts.skipped) failed=\(report.counts.failed) recovered=\(report.recovered)\n".utf8))
await runtime.close()
