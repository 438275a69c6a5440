// The child process of the store's crash-safety test: it commits batches until it is killed.
//
//     crosswalk-store-crash-child <database> <records-per-batch>
//
// <database> is a SQLite file, or a postgres:// URL (password in CROSSWALK_STORE_PASSWORD).
//
// Batch k is one `commitBatch` of flow "crash" holding <records-per-batch> ID-map rows of link
// "crash" (each with a_fingerprint "k"), as many sync-log rows (each with reason "k") and the cursor
// {"batch":k} of object "Record". The line "begin k" goes to stdout just before the batch is
// committed and "committed k" just after. The test kills the process with SIGKILL on a "begin"
// line, so the kill lands while the batch is being written, and checks that only whole batches
// survived.
import CrosswalkStore
import CrosswalkStoreSQLite
import CrosswalkStorePostgres
import Foundation
import Logging

let arguments = CommandLine.arguments
guard arguments.count == 3, let perBatch = Int(arguments[2]), perBatch > 0 else {
    FileHandle.standardError.write(Data("usage: crosswalk-store-crash-child <database> <records-per-batch>\n".utf8))
    exit(64)
}

let logger = Logger(label: "crosswalk.store.crash-child")
let store: any Store
if arguments[1].hasPrefix("postgres://") {
    let password = ProcessInfo.processInfo.environment["CROSSWALK_STORE_PASSWORD"]
    store = try await PostgresStore.open(try PostgresStoreConfiguration(url: arguments[1], password: password, maximumConnections: 2), logger: logger)
} else {
    store = try await SQLiteStore.open(path: arguments[1], logger: logger)
}
let run = try await store.startRun(flow: "crash", trigger: .manual)

// Bounded, so a child whose parent never kills it still ends.
for batch in 0..<100_000 {
    let sources = (0..<perBatch).map { RecordRef(connection: "src", object: "Record", id: "\(batch)-\($0)") }
    FileHandle.standardOutput.write(Data("begin \(batch)\n".utf8))
    try await store.commitBatch(BatchCommit(
        flow: "crash",
        run: run,
        mappings: sources.map {
            MappingUpsert(link: "crash", a: $0, b: RecordRef(connection: "dst", object: "Record", id: "t\($0.id)"), aFingerprint: "\(batch)")
        },
        log: sources.map { SyncLogEntry(source: $0, target: nil, action: .create, outcome: .ok, reason: "\(batch)", durationMs: 1, at: Date()) },
        cursor: CursorUpdate(object: "Record", json: #"{"batch":\#(batch)}"#)))
    FileHandle.standardOutput.write(Data("committed \(batch)\n".utf8))
}
