import CrosswalkPluginKit
import Foundation

/// A connection's settings as the connector reads them (declared in the manifest's `settings`).
struct NetSuiteSettings: Sendable {
    /// `https://<account>.suitetalk.api.netsuite.com` (the host resolves every path against it).
    var baseURL: String
    /// The account id (`1234567_SB1`), for messages; optional.
    var accountID: String?
    /// The zone NetSuite reads and prints the integration user's dates in (Set Preferences > Time Zone).
    var timeZone: TimeZone
    /// Seconds taken off NetSuite's clock for a run's upper bound (records saved by slow scripts).
    var readLagSeconds: Int

    static let defaultTimeZone = "UTC"

    init(_ settings: JSONValue) throws {
        guard let base = settings["base_url"]?.stringValue, !base.isEmpty else {
            throw ConnectorError(.invalidArgument,
                                 "setting base_url is missing: the account's REST host, https://<account>.suitetalk.api.netsuite.com (e.g. https://1234567-sb1.suitetalk.api.netsuite.com)")
        }
        baseURL = base.hasSuffix("/") ? String(base.dropLast()) : base
        accountID = settings["account_id"]?.stringValue
        let zoneName = settings["time_zone"]?.stringValue ?? Self.defaultTimeZone
        guard let zone = TimeZone(identifier: zoneName) else {
            throw ConnectorError(.invalidArgument, "setting time_zone \"\(zoneName)\" is not an IANA time zone (e.g. America/Los_Angeles, UTC)")
        }
        timeZone = zone
        if let lag = settings["read_lag_seconds"], !lag.isNull {
            guard let n = lag.intValue, (0...3600).contains(n) else {
                throw ConnectorError(.invalidArgument, "setting read_lag_seconds must be a whole number of seconds from 0 to 3600")
            }
            readLagSeconds = n
        } else {
            readLagSeconds = 0
        }
        if let concurrency = settings["max_concurrency"], !concurrency.isNull {
            guard let n = concurrency.intValue, n >= 1 else {
                throw ConnectorError(.invalidArgument, "setting max_concurrency must be a whole number ≥ 1 (5 on the shared tier, 15 on Tier 1, +10 per SuiteCloud Plus licence)")
            }
        }
    }

    /// How the account is named in messages.
    var accountName: String {
        if let accountID { return "NetSuite account \(accountID)" }
        let host = URL(string: baseURL)?.host ?? baseURL
        return "NetSuite at \(host)"
    }
}
