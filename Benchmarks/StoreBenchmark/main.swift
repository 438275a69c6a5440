// Measures the SQLite store's ID map at scale: batched inserts, single and batch lookups, size on
// disk and peak memory.
//
//     swift run -c release store-benchmark [mappings]     (default 1,000,000)
import CrosswalkStore
import CrosswalkStoreSQLite
import Foundation
import Logging

/// A small seeded generator, so every run looks up the same ids.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

let total = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 1_000_000
let batchSize = 1_000
let link = "sf-prod~ns-prod"
/// Salesforce-like 18-character ids on side A, NetSuite-like internal ids on side B.
func aID(_ n: Int) -> String { "003" + String(repeating: "0", count: 15 - String(n).count) + String(n) }
func bID(_ n: Int) -> String { String(1_000_000 + n) }
let fingerprint = String(repeating: "9f86d081884c7d65", count: 4)

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func rate(_ count: Int, _ duration: Duration) -> String {
    "\(Int((Double(count) / seconds(duration)).rounded()))/s (\(String(format: "%.2f", seconds(duration))) s)"
}

let folder = FileManager.default.temporaryDirectory.appendingPathComponent("store-benchmark-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }
let path = folder.appendingPathComponent("bench.db").path
let store = try await SQLiteStore.open(path: path, logger: Logger(label: "store-benchmark"))
let clock = ContinuousClock()
print("store-benchmark: \(total) mappings, SQLite in WAL mode with synchronous=FULL")

let run = try await store.startRun(flow: "bench", trigger: .initialImport)
let inserting = try await clock.measure {
    for start in stride(from: 0, to: total, by: batchSize) {
        let mappings = (start..<min(start + batchSize, total)).map {
            MappingUpsert(
                link: link, a: RecordRef(connection: "sf-prod", object: "Contact", id: aID($0)),
                b: RecordRef(connection: "ns-prod", object: "contact", id: bID($0)), bFingerprint: fingerprint)
        }
        try await store.commitBatch(BatchCommit(flow: "bench", run: run, mappings: mappings))
    }
}
print("id-map inserts, batches of \(batchSize): \(rate(total, inserting))")

var random = SplitMix64(state: 42)
let singles = 100_000
for side in [LinkSide.a, .b] {
    let ids = (0..<singles).map { _ in Int.random(in: 0..<total, using: &random) }
    let (connection, object) = side == .a ? ("sf-prod", "Contact") : ("ns-prod", "contact")
    var found = 0
    let looking = try await clock.measure {
        for n in ids {
            let id = side == .a ? aID(n) : bID(n)
            if try await store.mapping(link: link, side: side, record: RecordRef(connection: connection, object: object, id: id)) != nil { found += 1 }
        }
    }
    precondition(found == singles, "every looked-up id is mapped")
    print("single lookups \(side == .a ? "A→B" : "B→A"): \(rate(singles, looking))")
}

let batches = 1_000
let perLookup = 500
let batchLookups = (0..<batches).map { _ in (0..<perLookup).map { _ in aID(Int.random(in: 0..<total, using: &random)) } }
var foundInBatches = 0
let batchLooking = try await clock.measure {
    for ids in batchLookups {
        foundInBatches += try await store.mappings(link: link, side: .a, connection: "sf-prod", object: "Contact", ids: ids).count
    }
}
precondition(foundInBatches == batchLookups.reduce(0) { $0 + Set($1).count }, "every looked-up id is mapped")
print("batch lookups of \(perLookup) A→B: \(rate(batches, batchLooking)) = \(Int(Double(foundInBatches) / seconds(batchLooking))) ids/s")

await store.close()
let bytes = try ["", "-wal", "-shm"].reduce(0) { sum, suffix in
    let file = path + suffix
    guard FileManager.default.fileExists(atPath: file) else { return sum }
    return sum + ((try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0)
}
print("database on disk: \(String(format: "%.1f", Double(bytes) / 1_048_576)) MB (\(bytes / total) bytes per mapping)")

var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
// Pages of the memory-mapped database count as file-backed RSS: shared, clean, reclaimable.
let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
let split = status.split(separator: "\n").filter { $0.hasPrefix("RssAnon") || $0.hasPrefix("RssFile") }
    .map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }.joined(separator: ", ")
print("max RSS: \(String(format: "%.1f", Double(usage.ru_maxrss) / 1024)) MB (at exit: \(split))")
