import CrosswalkCore
import Foundation

/// A contact or company field (Mautic `lead_fields` row).
struct AriticField: Sendable {
    var id: Int
    var alias: String
    var label: String
    /// `text`, `email`, `tel`, `number`, `lookup`, `region`, `country`, `locale`, `timezone`, `datetime`, `url`, `select`…
    var type: String
    /// `core`, `social`, `personal`, `professional` (contacts) or `core`, `professional`, `other` (companies).
    var group: String
    /// `lead` or `company`.
    var object: String
    var isFixed: Bool
    /// PHP-serialised field properties, as Mautic stores them.
    var properties: String = "a:0:{}"

    var isNumber: Bool { type == "number" }
}

/// The field registry of the instance: Mautic 2.x's default contact and company fields plus one custom field.
enum AriticFields {
    private static func contact(_ id: Int, _ alias: String, _ label: String, _ type: String, _ group: String = "core",
                                fixed: Bool = true) -> AriticField {
        AriticField(id: id, alias: alias, label: label, type: type, group: group, object: "lead", isFixed: fixed)
    }

    private static func company(_ id: Int, _ alias: String, _ label: String, _ type: String, _ group: String = "core",
                                fixed: Bool = true) -> AriticField {
        AriticField(id: id, alias: alias, label: label, type: type, group: group, object: "company", isFixed: fixed)
    }

    static let contactFields: [AriticField] = [
        contact(1, "title", "Title", "lookup"), contact(2, "firstname", "First Name", "text"),
        contact(3, "lastname", "Last Name", "text"), contact(4, "company", "Primary company", "lookup"),
        contact(5, "position", "Position", "text"), contact(6, "email", "Email", "email"),
        contact(7, "mobile", "Mobile", "tel"), contact(8, "phone", "Phone", "tel"),
        contact(9, "points", "Points", "number"), contact(10, "fax", "Fax", "tel"),
        contact(11, "address1", "Address Line 1", "text"), contact(12, "address2", "Address Line 2", "text"),
        contact(13, "city", "City", "text"), contact(14, "state", "State", "region"),
        contact(15, "zipcode", "Zip Code", "text"), contact(16, "country", "Country", "country"),
        contact(17, "preferred_locale", "Preferred Locale", "locale"), contact(18, "timezone", "Preferred Timezone", "timezone"),
        contact(19, "last_active", "Date Last Active", "datetime"), contact(20, "attribution_date", "Attribution Date", "datetime"),
        contact(21, "attribution", "Attribution", "number"), contact(22, "website", "Website", "url"),
        contact(23, "facebook", "Facebook", "text", "social"), contact(24, "foursquare", "Foursquare", "text", "social"),
        contact(25, "instagram", "Instagram", "text", "social"), contact(26, "linkedin", "LinkedIn", "text", "social"),
        contact(27, "skype", "Skype", "text", "social"), contact(28, "twitter", "Twitter", "text", "social"),
        contact(44, "crm_id", "CRM ID", "text", "professional", fixed: false),
    ]

    static let companyFields: [AriticField] = [
        company(29, "companyaddress1", "Address 1", "text"), company(30, "companyaddress2", "Address 2", "text"),
        company(31, "companyemail", "Company Email", "email"), company(32, "companyphone", "Phone", "tel"),
        company(33, "companycity", "City", "text"), company(34, "companystate", "State", "region"),
        company(35, "companyzipcode", "Zip Code", "text"), company(36, "companycountry", "Country", "country"),
        company(37, "companyname", "Company Name", "text"), company(38, "companywebsite", "Website", "url"),
        company(39, "companynumber_of_employees", "Number of Employees", "number", "professional", fixed: false),
        company(40, "companyfax", "Fax", "tel", "professional", fixed: false),
        company(41, "companyannual_revenue", "Annual Revenue", "number", "professional", fixed: false),
        company(42, "companyindustry", "Industry", "select", "professional"),
        company(43, "companydescription", "Description", "text", "professional"),
    ]

    static func fields(_ kind: AriticKind) -> [AriticField] { kind == .companies ? companyFields : contactFields }

    /// The field groups in output order, per object.
    static func groups(_ kind: AriticKind) -> [String] {
        kind == .companies ? ["core", "professional", "other"] : ["core", "social", "personal", "professional"]
    }

    static func field(_ kind: AriticKind, alias: String) -> AriticField? {
        fields(kind).first { $0.alias == alias }
    }
}
