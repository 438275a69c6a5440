import Foundation
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkFlows

/// A mapper made of closures: for tests and for flows defined in code.
public struct ClosureMapper: RecordMapper {
    public let targetFields: [String]
    let lookupsBody: @Sendable (ConnectorRecord) -> [LookupRequest]
    let body: @Sendable (ConnectorRecord, MappingEnvironment) throws -> [String: JSONValue]

    public init(targetFields: [String], lookups: @escaping @Sendable (ConnectorRecord) -> [LookupRequest] = { _ in [] },
                map: @escaping @Sendable (ConnectorRecord, MappingEnvironment) throws -> [String: JSONValue]) {
        self.targetFields = targetFields
        lookupsBody = lookups
        body = map
    }

    public func lookups(for record: ConnectorRecord) -> [LookupRequest] { lookupsBody(record) }

    public func map(_ record: ConnectorRecord, environment: MappingEnvironment) throws -> MappedRecord {
        var fields = try body(record, environment)
        for field in targetFields where fields[field] == nil { fields[field] = .null }
        let unresolved = lookupsBody(record).filter { environment.lookups[$0] == nil }
        return MappedRecord(fields: fields, unresolved: unresolved)
    }
}

/// Criteria made of a closure: for tests and for flows defined in code.
public struct ClosureCriteria: RecordCriteria {
    public let pushdown: Filter?
    public let pushdownIsExact: Bool
    let lookupsBody: @Sendable (ConnectorRecord) -> [LookupRequest]
    let body: @Sendable (ConnectorRecord, MappingEnvironment) throws -> CriteriaVerdict

    public init(pushdown: Filter? = nil, pushdownIsExact: Bool = false,
                lookups: @escaping @Sendable (ConnectorRecord) -> [LookupRequest] = { _ in [] },
                evaluate: @escaping @Sendable (ConnectorRecord, MappingEnvironment) throws -> CriteriaVerdict) {
        self.pushdown = pushdown
        self.pushdownIsExact = pushdownIsExact
        lookupsBody = lookups
        body = evaluate
    }

    public func lookups(for record: ConnectorRecord) -> [LookupRequest] { lookupsBody(record) }
    public func evaluate(_ record: ConnectorRecord, environment: MappingEnvironment) throws -> CriteriaVerdict {
        try body(record, environment)
    }
}

/// A compiler that hands out logic registered by text: tests register closures under the text
/// their flows carry.
public struct RegisteredLogicCompiler: FlowCompiler {
    public var mappers: [String: any RecordMapper]
    public var criteria: [String: any RecordCriteria]
    /// Used for text with no registration.
    public var fallback: (any FlowCompiler)?

    public init(mappers: [String: any RecordMapper] = [:], criteria: [String: any RecordCriteria] = [:], fallback: (any FlowCompiler)? = MappingLanguageCompiler()) {
        self.mappers = mappers
        self.criteria = criteria
        self.fallback = fallback
    }

    public func mapper(_ text: String, context: MappingContext) throws -> any RecordMapper {
        if let mapper = mappers[text] { return mapper }
        guard let fallback else { throw CrosswalkError(.invalidFlow, "no mapping registered for \"\(text)\"", context: ["flow": context.flow]) }
        return try fallback.mapper(text, context: context)
    }

    public func criteria(_ text: String, context: MappingContext) throws -> any RecordCriteria {
        if let criteria = criteria[text] { return criteria }
        guard let fallback else { throw CrosswalkError(.invalidFlow, "no criteria registered for \"\(text)\"", context: ["flow": context.flow]) }
        return try fallback.criteria(text, context: context)
    }
}
