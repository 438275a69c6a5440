import CrosswalkConnectors
import CrosswalkCore

/// A flow: which records of one app go where, when, and how.
///
/// A flow reads one source object (or a model of it), keeps the records that meet its criteria
/// and dependency rules, and writes each one to one or more targets in order, each with its own
/// mapping (a SPOTIO lead → a Salesforce Account, then a Contact linked to it, then an
/// Opportunity). A two-way flow has one target and maps back as well.
///
/// Flows are plain data: `Codable` with the JSON (and YAML) member names of the deployment file,
/// so the config parser produces them and the store keeps them for the admin API. Mappings and
/// criteria are text in the mapping language, compiled by the engine.
///
/// ```swift
/// let flow = Flow(name: "ns-contacts-to-sf",
///                 source: FlowSource(connection: "netsuite", object: "contact"),
///                 targets: [FlowTarget(name: "contact", connection: "salesforce", object: "Contact",
///                                      mode: .upsert, matchKeys: [.externalID("NetSuite_Id__c"), .field("Email")],
///                                      mapping: "LastName = lastname\nEmail = email\nNetSuite_Id__c = id")],
///                 triggers: [.webhook], criteria: #"email != """#)
/// try flow.validate()
/// ```
public struct Flow: Sendable, Hashable {
    /// Unique in a deployment; names the flow's cursors, runs and failed records.
    public var name: String
    public var description: String?
    /// A disabled flow is kept but never run.
    public var enabled: Bool
    public var source: FlowSource
    /// Written in order; later targets may link to the records of earlier ones.
    public var targets: [FlowTarget]
    public var triggers: [FlowTrigger]
    public var direction: FlowDirection
    /// Qualification criteria over the source record (mapping language); `nil` takes every record.
    public var criteria: String?
    /// Where the first run starts: from the beginning, or from now on ("going forward only").
    public var start: FlowStart
    /// Records that must be synced before a record of this flow can be.
    public var dependencies: [DependencyRule]
    /// The ID-map link; `nil` uses the link between the source and target connections, which
    /// flows between the same two apps share.
    public var link: String?

    public init(name: String, description: String? = nil, enabled: Bool = true, source: FlowSource, targets: [FlowTarget],
                triggers: [FlowTrigger] = [.manual], direction: FlowDirection = .oneWay, criteria: String? = nil,
                start: FlowStart = .beginning, dependencies: [DependencyRule] = [], link: String? = nil) {
        self.name = name
        self.description = description
        self.enabled = enabled
        self.source = source
        self.targets = targets
        self.triggers = triggers
        self.direction = direction
        self.criteria = criteria
        self.start = start
        self.dependencies = dependencies
        self.link = link
    }

    /// Whether the flow maps both ways.
    public var isTwoWay: Bool { if case .twoWay = direction { true } else { false } }

    /// The target named `name`.
    public func target(named name: String) -> FlowTarget? { targets.first { $0.name == name } }
}

/// Where a flow reads.
public struct FlowSource: Sendable, Hashable, Codable {
    public var connection: String
    public var object: String
    /// A named view of chosen fields of the object (seed 001); `nil` reads every field.
    public var model: FlowModel?

    public init(connection: String, object: String, model: FlowModel? = nil) {
        self.connection = connection
        self.object = object
        self.model = model
    }
}

/// A model: a named view of chosen fields of an object, which the flow reads and maps instead of
/// the whole object.
public struct FlowModel: Sendable, Hashable, Codable {
    public var name: String
    /// The fields of the view, in the source app's names.
    public var fields: [String]

    public init(name: String, fields: [String]) {
        self.name = name
        self.fields = fields
    }
}

/// One target of a flow: an object of a connection, with its own mapping and write rules.
public struct FlowTarget: Sendable, Hashable {
    /// Unique in the flow (`account`, `contact`); names the target in links, logs and failures.
    public var name: String
    public var connection: String
    public var object: String
    public var mode: WriteMode
    /// What a deletion in the source does; used in ``WriteMode/mirror`` only.
    public var deletePolicy: DeletePolicy
    /// How to find the target record of a source record the ID map does not know, in order.
    public var matchKeys: [MatchKey]
    /// `target = expression` lines in the mapping language.
    public var mapping: String
    /// Extra criteria for this target only (an Opportunity only past a stage).
    public var criteria: String?
    /// Ids of earlier targets' records written into this one.
    public var links: [StepLink]
    /// A source field that receives the target record's id once it exists (the Salesforce id
    /// written back to the NetSuite contact).
    public var writeBack: String?

