import CrosswalkCore
import Foundation

/// What the Aritic emulator stores. Contacts and companies are both field-value bags keyed by field alias.
enum AriticKind: String, Codable, Sendable {
    case contacts, companies, segments, hooks

    /// The JSON key of one entity (`contact`, `company`, `list`, `hook`).
    var one: String {
        switch self {
        case .contacts: "contact"
        case .companies: "company"
        case .segments: "list"
        case .hooks: "hook"
        }
    }

    /// The JSON key of a list (`contacts`, `companies`, `lists`, `hooks`).
    var multi: String { self == .segments ? "lists" : rawValue }
}

/// A contact or a company.
struct AriticRecord: Codable, Sendable {
    var id: Int
    /// Field alias → value; empty values are not stored.
    var values: [String: String]
    var dateAdded: Date
    var dateModified: Date?
    var createdBy: Int?
    var modifiedBy: Int?
    var ownerId: Int?
    /// Contact points (companies use `score`, stored here too).
    var points: Int
    var lastActive: Date?
    var dateIdentified: Date?
    var tags: [String]
    var ipAddresses: [String]
}

/// A contact ↔ company association.
struct AriticCompanyLink: Codable, Sendable {
    var contactId: Int
    var companyId: Int
    var dateAdded: Date
    var isPrimary: Bool
}

/// A segment (Mautic "lead list").
struct AriticSegment: Codable, Sendable {
    var id: Int
    var name: String
    var alias: String
    var description: String?
    var isPublished: Bool
    var isGlobal: Bool
    /// The filters as the client sent them (JSON), `[]` by default.
    var filters: Data
    var dateAdded: Date
    var dateModified: Date?
    var createdBy: Int?
    var modifiedBy: Int?
}

/// A contact's membership of a segment; `manuallyRemoved` keeps the exclusion Mautic records.
struct AriticMembership: Codable, Sendable {
    var segmentId: Int
    var contactId: Int
    var dateAdded: Date
    var manuallyAdded: Bool
    var manuallyRemoved: Bool
}

/// A webhook (`/api/hooks`, or registered through the sandbox control API).
struct AriticHook: Codable, Sendable {
    var id: Int
    var name: String
    var webhookURL: String
    var secret: String?
    var events: [String]
    var isPublished: Bool
    var dateAdded: Date
}

struct AriticUser: Codable, Sendable {
    var id: Int
    var username: String
    var firstName: String
    var lastName: String
    var email: String

    var displayName: String { "\(firstName) \(lastName)" }
}

/// An issued OAuth token (the token string is the dictionary key).
struct AriticGrant: Codable, Sendable {
    var userId: Int
    var expiresAt: Date
}

/// An authorization code waiting to be exchanged.
struct AriticAuthCode: Codable, Sendable {
    var redirectURI: String
    var userId: Int
    var expiresAt: Date
}

struct AriticState: Codable, Sendable {
    var contacts: [Int: AriticRecord] = [:]
    var companies: [Int: AriticRecord] = [:]
    /// Company links by contact id, in the order they were made.
    var links: [Int: [AriticCompanyLink]] = [:]
    var segments: [Int: AriticSegment] = [:]
    /// Memberships by segment id, then contact id.
    var memberships: [Int: [Int: AriticMembership]] = [:]
    var hooks: [Int: AriticHook] = [:]
    var accessTokens: [String: AriticGrant] = [:]
    var refreshTokens: [String: AriticGrant] = [:]
    var authCodes: [String: AriticAuthCode] = [:]
    var nextContactId = 1
    var nextCompanyId = 1
    var nextSegmentId = 1
    var nextHookId = 1
    var seedRounds: UInt64 = 0
    /// Ids in ascending order (not saved). Removals go through `setRecord`, which keeps them; a direct insert
    /// changes the count, and `ids` then sorts again.
    private var contactOrder: [Int]?
    private var companyOrder: [Int]?
    /// Lower-cased e-mail → lowest contact id, and lower-cased company name → lowest company id (not saved;
    /// built at the first look-up, kept by `setRecord`, dropped when a removal leaves a gap).
    private var emailIndex: [String: Int]?
    private var companyNameIndex: [String: Int]?

