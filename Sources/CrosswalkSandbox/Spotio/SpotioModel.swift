import CrosswalkCore
import Foundation

// The SPOTIO emulator's stored state. Ids are strings on the wire: numeric for configuration
// (types, stages, fields, users, activities), 24-hex ObjectIds for DataObjects, as in the spec's examples.

/// A SPOTIO user (the API key owner is one of them).
struct SpotioUser: Codable, Sendable {
    var id: String
    var firstName: String
    var lastName: String
    var email: String
    /// `Admin`, `Manager` or `Sales Rep`.
    var role: String
    /// `Active`, `Invited` or `Blocked`.
    var status: String
    var phone: String?
    var externalSystemUserId: String?
    var territoryIds: [String]
    var teamsIds: [String]
    var timezone: String?
    var visible: Bool
    var createdAt: Date
    var updatedAt: Date
}

/// A pipeline stage of a DataObject type; `group` is `active`, `won` or `lost`.
struct SpotioStage: Codable, Sendable {
    var id: String
    var name: String
    var color: String
    var group: String
    var lossReasons: [String]
}

/// A field definition of a DataObject type; `type` is a `CustomFieldType` (`Text`, `Email`, `SingleChoice`…).
struct SpotioFieldDefinition: Codable, Sendable {
    var id: String
    var name: String
    var type: String
    /// `FieldSystemRoleDto`: `Company`, `FirstName`, `LastName`, `Phone`, `Email`, `Value`…
    var systemRole: String?
    /// `FieldRoleDto`: `Name` marks the field that names the record.
    var role: String?
    var activeOptions: [String]
    var createdAt: Date

    var isMultiValue: Bool { type == "MultiChoice" }
}

/// A tenant-defined DataObject type (Lead, Customer…) with its stages and fields.
struct SpotioObjectType: Codable, Sendable {
    var id: String
    var name: String
    var hasAddress: Bool
    var hasPhone: Bool
    var hasEmail: Bool
    var stages: [SpotioStage]
    var fields: [SpotioFieldDefinition]

    func stage(_ id: String) -> SpotioStage? { stages.first { $0.id == id } }
    func field(_ id: String) -> SpotioFieldDefinition? { fields.first { $0.id == id } }
    func field(role systemRole: String) -> SpotioFieldDefinition? { fields.first { $0.systemRole == systemRole } }
}

/// An activity template (Door Knock, Phone Call…) and the visit results it offers.
struct SpotioActivityTemplate: Codable, Sendable {
    var id: String
    var name: String
    /// `SystemRole`: `Visit`, `Call`, `Appointment`, `Note`…
    var systemRole: String
    var defaultDuration: Int
    var color: String
    var results: [SpotioActivityResult]
}

struct SpotioActivityResult: Codable, Sendable {
    var id: String
    var name: String
    var color: String
}

/// The map location of a DataObject.
struct SpotioPin: Codable, Sendable, Equatable {
    var id: String
    var lat: Double
    var lng: Double
    var placeId: String?
    var address: String?
    var street: String?
    var houseNumber: String?
    var zip: String?
    var city: String?
    var state: String?
    var country: String?
    var shortAddress: String?
}

/// One custom-field value; multi-choice fields use `values`.
struct SpotioFieldValue: Codable, Sendable, Equatable {
    var fieldId: String
    var value: String?
    var values: [String]?
}

/// A lead/pin/customer record.
struct SpotioDataObject: Codable, Sendable {
    var id: String
    var typeId: String
    var stageId: String
    var ownerId: String
    var pin: SpotioPin
    var source: String?
    var externalDataObjectId: String?
    var fields: [SpotioFieldValue]
    var collaboratorIds: [String]
    var territoryId: String?
    var createdAt: Date
    var updatedAt: Date
    var createdById: String
    var updatedById: String
    var stageUpdatedAt: Date?
    var stageUpdatedById: String?
    var dateOfAssignment: Date?
    var lastVisitDate: Date?
    var lastVisitResultId: String?
    var lastVisitNote: String?
    var lastActivityTime: Date?
    var nextActivityTime: Date?
    var visitsCount: Int
    var callsCount: Int
    var lastCallDate: Date?
    var lastCallResultId: String?
    var textOptedIn: Bool

