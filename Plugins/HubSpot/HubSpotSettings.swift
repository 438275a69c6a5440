import CrosswalkPluginKit

/// The connection's settings (never secrets: the host holds the token).
struct HubSpotSettings: Sendable {
    /// Records per page: list pages hold at most 100, search pages at most 200.
    var pageSize: Int
    /// How far behind HubSpot's clock a run's upper bound stays (writes still landing in the current instant).
    var settleMilliseconds: Int
    /// How far before the cursor each incremental run searches again, for records search indexed late
    /// (HubSpot's search index lags writes by seconds, sometimes tens of seconds); re-read records are dropped by
    /// (id, modification time).
    var lookbackMilliseconds: Int
    /// Searches per second (HubSpot's search limit; the manifest keeps to 4).
    var searchPerSecond: Double
    /// Properties read when a read names none: `all` (every property the portal defines) or `default`
    /// (HubSpot's default set).
    var allProperties: Bool

    static let defaultPageSize = 100, defaultSettleMilliseconds = 2_000, defaultLookbackMilliseconds = 60_000
    static let defaultSearchPerSecond = 4.0

    init(_ value: JSONValue) throws {
        func integer(_ name: String, _ fallback: Int, _ range: ClosedRange<Int>) throws -> Int {
            guard let raw = value[name], !raw.isNull else { return fallback }
            guard let n = raw.intValue ?? raw.stringValue.flatMap({ Int($0) }), range.contains(n) else {
                throw ConnectorError(.invalidArgument, "setting \(name) must be an integer in \(range.lowerBound)...\(range.upperBound)")
            }
            return n
        }
        pageSize = try integer("page_size", Self.defaultPageSize, 1...200)
        settleMilliseconds = try integer("settle_ms", Self.defaultSettleMilliseconds, 0...600_000)
        lookbackMilliseconds = try integer("lookback_ms", Self.defaultLookbackMilliseconds, 0...86_400_000)
        searchPerSecond = Double(try integer("search_per_second", Int(Self.defaultSearchPerSecond), 1...5))
        switch value["properties"]?.stringValue ?? "all" {
        case "all": allProperties = true
        case "default": allProperties = false
        default: throw ConnectorError(.invalidArgument, "setting properties must be \"all\" or \"default\"")
        }
    }
}
