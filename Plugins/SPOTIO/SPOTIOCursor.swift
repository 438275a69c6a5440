import CrosswalkPluginKit

/// The Lead read's cursor (the plugin's own JSON, version 1).
///
/// Caught up: `{"v":1,"mark":<ms>}` — every change stamped at or before `mark` was read. A run takes an upper bound
/// `high` (SPOTIO's clock at its first answer less the settle margin) and reads the window (`low`, `high`]: first the
/// records, newest first, down to `low` (phase `records`, paging with SPOTIO's `scrollId`, `pos` the last record
/// returned), then the deleted feed for the same window (phase `deletes`). Records changed after `high` are skipped
/// and read by the next run, whose window starts at this run's `high`.
struct SPOTIOCursor: Sendable, Equatable {
    enum Phase: String, Sendable { case records, deletes }

    /// Lower bound (exclusive) of the window; `nil` for a first, full read (which skips the deleted feed).
    var low: Int64?
    /// Upper bound (inclusive) of the run's window; `nil` when caught up.
    var high: Int64?
    var phase: Phase = .records
    /// SPOTIO's cursor for the next page of the current phase.
    var scrollId: String?
    /// The last record returned, to resume without a live `scrollId` (it expires).
    var pos: SPOTIOKey?

    /// A caught-up cursor at `mark`.
    static func caughtUp(_ mark: Int64?) -> SPOTIOCursor { SPOTIOCursor(low: mark, high: nil) }

    var isCaughtUp: Bool { high == nil }

    init(low: Int64?, high: Int64?, phase: Phase = .records, scrollId: String? = nil, pos: SPOTIOKey? = nil) {
        self.low = low
        self.high = high
        self.phase = phase
        self.scrollId = scrollId
        self.pos = pos
    }

    init(_ value: JSONValue?) throws {
        guard let value, !value.isNull else { return }
        guard value["v"]?.intValue == 1 else {
            throw ConnectorError(.invalidArgument, "not a SPOTIO Lead cursor (version 1 expected): \(value.text)")
        }
        if let high = value["high"]?.int64Value {
            self.high = high
            low = value["low"]?.int64Value
            phase = Phase(rawValue: value["phase"]?.stringValue ?? "records") ?? .records
            scrollId = value["scrollId"]?.stringValue
            pos = SPOTIOKey(value["pos"])
        } else {
            low = value["mark"]?.int64Value
        }
    }

    var json: JSONValue {
        guard let high else { return ["v": 1, "mark": low.map { .number(JSONNumber($0)) } ?? .null] }
        var out: [String: JSONValue] = ["v": 1, "high": .number(JSONNumber(high)), "phase": .string(phase.rawValue)]
        if let low { out["low"] = .number(JSONNumber(low)) }
        if let scrollId { out["scrollId"] = .string(scrollId) }
        if let pos { out["pos"] = pos.json }
        return .object(out)
    }
}
