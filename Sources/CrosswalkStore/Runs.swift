import Foundation

/// The id of a run, unique in one store.
public typealias RunID = Int64

/// What started a run.
public enum RunTrigger: String, Sendable, Hashable, Codable, CaseIterable {
    case schedule
    case webhook
    /// "Sync now" for one record or a whole flow, from the dashboard or the API.
    case manual
    case initialImport = "initial_import"
    /// The failed-record queue retrying what failed before.
    case retry
}

/// Where a run stands.
public enum RunStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case running
    case succeeded
    /// Finished, but some records failed.
    case partial
    case failed
    case cancelled
}

/// What the plan decided for one record.
public enum SyncAction: String, Sendable, Hashable, Codable, CaseIterable {
    case create, update, skip, delete
}

/// How writing one record went.
public enum SyncOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    case ok, failed, skipped
}

/// How many records a run created, updated, deleted, skipped and failed, counted from its log.
public struct RunCounts: Sendable, Hashable, Codable {
    public var created = 0
    public var updated = 0
    public var deleted = 0
    public var skipped = 0
    public var failed = 0

    public init(created: Int = 0, updated: Int = 0, deleted: Int = 0, skipped: Int = 0, failed: Int = 0) {
        self.created = created
        self.updated = updated
        self.deleted = deleted
        self.skipped = skipped
        self.failed = failed
    }

    /// Counts one log entry: a failure as failed, a skip (by action or outcome) as skipped,
    /// otherwise by its action.
    public mutating func add(_ entry: SyncLogEntry) {
        switch (entry.outcome, entry.action) {
        case (.failed, _): failed += 1
        case (.skipped, _), (.ok, .skip): skipped += 1
        case (.ok, .create): created += 1
        case (.ok, .update): updated += 1
        case (.ok, .delete): deleted += 1
        }
    }
}

/// One run of one flow.
public struct Run: Sendable, Hashable {
    public var id: RunID
    public var flow: String
    public var trigger: RunTrigger
    public var status: RunStatus
    public var startedAt: Date
    public var finishedAt: Date?
    public var counts: RunCounts

    public init(id: RunID, flow: String, trigger: RunTrigger, status: RunStatus, startedAt: Date, finishedAt: Date?, counts: RunCounts) {
        self.id = id
        self.flow = flow
        self.trigger = trigger
        self.status = status
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.counts = counts
    }
}

/// One line of the sync log: what happened to one record in one run.
public struct SyncLogEntry: Sendable, Hashable {
    public var source: RecordRef
    /// The record written (or that would have been), when known.
    public var target: RecordRef?
    public var action: SyncAction
    public var outcome: SyncOutcome
    /// Why a record was skipped or failed, in words a business admin understands.
    public var reason: String?
    public var durationMs: Int
    /// When it happened (stored with millisecond precision).
    public var at: Date

    public init(source: RecordRef, target: RecordRef?, action: SyncAction, outcome: SyncOutcome, reason: String? = nil, durationMs: Int, at: Date) {
        self.source = source
        self.target = target
        self.action = action
        self.outcome = outcome
        self.reason = reason
        self.durationMs = durationMs
        self.at = at
    }
}
