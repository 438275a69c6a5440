// Issue 17: what the shared store costs, and how work splits between hosts.
//
//     swift run -c release shared-store-benchmark [records-per-batch] [batches]
//
// 1. The store's cost per committed batch (ID-map rows, sync-log rows and the cursor in one
//    transaction, as the engine commits them), SQLite (WAL, synchronous=FULL) against PostgreSQL
//    (fsync on), and PostgreSQL with the fencing check of a lease.
// 2. Records/s with one, two and three hosts on the same work: six flows of committed batches; each
//    "host" is a PostgresStore of its own (its own connection pool) that takes a flow's lease, commits
//    the flow's batches under its fencing token and gives the lease up — the coordination and store
//    part of `crosswalk serve`, without the apps (the engine's own cost is engine-benchmark's).
//
// PostgreSQL: CROSSWALK_BENCH_POSTGRES_URL (+ _PASSWORD), else a durable throw-away server started
// with scripts/pg-test-server.sh (CROSSWALK_PG_DURABLE=1).
import CrosswalkStore
import CrosswalkStorePostgres
import CrosswalkStoreSQLite
import Foundation
import Logging

let perBatch = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 200
let batches = CommandLine.arguments.dropFirst(2).first.flatMap { Int($0) } ?? 100
let logger = Logger(label: "shared-store-benchmark")
let clock = ContinuousClock()

func seconds(_ duration: Duration) -> Double { Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18 }

func batch(flow: String, run: RunID, number: Int) -> BatchCommit {
    let sources = (0..<perBatch).map { RecordRef(connection: "src", object: "Contact", id: "\(flow)-\(number)-\($0)") }
    return BatchCommit(
        flow: flow, run: run,
        mappings: sources.map { MappingUpsert(link: "src~dst", a: RecordRef(connection: "dst", object: "contact", id: "t" + $0.id), b: $0, aFingerprint: "f") },
        log: sources.map { SyncLogEntry(source: $0, target: nil, action: .create, outcome: .ok, reason: nil, durationMs: 1, at: Date()) },
        cursor: CursorUpdate(object: "Contact", json: #"{"batch":\#(number)}"#))
}

// MARK: The PostgreSQL server

struct Server { let url: String; let password: String?; let folder: String? }

func server() throws -> Server {
    let environment = ProcessInfo.processInfo.environment
    if let url = environment["CROSSWALK_BENCH_POSTGRES_URL"] { return Server(url: url, password: environment["CROSSWALK_BENCH_POSTGRES_PASSWORD"], folder: nil) }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shared-store-benchmark-pg-\(UUID().uuidString)").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = [root.appendingPathComponent("scripts/pg-test-server.sh").path, "start", folder, "--watch", String(getpid())]
    process.environment = environment.merging(["CROSSWALK_PG_DURABLE": "1"]) { $1 }
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let url = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw CrosswalkBenchmarkError.serverDidNotStart }
    let password = try String(contentsOfFile: folder + "/password", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    return Server(url: url, password: password, folder: folder)
}

enum CrosswalkBenchmarkError: Error { case serverDidNotStart }

let pg = try server()
/// A new database on the server (through the store's own connection to `postgres`).
func newDatabase() async throws -> PostgresStoreConfiguration {
    let name = "bench_\(getpid())_\(UUID().uuidString.prefix(8).lowercased().replacingOccurrences(of: "-", with: ""))"
    let admin = try PostgresStoreConfiguration(url: pg.url, password: pg.password)
    try await PostgresStore.createDatabase(name, on: admin, logger: logger)
    return admin.with(database: name)
}

print("shared-store-benchmark: \(perBatch) records a batch, \(batches) batches; PostgreSQL \(pg.folder == nil ? "given" : "started here (fsync on)")")

// MARK: 1. Cost per committed batch

func measureCommits(_ store: any Store, fencing: LeaseToken?, label: String) async throws {
    let run = try await store.startRun(flow: "cost", trigger: .initialImport)
    let prepared = (0..<batches).map { batch(flow: "cost", run: run, number: $0) }
    let elapsed = try await clock.measure {
        try await Fencing.$lease.withValue(fencing) {
            for b in prepared { try await store.commitBatch(b) }
        }
    }
    let perCommit = seconds(elapsed) / Double(batches) * 1000
    print(String(format: "  %@: %.2f ms a batch, %.0f records/s", label, perCommit, Double(batches * perBatch) / seconds(elapsed)))
}

print("1. the store's cost per committed batch (\(perBatch) mappings + \(perBatch) log rows + cursor):")
do {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shared-store-benchmark-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let sqlite = try await SQLiteStore.open(path: folder.appendingPathComponent("bench.db").path, logger: logger)
    try await measureCommits(sqlite, fencing: nil, label: "SQLite (WAL, synchronous=FULL)")
    await sqlite.close()
    let postgres = try await PostgresStore.open(try await newDatabase(), logger: logger)
    try await measureCommits(postgres, fencing: nil, label: "PostgreSQL (loopback, fsync on)  ")
    let lease = try await postgres.acquireLease(name: "flow:cost", holder: "bench", ttl: .seconds(600))
    try await measureCommits(postgres, fencing: lease, label: "PostgreSQL with the lease check ")
    try await postgres.close()
}

// MARK: 2. One, two and three hosts on the same work

let flows = (0..<6).map { "flow-\($0)" }
let perFlow = max(1, batches / 3)

/// Every host goes round the flows, taking whichever lease is free and running a flow not run yet;
/// returns how many flows were run (each exactly once).
func runHosts(_ stores: [PostgresStore], work: [String: RunID]) async throws -> Int {
    try await withThrowingTaskGroup(of: Int.self) { group in
        for (index, store) in stores.enumerated() {
            group.addTask {
                var done = 0
                for flow in flows.shuffled() {
                    guard let lease = try await store.acquireLease(name: "flow:\(flow)", holder: "host-\(index)", ttl: .seconds(60)) else { continue }
                    if try await store.cursor(flow: flow, object: "Contact") == nil {
                        try await Fencing.$lease.withValue(lease) {
                            for number in 0..<perFlow { try await store.commitBatch(batch(flow: flow, run: work[flow]!, number: number)) }
                        }
                        done += 1
                    }
                    // The lease is kept (a finished flow stays this host's), as a serving host keeps it until it dies.
                }
                return done
            }
        }
        return try await group.reduce(0, +)
    }
}
print("2. records/s with 1, 2 and 3 hosts on the same work (\(flows.count) flows × \(perFlow) batches × \(perBatch) records):")
for hosts in 1...3 {
    let configuration = try await newDatabase()
    var stores: [PostgresStore] = []
    for _ in 0..<hosts { stores.append(try await PostgresStore.open(configuration, logger: logger)) }
    let setup = stores[0]
    var runs: [String: RunID] = [:]
    for flow in flows { runs[flow] = try await setup.startRun(flow: flow, trigger: .initialImport) }
    let work = runs
    let elapsed = try await clock.measure {
        let finished = try await runHosts(stores, work: work)
        precondition(finished == flows.count, "every flow ran exactly once (\(finished))")
    }
    let records = flows.count * perFlow * perBatch
    let counts = try await setup.mappingCount(link: "src~dst")
    precondition(counts == records, "every record committed once")
    print(String(format: "  %d host%@: %.0f records/s (%.2f s)", hosts, hosts == 1 ? " " : "s", Double(records) / seconds(elapsed), seconds(elapsed)))
    for store in stores { try await store.close() }
}
