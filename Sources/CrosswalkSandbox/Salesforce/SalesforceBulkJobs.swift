import Foundation

/// Bulk API 2.0 query jobs the org holds (*Bulk API 2.0 and Bulk API Developer Guide › Query Jobs*).
///
/// A job keeps the positions of its rows as they were when it was created; its state moves from
/// `UploadComplete` to `InProgress` to `JobComplete` as it is polled (`pollsToComplete` polls, a test
/// control), so clients that poll are exercised deterministically. Jobs and their results are kept 7 days.
struct SalesforceBulkJobs: Sendable {
    enum State: String, Sendable {
        case uploadComplete = "UploadComplete", inProgress = "InProgress", jobComplete = "JobComplete"
        case aborted = "Aborted", failed = "Failed"

        var isFinal: Bool { self == .jobComplete || self == .aborted || self == .failed }
    }

    struct Job: Sendable {
        var id: String
        var operation: String
        var object: String
        var query: String
        var paths: [SOQLFieldPath]
        var positions: [Int32]
        var layout: Int
        var createdBy: String
        var created: Date
        var modstamp: Date
        var state: State
        var polls = 0
        var apiVersion: Double
        var columnDelimiter: String
        var lineEnding: String
        /// Milliseconds the emulator spent running the query (`totalProcessingTime`).
        var processingMillis: Int
        /// Why a `Failed` job failed.
        var errorMessage: String?
    }

    /// How long jobs and their results are kept.
    static let retention: TimeInterval = 7 * 86_400
    /// Query jobs allowed per rolling 24 hours (`DailyBulkV2QueryJobs`).
    static let dailyJobLimit = 10_000
    /// Rows held by all jobs together before the oldest finished jobs are dropped (memory bound).
    static let rowCapacity = 20_000_000
    /// Rows in a results set when `maxRecords` is not given.
    static let defaultMaxRecords = 50_000

    static let delimiters: [String: UInt8] = ["COMMA": 0x2C, "BACKQUOTE": 0x60, "CARET": 0x5E, "PIPE": 0x7C, "SEMICOLON": 0x3B, "TAB": 0x09]

    private(set) var jobs: [String: Job] = [:]
    private(set) var order: [String] = []
    private var sequence = 0
    /// Polls before a job completes (1: the first status read shows JobComplete).
    var pollsToComplete = 2
    /// When set, the next job created fails with this message once polled (a test control).
    var failNext: String?

    mutating func nextID() -> String {
        sequence += 1
        return SalesforceID.make(prefix: "750", sequence: sequence)
    }

    /// When each job of the last 24 hours was created and how many rows it stored (deleted jobs still count).
    private var today: [(created: Date, rows: Int)] = []

    /// Jobs created in the 24 hours before `now`.
    func createdToday(now: Date) -> Int {
        today.filter { $0.created > now.addingTimeInterval(-86_400) }.count
    }

    /// Rows of the jobs created in the last 24 hours, as `DailyBulkV2QueryFileStorageMB` counts them (about 1 KB a row).
    func storedMegabytesToday(now: Date) -> Int {
        today.filter { $0.created > now.addingTimeInterval(-86_400) }.reduce(0) { $0 + $1.rows } / 1024
    }

    mutating func add(_ job: Job, now: Date) {
        expire(now: now)
        today.removeAll { $0.created <= now.addingTimeInterval(-86_400) }
        today.append((job.created, job.positions.count))
        jobs[job.id] = job
        order.append(job.id)
        var held = jobs.values.reduce(0) { $0 + $1.positions.count }
        while held > Self.rowCapacity, let oldest = order.first(where: { jobs[$0]?.state.isFinal == true && $0 != job.id }) {
            held -= jobs[oldest]?.positions.count ?? 0
            remove(oldest)
        }
    }

    mutating func expire(now: Date) {
        for id in order where (jobs[id]?.created ?? now) < now.addingTimeInterval(-Self.retention) { remove(id) }
    }

    func job(_ id: String, now: Date) -> Job? {
        guard let job = jobs[id], job.created >= now.addingTimeInterval(-Self.retention) else { return nil }
        return job
    }

    mutating func update(_ job: Job) { jobs[job.id] = job }

    mutating func remove(_ id: String) {
        jobs[id] = nil
        order.removeAll { $0 == id }
    }

    /// Jobs in creation order.
    var all: [Job] { order.compactMap { jobs[$0] } }
}