    public init(name: String? = nil, connection: String, object: String, mode: WriteMode = .upsert, deletePolicy: DeletePolicy = .nothing,
                matchKeys: [MatchKey] = [], mapping: String, criteria: String? = nil, links: [StepLink] = [], writeBack: String? = nil) {
        self.name = name ?? object
        self.connection = connection
        self.object = object
        self.mode = mode
        self.deletePolicy = deletePolicy
        self.matchKeys = matchKeys
        self.mapping = mapping
        self.criteria = criteria
        self.links = links
        self.writeBack = writeBack
    }
}

/// What a flow may do to a target.
public enum WriteMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// Creates records the target lacks; never changes existing ones.
    case createOnly = "create_only"
    /// Changes records the target has (by ID map or match key); never creates.
    case updateOnly = "update_only"
    /// Creates or changes.
    case upsert
    /// Creates, changes, and applies the delete policy to records deleted in the source.
    case mirror

    public var creates: Bool { self != .updateOnly }
    public var updates: Bool { self != .createOnly }
}

/// What a deletion in the source does to the target record.
public enum DeletePolicy: Sendable, Hashable {
    /// Nothing: the target record stays (the default; HubSpot's "do nothing").
    case nothing
    /// Sets these fields on the target record (`Status = "Archived"`) and keeps it.
    case archive([String: JSONValue])
    /// Deletes the target record.
    case delete
}

/// One step of the fallback chain that finds the target record of a source record the ID map
/// does not know yet.
public enum MatchKey: Sendable, Hashable {
    /// A target field that holds the source record's id (`NetSuite_Id__c`).
    case externalID(String)
    /// A target field whose mapped value identifies the record (`Email`).
    case field(String)

    /// The target field.
    public var field: String {
        switch self {
        case .externalID(let f), .field(let f): f
        }
    }
}

/// The id of an earlier target's record, written into this target's record.
public struct StepLink: Sendable, Hashable, Codable {
    /// The earlier target's name: the link goes to what that target wrote for this record. `nil`
    /// for a ``lookup`` link.
    public var step: String?
    /// A source field holding the id of another source record (an invoice's `entity`, its
    /// customer), or the type of a record link naming it (an Aritic contact's `company`): the
    /// link goes to that record's twin in the target, from the ID map. A record
    /// whose referenced record has no twin yet is written without the link (and gets it when it
    /// next changes); add a dependency rule on the same field to make it wait instead.
    public var lookup: String?
    /// The referenced record's object in the source app (`customer`); the flow's source object
    /// when `nil`.
    public var sourceObject: String?
    /// The twin's object in the target app (`contacts`); `nil` accepts a twin in any object.
    public var object: String?
    /// The field that receives the id (`AccountId`); with `nil`, the id goes as a record link.
    public var field: String?
    /// The association type of a record link (HubSpot `contact_to_company`).
    public var type: String?

    enum CodingKeys: String, CodingKey {
        case step, lookup, object, field, type
        case sourceObject = "source_object"
    }

    public init(step: String? = nil, lookup: String? = nil, sourceObject: String? = nil, object: String? = nil, field: String? = nil,
                type: String? = nil) {
        self.step = step
        self.lookup = lookup
        self.sourceObject = sourceObject
        self.object = object
        self.field = field
        self.type = type
    }

    /// How the link reads in messages: `account`, or `entity → customer`.
    public var label: String {
        if let step { return step }
        return "\(lookup ?? "?") → \(sourceObject ?? "its own object")"
    }
}

/// What starts a flow's runs.
public enum FlowTrigger: Sendable, Hashable {
    /// At a fixed interval.
    case every(seconds: Int)
    /// On a cron schedule (`*/5 * * * *`), read by the scheduler.
    case cron(String)
    /// When the source app reports a change (real time).
    case webhook
    /// When a person asks ("sync now", `crosswalk run`).
    case manual
    /// Once, reading every existing record, before the other triggers take over.
    case initialImport
}

/// Where a flow's first run starts.
public enum FlowStart: String, Sendable, Hashable, Codable {
    /// Every existing record.
    case beginning
    /// Only changes made from now on (selective sync going forward only).
    case now
}

/// One way, or both ways with a conflict rule.
public enum FlowDirection: Sendable, Hashable {
    case oneWay
    case twoWay(TwoWaySync)
}

/// How a two-way flow maps back and settles conflicts.
public struct TwoWaySync: Sendable, Hashable, Codable {
    /// Mapping from the target's fields to the source's.
    public var reverseMapping: String
    /// Criteria over the target record for changes to flow back; `nil` takes every record.
    public var reverseCriteria: String?
    /// What wins when both records changed since the last sync.
    public var conflict: ConflictRule
    /// Fields only one side may change: a field owned by a side is never overwritten from the other.
    public var owners: [FieldOwner]
    /// How to find the source record of a target record the ID map does not know (source fields).
    public var reverseMatchKeys: [MatchKey]

