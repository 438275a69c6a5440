import CrosswalkConnectors
import CrosswalkCore
import CrosswalkFlows
import CrosswalkMapping
import Foundation

/// The flows' mappings and criteria in Crosswalk's mapping language (CrosswalkMapping, grammar in
/// its README), behind the engine's ``FlowCompiler``.
///
/// Besides the record's fields, a mapping or criteria reads `_id`: the record's id in its app
/// (for an external id: `crm_id = _id`), unless the record has a field of that name.
///
/// ```swift
/// let engine = SyncEngine(store: store, connectors: connectors, compiler: MappingLanguageCompiler(functions: host.mappingFunctions), logger: logger)
/// ```
public struct MappingLanguageCompiler: FlowCompiler {
    /// The field name of the record's own id.
    public static let idField = "_id"

    /// Plugin functions mappings may call (`salesforce.sf_id18(Id)`).
    public var functions: (any MappingFunctionProvider)?
    /// The schemas fields are checked against, when known: by connection, then object.
    public var schemas: [String: [String: ObjectSchema]]

    public init(functions: (any MappingFunctionProvider)? = nil, schemas: [String: [String: ObjectSchema]] = [:]) {
        self.functions = functions
        self.schemas = schemas
    }

    /// The compile context of a text of `context`: its schemas with `_id` added, and a name for errors.
    public func compileContext(_ context: MappingContext, sourceName: String? = nil, firstLine: Int = 1) -> CompileContext {
        var source = schemas[context.sourceConnection]?[context.sourceObject]
        if var s = source, s.field(Self.idField) == nil {
            s.fields.append(FieldSchema(name: Self.idField, type: .id))
            source = s
        }
        let target = context.targetConnection.flatMap { c in context.targetObject.flatMap { schemas[c]?[$0] } }
        let name = sourceName ?? "flow \(context.flow)" + (context.step.map { " \($0)" } ?? "")
        return CompileContext(sourceSchema: source, targetSchema: target, functions: functions, sourceName: name, firstLine: firstLine)
    }

    public func mapper(_ text: String, context: MappingContext) throws -> any RecordMapper {
        do { return LanguageMapper(program: try MappingProgram.compile(text, context: compileContext(context))) } catch {
            throw CrosswalkError(.invalidFlow, "mapping: \(error)", context: Self.errorContext(error, context))
        }
    }

    public func criteria(_ text: String, context: MappingContext) throws -> any RecordCriteria {
        do { return LanguageCriteria(program: try CriteriaProgram.compile(text, context: compileContext(context))) } catch {
            throw CrosswalkError(.invalidFlow, "criteria: \(error)", context: Self.errorContext(error, context))
        }
    }

    static func errorContext(_ error: MappingError, _ context: MappingContext) -> [String: String] {
        var out = ["flow": context.flow, "line": String(error.line), "column": String(error.column), "mapping_code": error.code.rawValue]
        if let step = context.step { out["step"] = step }
        return out
    }

    /// The fields a program sees: the record's, with `_id` when the program reads it.
    static func fields(of record: ConnectorRecord, needsID: Bool) -> [String: JSONValue] {
        guard needsID, record.fields[idField] == nil else { return record.fields }
        var fields = record.fields
        fields[idField] = .string(record.id)
        return fields
    }

    static func environment(_ environment: MappingEnvironment) -> EvaluationEnvironment {
        EvaluationEnvironment(runTime: environment.runTime, lookups: LookupTable(environment.lookups))
    }
}

/// A compiled mapping.
struct LanguageMapper: RecordMapper {
    let program: MappingProgram
    let needsID: Bool
    let targetFields: [String]

    init(program: MappingProgram) {
        self.program = program
        needsID = program.readsWholeRecord || program.sourceFields.contains(MappingLanguageCompiler.idField)
        var seen = Set<String>()
        targetFields = program.targets.map { String($0.prefix { $0 != "." }) }.filter { seen.insert($0).inserted }
    }

    func lookups(for record: ConnectorRecord) -> [LookupRequest] {
        guard program.usesLookups else { return [] }
        return program.lookupKeys(for: MappingLanguageCompiler.fields(of: record, needsID: needsID))
    }

    func map(_ record: ConnectorRecord, environment: MappingEnvironment) throws -> MappedRecord {
        let out: MappingOutput
        do { out = try program.evaluate(record: MappingLanguageCompiler.fields(of: record, needsID: needsID),
                                        environment: MappingLanguageCompiler.environment(environment)) } catch {
            throw CrosswalkError(.invalidArgument, error.description, context: ["mapping_code": error.code.rawValue])
        }
        return MappedRecord(fields: out.fields, unresolved: out.unresolvedLookups)
    }
}

/// Compiled criteria; the reason of a record that does not qualify is the language's own.
struct LanguageCriteria: RecordCriteria {
    let program: CriteriaProgram
    let needsID: Bool

    init(program: CriteriaProgram) {
        self.program = program
        needsID = program.sourceFields.contains(MappingLanguageCompiler.idField)
    }

    var pushdown: Filter? { needsID ? nil : program.pushdown.filter }
    var pushdownIsExact: Bool { !needsID && program.pushdown.exact }

    func lookups(for record: ConnectorRecord) -> [LookupRequest] {
        guard program.usesLookups else { return [] }
        return program.lookupKeys(for: MappingLanguageCompiler.fields(of: record, needsID: needsID))
    }

    func evaluate(_ record: ConnectorRecord, environment: MappingEnvironment) throws -> CriteriaVerdict {
        let outcome: CriteriaOutcome
        do { outcome = try program.evaluate(record: MappingLanguageCompiler.fields(of: record, needsID: needsID),
                                            environment: MappingLanguageCompiler.environment(environment)) } catch {
            throw CrosswalkError(.invalidArgument, error.description, context: ["mapping_code": error.code.rawValue])
        }
        return outcome.matched ? .match : CriteriaVerdict(matched: false, reason: outcome.reason ?? "the criteria are not met")
    }
}
