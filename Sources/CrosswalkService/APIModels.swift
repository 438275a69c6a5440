import CrosswalkCore
import CrosswalkEngine
import CrosswalkFlows
import CrosswalkRuntime
import CrosswalkStore
import Foundation

// The admin API's JSON documents (snake_case members, RFC 3339 times), as described in
// openapi.yaml. Each is made from the runtime's own types in one place.

struct RecordRefDTO: Codable, Sendable {
    var connection: String
    var object: String
    var id: String
    init(_ r: RecordRef) { connection = r.connection; object = r.object; id = r.id }
}

struct CountsDTO: Codable, Sendable {
    var created, updated, deleted, skipped, failed: Int
    init(_ c: RunCounts) { created = c.created; updated = c.updated; deleted = c.deleted; skipped = c.skipped; failed = c.failed }
}

struct PluginDTO: Codable, Sendable {
    var id: String?
    var version: String?
    var abi: String?
    var language: String?
    var enabled: Bool
    var status: String
    var reason: String?
    var path: String
}

struct ConnectionDTO: Codable, Sendable {
    var name: String
    var connector: String
    var credentials_stored: Bool
    var scheme: String?
    var token: String
    /// `config` (the config file) or `api` (created through the API).
    var origin: String?
}

struct ConnectionTestDTO: Codable, Sendable {
    var connection: String
    var ok: Bool
    var message: String
    var code: String?
}

struct RunDTO: Codable, Sendable {
    var id: Int64
    var flow: String
    var trigger: String
    var status: String
    var started_at: Date
    var finished_at: Date?
    var counts: CountsDTO
    init(_ r: Run) {
        id = r.id; flow = r.flow; trigger = r.trigger.rawValue; status = r.status.rawValue
        started_at = r.startedAt; finished_at = r.finishedAt; counts = CountsDTO(r.counts)
    }
}

struct TargetDTO: Codable, Sendable {
    var name: String
    var connection: String
    var object: String
    var mode: String?
    var mapping: String?
    var criteria: String?
}

struct FlowDTO: Codable, Sendable {
    var name: String
    var description: String?
    var enabled: Bool
    /// `config` (the file's `enabled:`) or `api` (set through enable/disable).
    var enabled_by: String
    var source: RecordObjectDTO
    var targets: [TargetDTO]
    var direction: String
    var schedule: String?
    var running: Bool
    var next_run_at: Date?
    var last_run: RunDTO?
    var criteria: String?
    /// `config` (the config file) or `api` (created through the API).
    var origin: String?
}

struct RecordObjectDTO: Codable, Sendable {
    var connection: String
    var object: String
}

struct PlanDTO: Codable, Sendable {
    var source: RecordRefDTO
    var step: String?
    var action: String
    var outcome: String
    var reason: String?
    var target: RecordRefDTO?
    var call: String?
}

struct ReportDTO: Codable, Sendable {
    var flow: String
    var run: Int64?
    var status: String
    var dry_run: Bool
    var read: Int
    var counts: CountsDTO
    var reasons: [String: Int]
    var plans: [PlanDTO]
    var calls: [String]
    var stopped_early: Bool
    var duration_ms: Int
    init(_ r: RunReport) {
        flow = r.flow; run = r.run; status = r.status.rawValue; dry_run = r.dryRun; read = r.read; counts = CountsDTO(r.counts)
        reasons = r.reasons
        plans = r.plans.map {
            PlanDTO(source: RecordRefDTO($0.source), step: $0.step, action: $0.action.rawValue, outcome: $0.outcome.rawValue,
                    reason: $0.reason, target: $0.target.map(RecordRefDTO.init), call: $0.call)
        }
        calls = r.calls.map(\.description)
        stopped_early = r.stoppedEarly
        duration_ms = Int(r.duration.components.seconds * 1000 + r.duration.components.attoseconds / 1_000_000_000_000_000)
    }
}

struct LogEntryDTO: Codable, Sendable {
    var run: Int64?
    var source: RecordRefDTO
    var target: RecordRefDTO?
    var action: String
    var outcome: String
    var reason: String?
    var duration_ms: Int
    var at: Date
    init(_ e: SyncLogEntry, run: RunID? = nil) {
        self.run = run
        source = RecordRefDTO(e.source); target = e.target.map(RecordRefDTO.init); action = e.action.rawValue
        outcome = e.outcome.rawValue; reason = e.reason; duration_ms = e.durationMs; at = e.at
    }
}

struct FailedDTO: Codable, Sendable {
    var flow: String
    var source: RecordRefDTO
    var code: String
    var message: String
    var attempts: Int
    var first_failed_at: Date
    var updated_at: Date
    var next_retry_at: Date
    var waiting_on: RecordRefDTO?
    init(_ f: FailedRecord) {
        flow = f.failure.flow; source = RecordRefDTO(f.failure.source); code = f.failure.errorCode.rawValue
        message = f.failure.message; attempts = f.attempts; first_failed_at = f.firstFailedAt; updated_at = f.updatedAt
        next_retry_at = f.failure.nextRetryAt; waiting_on = f.failure.waitingOn.map(RecordRefDTO.init)
    }
}

struct TwinDTO: Codable, Sendable {
    var link: String
    var record: RecordRefDTO
    var twin: RecordRefDTO
    var updated_at: Date
}

struct ReconcileTargetDTO: Codable, Sendable {
    var step: String
    var target: RecordObjectDTO
    var source_records: Int
    var qualifying: Int
    var target_records: Int
    var mapped: Int
    var missing_count: Int
    var missing: [RecordRefDTO]
    var orphan_count: Int
    var orphans: [RecordRefDTO]
    var stale_count: Int
    var duplicates: Int
    var clean: Bool
}

struct ReconcileDTO: Codable, Sendable {
    var flow: String
    var clean: Bool
    var targets: [ReconcileTargetDTO]
    init(_ r: ReconcileReport) {
        flow = r.flow
        targets = r.targets.map { t in
            ReconcileTargetDTO(step: t.step, target: RecordObjectDTO(connection: t.target.connection, object: t.target.object),
                               source_records: t.sourceRecords, qualifying: t.qualifying, target_records: t.targetRecords, mapped: t.mapped,
                               missing_count: t.missingCount, missing: t.missing.map(RecordRefDTO.init), orphan_count: t.orphanCount,
                               orphans: t.orphans.map(RecordRefDTO.init), stale_count: t.staleCount, duplicates: t.duplicates.count,
                               clean: t.isClean)
        }
        clean = r.targets.allSatisfy(\.isClean)
    }
}

/// `{"items": [...], "limit": L, "offset": O}`: a page of a list.
struct Page<Item: Codable & Sendable>: Codable, Sendable {
    var items: [Item]
    var limit: Int
    var offset: Int
}

/// `{"items": [...]}`: a whole list.
struct Items<Item: Codable & Sendable>: Codable, Sendable {
    var items: [Item]
}

/// The body of `POST /flows/{flow}/sync`.
struct SyncRequest: Decodable, Sendable {
    var ids: [String]
    var side: String?
}

struct ErrorBody: Codable, Sendable {
    struct Detail: Codable, Sendable {
        var code: String
        var message: String
        var field: String?
    }
    var error: Detail
}