    enum CodingKeys: String, CodingKey {
        case contacts, companies, links, segments, memberships, hooks, accessTokens, refreshTokens, authCodes
        case nextContactId, nextCompanyId, nextSegmentId, nextHookId, seedRounds
    }

    /// All contacts or all companies.
    func records(_ kind: AriticKind) -> [Int: AriticRecord] { kind == .companies ? companies : contacts }

    func record(_ kind: AriticKind, _ id: Int) -> AriticRecord? { kind == .companies ? companies[id] : contacts[id] }

    /// Contact or company ids, lowest first (sorted once after each change, then kept).
    mutating func ids(_ kind: AriticKind) -> [Int] {
        if kind == .companies {
            if let companyOrder, companyOrder.count == companies.count { return companyOrder }
            let sorted = companies.keys.sorted()
            companyOrder = sorted
            return sorted
        }
        if let contactOrder, contactOrder.count == contacts.count { return contactOrder }
        let sorted = contacts.keys.sorted()
        contactOrder = sorted
        return sorted
    }

    /// The contact whose e-mail is `email` (any case), lowest id first.
    mutating func contactId(withEmail email: String) -> Int? {
        if emailIndex == nil { emailIndex = Self.index(contacts, key: "email") }
        return emailIndex?[email.lowercased()]
    }

    /// The company called `name` (any case), lowest id first.
    mutating func companyId(named name: String) -> Int? {
        if companyNameIndex == nil { companyNameIndex = Self.index(companies, key: "companyname") }
        return companyNameIndex?[name.lowercased()]
    }

    private static func index(_ records: [Int: AriticRecord], key: String) -> [String: Int] {
        var index: [String: Int] = [:]
        for (id, record) in records {
            guard let value = record.values[key]?.lowercased(), !value.isEmpty else { continue }
            if let other = index[value], other < id { continue }
            index[value] = id
        }
        return index
    }

    /// Keeps a value index in step with one record's change.
    private static func update(_ index: inout [String: Int]?, old: String?, new: String?, id: Int) {
        guard index != nil else { return }
        let (o, n) = (old?.lowercased() ?? "", new?.lowercased() ?? "")
        guard o != n else { return }
        if !o.isEmpty, index?[o] == id { index = nil; return } // another record may hold the same value: rebuild later
        if !n.isEmpty, index?[n].map({ $0 > id }) ?? true { index?[n] = id }
    }

    /// Stores (or, with `nil`, removes) a contact or company in place.
    mutating func setRecord(_ kind: AriticKind, _ id: Int, _ record: AriticRecord?) {
        if kind == .companies {
            Self.update(&companyNameIndex, old: companies[id]?.values["companyname"], new: record?.values["companyname"], id: id)
        } else {
            Self.update(&emailIndex, old: contacts[id]?.values["email"], new: record?.values["email"], id: id)
        }
        if kind == .companies {
            let known = companies[id] != nil
            let order = companyOrder?.count == companies.count ? companyOrder : nil
            companies[id] = record
            companyOrder = Self.keep(order, id: id, known: known, present: record != nil)
        } else {
            let known = contacts[id] != nil
            let order = contactOrder?.count == contacts.count ? contactOrder : nil
            contacts[id] = record
            contactOrder = Self.keep(order, id: id, known: known, present: record != nil)
        }
    }

    /// The id order after `id` was stored or removed: kept when cheap to keep (an edit, or a new highest id).
    private static func keep(_ order: [Int]?, id: Int, known: Bool, present: Bool) -> [Int]? {
        guard var order else { return nil }
        if known == present { return order }
        if !present {
            guard let index = order.binarySearch(id) else { return nil }
            order.remove(at: index)
            return order
        }
        if present, order.last.map({ $0 < id }) ?? true {
            order.append(id)
            return order
        }
        return nil
    }

    /// Whether the contact is a member of the segment (added, not removed).
    func isMember(_ contactId: Int, of segmentId: Int) -> Bool {
        memberships[segmentId]?[contactId].map { !$0.manuallyRemoved } ?? false
    }
}
