import CrosswalkPluginKit
import Foundation

/// The org's daily API request quota as Salesforce reports it on every REST answer
/// (`Sforce-Limit-Info: api-usage=18/15000`, optionally followed by `; per-app-api-usage=…`).
struct SalesforceQuota: Sendable, Equatable {
    var used: Int
    var max: Int

    /// Parses the header; `nil` when it carries no `api-usage=N/M` part.
    init?(header: String) {
        for part in header.split(separator: ";") {
            let item = part.trimmingCharacters(in: .whitespaces)
            guard item.hasPrefix("api-usage=") else { continue }
            let numbers = item.dropFirst("api-usage=".count).split(separator: "/")
            guard numbers.count == 2, let used = Int(numbers[0]), let max = Int(numbers[1]), max > 0 else { return nil }
            self.used = used
            self.max = max
            return
        }
        return nil
    }

    init(used: Int, max: Int) {
        self.used = used
        self.max = max
    }

    var percent: Double { Double(used) * 100 / Double(max) }

    /// The error a call near the limit stops with: `rate_limited`, with the numbers.
    func stop(threshold: Double) -> ConnectorError {
        let shown = (percent * 10).rounded() / 10
        return ConnectorError(
            .rateLimited,
            "Salesforce API quota: \(used) of \(max) daily API requests used (\(shown)%), at or above the \(threshold.formatted())% this connection stops at; nothing more is called now and the next run resumes from the same cursor (the 24-hour window rolls, or raise quota_stop_percent)",
            retryAfterMilliseconds: 3_600_000,
            details: ["api_usage": .number(JSONNumber(used)), "api_limit": .number(JSONNumber(max)), "stop_percent": .number(JSONNumber(threshold) ?? 90)])
    }
}

extension Double {
    /// `90` or `92.5`: no trailing `.0`.
    fileprivate func formatted() -> String { self == rounded() ? String(Int(self)) : String(self) }
}
