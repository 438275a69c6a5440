import CrosswalkPluginKit

/// The read cursor: a position in (SystemModstamp, Id) order plus what the current run holds open.
///
/// ```json
/// {"v":1,"object":"Contact","phase":"changes","ts":"2024-05-01T09:30:00Z","id":"003…",
///  "upper":"2024-05-02T08:00:00Z","next":"/services/data/v60.0/queryAll/0r8…-2000","sel":"9f…"}
/// ```
/// - `ts`/`id`: the last record delivered (exclusive); `ts` without `id`: every record stamped at or
///   before `ts` was delivered; neither: the beginning.
/// - `upper`: the run's upper bound, taken when it started (null once caught up): a record stamped
///   later was changed during the run and is read by the next one.
/// - `phase`: `full` (the first import, live records only), `bulk` (the first import of a large
///   object through a Bulk API 2.0 query job `job`, result set `locator`, `skip` rows of it
///   delivered, restarted from `from_ts`/`from_id` if the job is lost), `changes` (`queryAll`:
///   updates, deletes and merges).
/// - `next`: the open query's `nextRecordsUrl`, valid while the selection `sel` is the same.
struct SalesforceCursor: Sendable, Equatable {
    enum Phase: String, Sendable { case full, bulk, changes }

    var object: String
    var phase: Phase
    var ts: Int64?
    var id: String?
    var upper: Int64?
    var next: String?
    var selection: String?
    var job: String?
    var locator: String?
    var skip = 0
    var fromTS: Int64?
    var fromID: String?
    var jobFailures = 0

    /// The cursor of a first read: a full import from the beginning.
    static func beginning(_ object: String) -> SalesforceCursor { SalesforceCursor(object: object, phase: .full) }

    init(object: String, phase: Phase, ts: Int64? = nil, id: String? = nil) {
        self.object = object
        self.phase = phase
        self.ts = ts
        self.id = id
    }

    init(_ value: JSONValue, object: String) throws {
        func bad(_ why: String) -> ConnectorError {
            ConnectorError(.invalidArgument, "the cursor is not one this connector wrote (\(why)): \(value.text.prefix(200))")
        }
        guard value["v"]?.intValue == 1, let phaseName = value["phase"]?.stringValue, let phase = Phase(rawValue: phaseName) else {
            throw bad("no v:1 and phase")
        }
        guard let owner = value["object"]?.stringValue else { throw bad("no object") }
        guard owner.lowercased() == object.lowercased() else {
            throw ConnectorError(.invalidArgument, "this cursor belongs to \(owner), not \(object)")
        }
        func time(_ key: String) throws -> Int64? {
            guard let raw = value[key], !raw.isNull else { return nil }
            guard let text = raw.stringValue, let s = SalesforceTime.seconds(text) else { throw bad("\(key) is not a time") }
            return s
        }
        func text(_ key: String) -> String? { value[key]?.stringValue }
        self.object = owner
        self.phase = phase
        ts = try time("ts")
        id = text("id")
        upper = try time("upper")
        next = text("next")
        selection = text("sel")
        job = text("job")
        locator = text("locator")
        skip = value["skip"]?.intValue ?? 0
        fromTS = try time("from_ts")
        fromID = text("from_id")
        jobFailures = value["job_failures"]?.intValue ?? 0
        if let next, !next.hasPrefix("/services/data/") { throw bad("next is not a query locator path") }
        if let id, !SalesforceIDs.isWellFormed(id) { throw bad("id is not a record id") }
        if let fromID, !SalesforceIDs.isWellFormed(fromID) { throw bad("from_id is not a record id") }
        if phase == .bulk, let job, !SalesforceIDs.isWellFormed(job) { throw bad("job is not a job id") }
    }

    var json: JSONValue {
        var o: [String: JSONValue] = ["v": 1, "object": .string(object), "phase": .string(phase.rawValue)]
        func put(_ key: String, _ value: String?) { if let value { o[key] = .string(value) } }
        put("ts", ts.map(SalesforceTime.text))
        put("id", id)
        put("upper", upper.map(SalesforceTime.text))
        put("next", next)
        put("sel", selection)
        put("job", job)
        put("locator", locator)
        if skip > 0 { o["skip"] = .number(JSONNumber(skip)) }
        put("from_ts", fromTS.map(SalesforceTime.text))
        put("from_id", fromID)
        if jobFailures > 0 { o["job_failures"] = .number(JSONNumber(jobFailures)) }
        return .object(o)
    }

    /// The SOQL condition for records after the position (nil at the beginning).
    var afterPosition: String? { Self.after(ts: ts, id: id) }

    static func after(ts: Int64?, id: String?) -> String? {
        guard let ts else { return nil }
        let stamp = SOQL.dateTime(ts)
        guard let id else { return "SystemModstamp > \(stamp)" }
        return "SystemModstamp >= \(stamp) AND (SystemModstamp > \(stamp) OR Id > \(SOQL.quote(id)))"
    }
}
