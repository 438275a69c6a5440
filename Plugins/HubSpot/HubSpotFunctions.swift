import CrosswalkPluginKit
import Foundation

// Mapping functions (crosswalk.h, "Mapping functions"): HubSpot's date properties hold midnight UTC of the date,
// in epoch milliseconds ("Date picker" properties: "the value must be set as midnight UTC").

/// `hs_date(string) -> string`: `2024-05-01` (or an RFC 3339 time's date as written, or epoch ms) as `1714521600000`;
/// null stays null.
@_cdecl("crosswalk_fn_hs_date")
public func crosswalkFunctionHubSpotDate(_ text: UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>? {
    MappingFunctions.string {
        guard let text = MappingFunctions.argument(text), !text.isEmpty else { return nil }
        guard let ms = HubSpotTime.midnightMillis(text) else { throw ConnectorError(.invalidArgument, "hs_date: \"\(text)\" is not a date") }
        return String(ms)
    }
}

/// `hs_date_ms(string) -> int64`: the same as a number (null or a non-date is an error).
@_cdecl("crosswalk_fn_hs_date_ms")
public func crosswalkFunctionHubSpotDateMillis(_ text: UnsafePointer<CChar>?) -> Int64 {
    MappingFunctions.value(0) {
        guard let text = MappingFunctions.argument(text), let ms = HubSpotTime.midnightMillis(text) else {
            throw ConnectorError(.invalidArgument, "hs_date_ms: \(MappingFunctions.argument(text).map { "\"\($0)\"" } ?? "null") is not a date")
        }
        return ms
    }
}

/// `hs_date_text(string) -> string`: a HubSpot date value (epoch ms, or an RFC 3339 time) as `2024-05-01`, in UTC.
@_cdecl("crosswalk_fn_hs_date_text")
public func crosswalkFunctionHubSpotDateText(_ text: UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>? {
    MappingFunctions.string {
        guard let text = MappingFunctions.argument(text), !text.isEmpty else { return nil }
        guard let ms = HubSpotTime.millis(text) else { throw ConnectorError(.invalidArgument, "hs_date_text: \"\(text)\" is not a HubSpot date value") }
        return HubSpotTime.dateText(ms)
    }
}
