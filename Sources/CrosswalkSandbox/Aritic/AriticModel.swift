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
    var links: [AriticCompanyLink] = []
    var segments: [Int: AriticSegment] = [:]
    var memberships: [AriticMembership] = []
    var hooks: [Int: AriticHook] = [:]
    var accessTokens: [String: AriticGrant] = [:]
    var refreshTokens: [String: AriticGrant] = [:]
    var authCodes: [String: AriticAuthCode] = [:]
    var nextContactId = 1
    var nextCompanyId = 1
    var nextSegmentId = 1
    var nextHookId = 1
    var seedRounds: UInt64 = 0

    /// All contacts or all companies.
    func records(_ kind: AriticKind) -> [Int: AriticRecord] { kind == .companies ? companies : contacts }

    func record(_ kind: AriticKind, _ id: Int) -> AriticRecord? { kind == .companies ? companies[id] : contacts[id] }

    /// Stores (or, with `nil`, removes) a contact or company in place.
    mutating func setRecord(_ kind: AriticKind, _ id: Int, _ record: AriticRecord?) {
        if kind == .companies { companies[id] = record } else { contacts[id] = record }
    }
}