    func fieldValue(_ fieldId: String) -> SpotioFieldValue? { fields.first { $0.fieldId == fieldId } }
}

/// `Transition` details of an activity that moved a record between stages.
struct SpotioTransition: Codable, Sendable, Equatable {
    var fromStageId: String?
    var toStageId: String?
    var lossReasons: [String]?
}

/// An activity (visit, call, note, meeting…) logged on a DataObject.
struct SpotioActivity: Codable, Sendable {
    var id: String
    var dataObjectId: String?
    /// `Type`: `Note`, `Event`, `Transition`, `Create`, `OwnerChanged`, `Update`.
    var type: String
    var done: Bool
    var title: String?
    var notes: String?
    var date: Date?
    var duration: Int?
    var allDay: Bool
    var allDayDate: String?
    var ownerId: String?
    var activityTemplateId: String?
    var resultId: String?
    var mobileId: String?
    var activityLat: Double?
    var activityLng: Double?
    var transition: SpotioTransition?
    var direction: String?
    var email: String?
    var phoneNumber: String?
    var reference: String?
    var isRead: Bool?
    var createdAt: Date
    var updatedAt: Date
}

/// What `GET /api/DataObjects/deleted` reports about a deleted record.
struct SpotioTombstone: Codable, Sendable {
    var id: String
    var deletedAt: Date
    var deletedById: String
    var record: SpotioDataObject
}

struct SpotioCustomHeader: Codable, Sendable, Equatable {
    var name: String
    var value: String
}

/// A webhook endpoint registered with `POST /api/Webhooks`.
struct SpotioWebhookEndpoint: Codable, Sendable {
    var id: String
    var callback: String
    var scopes: [String]
    var active: Bool
    var customHeaders: [SpotioCustomHeader]
}

/// An issued bearer token (the token string is the dictionary key).
struct SpotioAccessGrant: Codable, Sendable {
    var userId: String
    var issuedAt: Date
    var expiresAt: Date
}

/// A live `scrollId` cursor: a snapshot of matching ids and how far the client has read.
struct SpotioScroll: Codable, Sendable {
    var ids: [String]
    var position: Int
    var pageSize: Int
    var createdAt: Date
    /// The sum of the snapshot's values, worked out once with the snapshot.
    var totalValue: Double?
}

/// Everything the emulator holds; `exportState`/`importState` write and read this as JSON.
struct SpotioState: Codable, Sendable {
    var users: [String: SpotioUser] = [:]
    var types: [SpotioObjectType] = []
    var activityTemplates: [SpotioActivityTemplate] = []
    /// Records by id; every change bumps `dataVersion`.
    var dataObjects: [String: SpotioDataObject] = [:] { didSet { dataVersion &+= 1 } }
    var activities: [String: SpotioActivity] = [:]
    var tombstones: [SpotioTombstone] = []
    var webhooks: [SpotioWebhookEndpoint] = []
    var webhookSecret: String = ""
    var accessTokens: [String: SpotioAccessGrant] = [:]
    var refreshTokens: [String: SpotioAccessGrant] = [:]
    var scrolls: [String: SpotioScroll] = [:]
    /// Monotonic counters for ids.
    var nextObjectNumber: UInt64 = 1
    var nextActivityNumber: Int = 1
    var nextUserNumber: Int = 1001
    var nextWebhookNumber: Int = 1
    var nextScrollNumber: UInt64 = 1
    var seedRounds: UInt64 = 0
    /// Bumped by every change to `dataObjects`, so cached sort orders know when they are stale (not saved).
    var dataVersion = 0

    enum CodingKeys: String, CodingKey {
        case users, types, activityTemplates, dataObjects, activities, tombstones, webhooks, webhookSecret, accessTokens
        case refreshTokens, scrolls, nextObjectNumber, nextActivityNumber, nextUserNumber, nextWebhookNumber, nextScrollNumber, seedRounds
    }

    func type(_ id: String) -> SpotioObjectType? { types.first { $0.id == id } }
}
