import CrosswalkCore
import Foundation

/// The CRM object types the HubSpot emulator serves: the four it seeds (contacts, companies, deals, invoices) and the
/// other standard objects and engagements connectors read (tickets, calls, emails, meetings, notes, tasks, products,
/// line items, quotes…), which start empty.
enum HubSpotObjectType: String, CaseIterable, Codable, Sendable, Comparable {
    case contacts, companies, deals, invoices
    case tickets, calls, emails, meetings, notes, tasks, products
    case lineItems = "line_items"
    case quotes, communications
    case postalMail = "postal_mail"
    case leads
    case feedbackSubmissions = "feedback_submissions"
    case goalTargets = "goal_targets"

    /// HubSpot's object type id, as association responses and schemas carry it (`0-1` for contacts…)
    /// [doc: developers.hubspot.com/docs/guides/api/crm/understanding-the-crm, "Object type IDs"].
    var typeId: String {
        switch self {
        case .contacts: "0-1"
        case .companies: "0-2"
        case .deals: "0-3"
        case .tickets: "0-5"
        case .products: "0-7"
        case .lineItems: "0-8"
        case .quotes: "0-14"
        case .communications: "0-18"
        case .feedbackSubmissions: "0-19"
        case .tasks: "0-27"
        case .notes: "0-46"
        case .meetings: "0-47"
        case .calls: "0-48"
        case .emails: "0-49"
        case .invoices: "0-53"
        case .goalTargets: "0-74"
        case .postalMail: "0-116"
        case .leads: "0-136"
        }
    }

    /// The singular name used in messages, v3 association names and webhook subscription types (`contact.creation`).
    var singular: String {
        switch self {
        case .companies: "company"
        case .postalMail: "postal_mail"
        case .lineItems: "line_item"
        case .feedbackSubmissions: "feedback_submission"
        case .goalTargets: "goal_target"
        default: String(rawValue.dropLast())
        }
    }

    /// The label HubSpot's schemas give the type (`Contact` / `Contacts`).
    var labels: (singular: String, plural: String) {
        let words = singular.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
        return (words, self == .companies ? "Companies" : words + (words.hasSuffix("s") ? "" : "s"))
    }

    /// Engagements (calls, emails, meetings, notes, tasks, communications, postal mail) carry `hs_timestamp`.
    var isEngagement: Bool { [.calls, .emails, .meetings, .notes, .tasks, .communications, .postalMail].contains(self) }

    /// Resolves a path segment: plural, singular, type id, any case (`contacts`, `contact`, `0-1`, `line_items`).
    init?(pathSegment: String) {
        let s = pathSegment.lowercased()
        guard let match = Self.byName[s] else { return nil }
        self = match
    }

    private static let byName: [String: HubSpotObjectType] = {
        var map: [String: HubSpotObjectType] = [:]
        for type in allCases {
            map[type.rawValue] = type
            map[type.singular] = type
            map[type.typeId] = type
        }
        return map
    }()

    /// The property that holds the last-modified time HubSpot filters on for this type.
    var lastModifiedProperty: String { self == .contacts ? "lastmodifieddate" : "hs_lastmodifieddate" }

    /// The property holding the creation time.
    var createdProperty: String { Self.hsCreateDate.contains(self) ? "hs_createdate" : "createdate" }

    /// Types whose creation time is `hs_createdate` (the others use `createdate`).
    private static let hsCreateDate: Set<HubSpotObjectType> = [.invoices, .calls, .emails, .meetings, .notes, .tasks, .products,
                                                                 .lineItems, .quotes, .communications, .postalMail, .leads,
                                                                 .feedbackSubmissions, .goalTargets]

    /// The properties returned when a request names none [doc: "Search the CRM", default properties per object].
    var defaultProperties: [String] {
        switch self {
        case .contacts: ["createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"]
        case .companies: ["createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"]
        case .deals: ["amount", "closedate", "createdate", "dealname", "dealstage", "hs_lastmodifieddate", "hs_object_id", "pipeline"]
        case .tickets: ["content", "createdate", "hs_lastmodifieddate", "hs_object_id", "hs_pipeline", "hs_pipeline_stage",
                        "hs_ticket_category", "hs_ticket_priority", "subject"]
        case .products: ["createdate", "description", "hs_lastmodifieddate", "hs_object_id", "name", "price"]
        case .lineItems: ["amount", "createdate", "hs_lastmodifieddate", "hs_object_id", "hs_product_id", "name", "price", "quantity"]
        case .quotes: ["hs_createdate", "hs_expiration_date", "hs_lastmodifieddate", "hs_object_id", "hs_public_url_key",
                       "hs_status", "hs_title"]
        default: ["hs_createdate", "hs_lastmodifieddate", "hs_object_id"]
        }
    }

    /// Properties always returned when a request names some (HubSpot adds them to any selection).
    var alwaysReturned: [String] {
        switch self {
        case .contacts: ["createdate", "hs_object_id", "lastmodifieddate"]
        default: [createdProperty, "hs_lastmodifieddate", "hs_object_id"]
        }
    }

    /// Text properties the search `query` matches.
    var queryProperties: [String] {
        switch self {
        case .contacts: ["firstname", "lastname", "email", "phone", "company"]
        case .companies: ["name", "domain", "website", "phone"]
        case .deals: ["dealname"]
        case .invoices: ["hs_number"]
        case .tickets: ["subject", "content"]
        case .products, .lineItems: ["name", "description"]
        case .quotes: ["hs_title"]
        default: ["hs_body_preview"]
        }
    }

    /// Properties the emulator maintains itself: set on write, never accepted from a client.
    var systemProperties: Set<String> { Self.system[self] ?? [] }

    private static let system: [HubSpotObjectType: Set<String>] = Dictionary(uniqueKeysWithValues: allCases.map { type in
        var names: Set<String> = ["hs_object_id", "hs_lastmodifieddate"]
        if type == .contacts { names.insert("lastmodifieddate") }
        if type.createdProperty == "hs_createdate" { names.insert("hs_createdate") }
        return (type, names)
    })

    static func < (l: Self, r: Self) -> Bool { l.rawValue < r.rawValue }
}
