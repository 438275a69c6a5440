import CrosswalkConnectors
import CrosswalkCore
import CrosswalkMapping
import Foundation

// The boundary between the engine and the mapping language: the engine asks a compiled mapping
// which ID-map lookups a record needs, resolves a whole page of them in one store call, then maps
// each record with the answers. CrosswalkMapping plugs in through ``MappingLanguageCompiler``.

/// One ID-map question a mapping or criteria asks: the twin of record `id` (of `sourceObject`,
/// the flow's source object when `nil`) in `targetObject` (any object when `nil`). The mapping
/// language's own key, so a page's answers pass to it without conversion.
public typealias LookupRequest = LookupKey

/// What an evaluation may know besides the record.
public struct MappingEnvironment: Sendable {
    /// The run's start: the only clock a mapping sees.
    public var runTime: Date
    /// The page's resolved lookups (twin ids); an unanswered request has no twin.
    public var lookups: [LookupRequest: String]

    public init(runTime: Date, lookups: [LookupRequest: String] = [:]) {
        self.runTime = runTime
        self.lookups = lookups
    }
}

/// A mapping's result for one record.
public struct MappedRecord: Sendable, Hashable {
    /// The target record's fields.
    public var fields: [String: JSONValue]
    /// Lookups that found no twin (each evaluated to null).
    public var unresolved: [LookupRequest]

    public init(fields: [String: JSONValue], unresolved: [LookupRequest] = []) {
        self.fields = fields
        self.unresolved = unresolved
    }
}

/// A compiled mapping from one app's record to another's.
public protocol RecordMapper: Sendable {
    /// The top-level target fields it writes (every one appears in ``map(_:environment:)``'s
    /// result, null when it has no value); two-way flows compare records on them.
    var targetFields: [String] { get }
    /// The ID-map lookups mapping `record` will ask.
    func lookups(for record: ConnectorRecord) -> [LookupRequest]
    /// Maps one record (its fields, id and links).
    /// - Throws: an error naming the field and expression that failed; the record then fails
    ///   with that message.
    func map(_ record: ConnectorRecord, environment: MappingEnvironment) throws -> MappedRecord
}

/// Whether a record qualifies, and why not.
public struct CriteriaVerdict: Sendable, Hashable {
    public var matched: Bool
    /// Why it did not match, in words a business admin understands ("LastName is empty").
    public var reason: String?

    public init(matched: Bool, reason: String? = nil) {
        self.matched = matched
        self.reason = reason
    }

    public static let match = CriteriaVerdict(matched: true)
}

/// Compiled qualification criteria.
public protocol RecordCriteria: Sendable {
    /// The part of the criteria a read can push down to the app, or `nil`.
    var pushdown: Filter? { get }
    /// Whether ``pushdown`` is the whole criteria: when the app applied it in full
    /// (`filter_applied: full`), the engine need not evaluate again.
    var pushdownIsExact: Bool { get }
    /// The ID-map lookups evaluating `record` will ask.
    func lookups(for record: ConnectorRecord) -> [LookupRequest]
    /// Evaluates the criteria on one record.
    func evaluate(_ record: ConnectorRecord, environment: MappingEnvironment) throws -> CriteriaVerdict
}

/// What a mapping or criteria is compiled for.
public struct MappingContext: Sendable, Hashable {
    public var flow: String
    /// The flow's target (step) the text belongs to; `nil` for the flow's own criteria.
    public var step: String?
    /// The connection and object whose records are read.
    public var sourceConnection: String
    public var sourceObject: String
    /// The connection and object written, for mappings.
    public var targetConnection: String?
    public var targetObject: String?

    public init(flow: String, step: String?, sourceConnection: String, sourceObject: String, targetConnection: String? = nil,
                targetObject: String? = nil) {
        self.flow = flow
        self.step = step
        self.sourceConnection = sourceConnection
        self.sourceObject = sourceObject
        self.targetConnection = targetConnection
        self.targetObject = targetObject
    }
}

/// Turns a flow's mapping and criteria text into compiled logic.
public protocol FlowCompiler: Sendable {
    func mapper(_ text: String, context: MappingContext) throws -> any RecordMapper
    func criteria(_ text: String, context: MappingContext) throws -> any RecordCriteria
}
