import CrosswalkPluginKit

/// The connection's settings (never secrets: the host holds the API key and mints the bearer token).
struct SPOTIOSettings: Sendable {
    /// The DataObject type the `Lead` object reads and writes; `nil`: the tenant's type named "Lead", else its first type.
    var leadTypeID: String?
    /// Records stamped this close to SPOTIO's clock wait for the next run (search-index lag plus writes landing now).
    var settleSeconds: Int
    /// Batches of at least this many creates or updates go through one bulk job instead of a call per record.
    var bulkThreshold: Int
    /// First wait between polls of a bulk job's progress (doubled up to 5 s).
    var bulkPollMilliseconds: Int
    /// Records per search page (`perPage`, at most 1,000).
    var pageSize: Int

    static let defaultSettleSeconds = 2
    /// A bulk job costs create + upload + start + progress + two result downloads: 6 calls.
    static let defaultBulkThreshold = 6

    init(_ value: JSONValue) throws {
        func integer(_ name: String, _ fallback: Int, _ range: ClosedRange<Int>) throws -> Int {
            guard let raw = value[name], !raw.isNull else { return fallback }
            guard let number = raw.intValue ?? raw.stringValue.flatMap({ Int($0) }), range.contains(number) else {
                throw ConnectorError(.invalidArgument, "setting \(name) must be an integer in \(range.lowerBound)...\(range.upperBound)")
            }
            return number
        }
        let type = value["lead_type_id"]
        leadTypeID = type?.stringValue ?? type?.intValue.map(String.init)
        settleSeconds = try integer("settle_seconds", Self.defaultSettleSeconds, 0...600)
        bulkThreshold = try integer("bulk_threshold", Self.defaultBulkThreshold, 1...1_000_000)
        bulkPollMilliseconds = try integer("bulk_poll_ms", 200, 1...60_000)
        pageSize = try integer("page_size", 1000, 1...1000)
    }
}
