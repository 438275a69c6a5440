import CrosswalkPluginKit

/// The read cursor. A position in (modification time, id) order plus what the run needs:
///
/// - `list`: a full read by list paging (`after`), under `upper`;
/// - `window`: search for times after `t` (from `t` when `atT` names records read at `t`) up to `upper`, sorted by time;
/// - `tie`: search for records at exactly `t` with ids above `id`, sorted by id (a page whose records all share one
///   millisecond goes on here, so none is lost or repeated);
/// - `archived`: the archived list, for records archived after `deletedSince` up to `upper`;
/// - `caught`: caught up to `t`; the next run takes a new `upper` and starts `lookback_ms` before `t`.
///
/// `seen` holds the records read with times in the lookback span (id → time), so a record searched again is dropped
/// unless it changed since; `floor` is where `seen` is complete from when it had to be cut short.
struct HubSpotCursor: Sendable, Equatable {
    enum Phase: String, Sendable { case list, window, tie, archived, caught }

    var phase: Phase
    var t: Int64
    var id: Int64
    var upper: Int64?
    var after: String?
    var deletedSince: Int64
    var seen: [String: Int64]
    var floor: Int64?
    /// Ids already read at exactly `t` (the window's next page starts at `t` inclusive and skips them; the tie skips them).
    var atT: [String] = []

    static let version = 1
    /// Most entries `seen` keeps (a cursor stays small; the lookback shrinks to what they cover).
    static let maxSeen = 2_000

    init(phase: Phase, t: Int64, id: Int64 = 0, upper: Int64? = nil, after: String? = nil, deletedSince: Int64, seen: [String: Int64] = [:], floor: Int64? = nil) {
        self.phase = phase
        self.t = t
        self.id = id
        self.upper = upper
        self.after = after
        self.deletedSince = deletedSince
        self.seen = seen
        self.floor = floor
    }

    init?(_ value: JSONValue?) throws {
        guard let value, !value.isNull else { return nil }
        guard value["v"]?.intValue == Self.version, let phase = value["phase"]?.stringValue.flatMap(Phase.init(rawValue:)),
              let t = value["t"]?.int64Value else {
            throw ConnectorError(.invalidArgument, "not a HubSpot cursor (version \(Self.version) expected): \(value.text.prefix(200))")
        }
        self.phase = phase
        self.t = t
        id = value["id"]?.int64Value ?? 0
        upper = value["upper"]?.int64Value
        after = value["after"]?.stringValue
        deletedSince = value["deleted_since"]?.int64Value ?? t
        seen = (value["seen"]?.objectValue ?? [:]).compactMapValues(\.int64Value)
        floor = value["floor"]?.int64Value
        atT = (value["at_t"]?.arrayValue ?? []).compactMap(\.stringValue)
    }

    var json: JSONValue {
        var out: [String: JSONValue] = ["v": .number(JSONNumber(Self.version)), "phase": .string(phase.rawValue), "t": .number(JSONNumber(t)),
                                        "deleted_since": .number(JSONNumber(deletedSince))]
        if id != 0 { out["id"] = .number(JSONNumber(id)) }
        if let upper { out["upper"] = .number(JSONNumber(upper)) }
        if let after { out["after"] = .string(after) }
        if !seen.isEmpty { out["seen"] = .object(seen.mapValues { .number(JSONNumber($0)) }) }
        if let floor { out["floor"] = .number(JSONNumber(floor)) }
        if !atT.isEmpty { out["at_t"] = .array(atT.map(JSONValue.string)) }
        return .object(out)
    }

    /// Whether a record searched again was read already at this time or later.
    func alreadyRead(_ id: String, _ ms: Int64) -> Bool { seen[id].map { $0 >= ms } ?? false }

    /// Notes a record read; ``prune(lookback:)`` after each page forgets what lies before the span.
    mutating func remember(_ id: String, _ ms: Int64, lookback: Int64) {
        guard lookback > 0 else { return }
        seen[id] = max(seen[id] ?? ms, ms)
    }

    mutating func prune(lookback: Int64) {
        let from = t - lookback
        if seen.count > Self.maxSeen / 2 { seen = seen.filter { $0.value >= from } }
        if seen.count > Self.maxSeen {
            // Keep the newest; the span before them is no longer deduplicated, so the next run looks back only to there.
            let cut = seen.values.sorted(by: >)[Self.maxSeen - 1]
            seen = seen.filter { $0.value > cut }
            floor = max(floor ?? cut, cut + 1)
        }
    }
}
