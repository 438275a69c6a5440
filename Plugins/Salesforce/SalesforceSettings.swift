import CrosswalkPluginKit

/// The connection's settings (`settings` in the manifest), checked once when the instance is made.
struct SalesforceSettings: Sendable {
    /// `60.0`: paths go under `/services/data/v60.0/`.
    var apiVersion: String
    /// Full reads of objects holding more records than this use Bulk API 2.0 query jobs.
    var bulkThreshold: Int
    /// Calls stop once `Sforce-Limit-Info` says this share of the daily API requests is used (0–100).
    var quotaStopPercent: Double
    /// Rows per Bulk API 2.0 result set fetched at once (`maxRecords`), served to the host page by page.
    var bulkResultSetSize: Int
    /// First wait between polls of a Bulk API 2.0 query job, doubled up to 10 s.
    var bulkPollMilliseconds: Int
    /// Records stamped this close to the org's "now" are left to the next run (whole-second
    /// SystemModstamp: writes may still land in the current second).
    var settleSeconds: Int
    /// The org id outbound messages must carry when the host does not give connection facts.
    var organizationID: String?

    static let defaultAPIVersion = "60.0"

    init(_ settings: JSONValue) throws {
        func integer(_ name: String, _ fallback: Int, _ range: ClosedRange<Int>) throws -> Int {
            guard let raw = settings[name], !raw.isNull else { return fallback }
            guard let n = raw.intValue, range.contains(n) else {
                throw ConnectorError(.invalidArgument, "setting \(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), got \(raw.text)")
            }
            return n
        }
        let version = settings["api_version"]?.stringValue ?? settings["api_version"]?.numberValue?.text ?? Self.defaultAPIVersion
        let parts = version.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let major = Int(parts[0]), major >= 31, parts[1] == "0" else {
            throw ConnectorError(.invalidArgument, "setting api_version must look like \"60.0\" (31.0 or later), got \"\(version)\"")
        }
        apiVersion = version
        bulkThreshold = try integer("bulk_threshold", 50_000, 0...Int(Int32.max))
        bulkResultSetSize = try integer("bulk_result_set_size", 10_000, 200...100_000)
        bulkPollMilliseconds = try integer("bulk_poll_ms", 1_000, 1...60_000)
        settleSeconds = try integer("settle_seconds", 2, 1...3_600)
        if let raw = settings["quota_stop_percent"], !raw.isNull {
            guard let p = raw.doubleValue, p > 0, p <= 100 else {
                throw ConnectorError(.invalidArgument, "setting quota_stop_percent must be a number above 0 and at most 100, got \(raw.text)")
            }
            quotaStopPercent = p
        } else {
            quotaStopPercent = 90
        }
        if let org = settings["organization_id"]?.stringValue {
            guard let normalized = SalesforceIDs.normalized(org), normalized.hasPrefix("00D") else {
                throw ConnectorError(.invalidArgument, "setting organization_id must be an org id (00D…), got \"\(org)\"")
            }
            organizationID = normalized
        }
    }

    /// `/services/data/v60.0`
    var dataPath: String { "/services/data/v\(apiVersion)" }
}
