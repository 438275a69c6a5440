import CrosswalkCore
import Foundation

/// The CRM object types the HubSpot emulator serves.
enum HubSpotObjectType: String, CaseIterable, Codable, Sendable, Comparable {
    case contacts, companies, deals, invoices

    /// HubSpot's object type id, as association responses carry it (`0-1` for contacts…).
    var typeId: String {
        switch self {
        case .contacts: "0-1"
        case .companies: "0-2"
        case .deals: "0-3"
        case .invoices: "0-53"
        }
    }

    /// The singular name used in messages and webhook subscription types (`contact.creation`).
    var singular: String {
        switch self {
        case .contacts: "contact"
        case .companies: "company"
        case .deals: "deal"
        case .invoices: "invoice"
        }
    }

    /// Resolves a path segment: plural, singular, type id, any case (`contacts`, `contact`, `0-1`).
    init?(pathSegment: String) {
        let s = pathSegment.lowercased()
        guard let match = Self.allCases.first(where: { $0.rawValue == s || $0.singular == s || $0.typeId == s }) else { return nil }
        self = match
    }

    /// The property that holds the last-modified time HubSpot filters on for this type.
    var lastModifiedProperty: String { self == .contacts ? "lastmodifieddate" : "hs_lastmodifieddate" }

    /// The properties returned when a request names none.
    var defaultProperties: [String] {
        switch self {
        case .contacts: ["createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"]
        case .companies: ["createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"]
        case .deals: ["amount", "closedate", "createdate", "dealname", "dealstage", "hs_lastmodifieddate", "hs_object_id", "pipeline"]
        case .invoices: ["hs_createdate", "hs_lastmodifieddate", "hs_object_id"]
        }
    }

    /// Properties always returned when a request names some (HubSpot adds them to any selection).
    var alwaysReturned: [String] {
        switch self {
        case .contacts: ["createdate", "hs_object_id", "lastmodifieddate"]
        case .invoices: ["hs_createdate", "hs_lastmodifieddate", "hs_object_id"]
        default: ["createdate", "hs_lastmodifieddate", "hs_object_id"]
        }
    }

    /// Text properties the search `query` matches.
    var queryProperties: [String] {
        switch self {
        case .contacts: ["firstname", "lastname", "email", "phone", "company"]
        case .companies: ["name", "domain", "website", "phone"]
        case .deals: ["dealname"]
        case .invoices: ["hs_number"]
        }
    }

    /// Properties the emulator maintains itself: set on write, never accepted from a client.
    var systemProperties: Set<String> {
        var names: Set<String> = ["hs_object_id", "hs_lastmodifieddate"]
        if self == .contacts { names.insert("lastmodifieddate") }
        if self == .invoices { names.insert("hs_createdate") }
        return names
    }

    /// The property holding the creation time.
    var createdProperty: String { self == .invoices ? "hs_createdate" : "createdate" }

    static func < (l: Self, r: Self) -> Bool { l.rawValue < r.rawValue }
}