    public init(reverseMapping: String, reverseCriteria: String? = nil, conflict: ConflictRule = .lastModifiedWins, owners: [FieldOwner] = [],
                reverseMatchKeys: [MatchKey] = []) {
        self.reverseMapping = reverseMapping
        self.reverseCriteria = reverseCriteria
        self.conflict = conflict
        self.owners = owners
        self.reverseMatchKeys = reverseMatchKeys
    }

    enum CodingKeys: String, CodingKey {
        case conflict, owners
        case reverseMapping = "reverse_mapping"
        case reverseCriteria = "reverse_criteria"
        case reverseMatchKeys = "reverse_match_keys"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        reverseMapping = try c.decode(String.self, forKey: .reverseMapping)
        reverseCriteria = try c.decodeIfPresent(String.self, forKey: .reverseCriteria)
        conflict = try c.decodeIfPresent(ConflictRule.self, forKey: .conflict) ?? .lastModifiedWins
        owners = try c.decodeIfPresent([FieldOwner].self, forKey: .owners) ?? []
        reverseMatchKeys = try c.decodeIfPresent([MatchKey].self, forKey: .reverseMatchKeys) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(reverseMapping, forKey: .reverseMapping)
        try c.encodeIfPresent(reverseCriteria, forKey: .reverseCriteria)
        try c.encode(conflict, forKey: .conflict)
        if !owners.isEmpty { try c.encode(owners, forKey: .owners) }
        if !reverseMatchKeys.isEmpty { try c.encode(reverseMatchKeys, forKey: .reverseMatchKeys) }
    }
}

/// What wins when both records of a two-way flow changed since the last sync.
public enum ConflictRule: String, Sendable, Hashable, Codable, CaseIterable {
    /// The record changed last (by `modified_at`).
    case lastModifiedWins = "last_modified_wins"
    /// The flow's source side.
    case sourceWins = "source_wins"
    /// The flow's target side.
    case targetWins = "target_wins"
}

/// One side of a flow.
public enum FlowSide: String, Sendable, Hashable, Codable {
    case source, target

    public var other: FlowSide { self == .source ? .target : .source }
}

/// A field only one side of a two-way flow may change.
public struct FieldOwner: Sendable, Hashable, Codable {
    public var side: FlowSide
    /// The field, in the owning side's names.
    public var field: String

    public init(side: FlowSide, field: String) {
        self.side = side
        self.field = field
    }
}

/// "The contact's account must be synced first": a record waits (or fails) until the record its
/// field points at has a twin in the target.
public struct DependencyRule: Sendable, Hashable {
    /// The source field holding the parent's id (`AccountId`), or `nil` to use a record link.
    public var field: String?
    /// The record link type naming the parent, when `field` is `nil` (`AccountId`, `company`).
    public var linkType: String?
    /// The parent's object in the source app.
    public var object: String
    /// The parent's twin object in the target app; `nil` accepts a twin in any object.
    public var targetObject: String?
    /// Whether a record with no parent at all fails (`true`) or passes the rule.
    public var required: Bool
    /// What happens while the parent is not synced.
    public var whenMissing: DependencyAction
    /// The flow that syncs the parent, for `whenMissing: .sync` (seed 002: a contact that syncs
    /// as a Salesforce contact brings its company along as an account).
    public var flow: String?

    public init(field: String? = nil, linkType: String? = nil, object: String, targetObject: String? = nil, required: Bool = false,
                whenMissing: DependencyAction = .wait, flow: String? = nil) {
        self.field = field
        self.linkType = linkType
        self.object = object
        self.targetObject = targetObject
        self.required = required
        self.whenMissing = whenMissing
        self.flow = flow
    }

    /// How the rule reads in messages: `AccountId → Account`.
    public var label: String { "\(field ?? linkType ?? "link") → \(object)" }
}

/// What a dependency rule does while the parent is not synced.
public enum DependencyAction: String, Sendable, Hashable, Codable {
    /// Skipped with the reason and retried automatically once the parent is synced.
    case wait
    /// Failed with the reason; retried by `retry` (and automatically once the parent is synced).
    case fail
    /// The parent is synced first, through the rule's `flow` (a run of its own in that flow's
    /// log), then the record goes on; if the parent cannot be synced, the record waits as with
    /// `wait`, with the parent flow's reason.
    case sync
}
