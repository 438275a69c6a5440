import CrosswalkConnectors
import CrosswalkCore

/// Compiled qualification criteria: one boolean expression in the mapping language.
///
/// ```swift
/// let criteria = try CriteriaProgram.compile(#"LastName != null && LastName != "" && Stage in ["Won", "Negotiation"]"#)
/// criteria.pushdown        // (filter: and(is_null(LastName,false), ne(LastName,""), in(Stage,…)), exact: true)
/// let outcome = try criteria.evaluate(record: fields)
/// outcome.matched          // false
/// outcome.reason           // "LastName is empty"
/// ```
///
/// Null is false: a criteria whose value is null does not match.
public struct CriteriaProgram: Sendable {
    /// The criteria's text.
    public let source: String
    /// Top-level source fields the criteria read, sorted.
    public let sourceFields: [String]
    /// The part the app can filter by, and whether it is the whole criteria (see ``Pushdown``).
    public let pushdown: Pushdown
    let root: Node
    let eval: Eval
    let explainer: Explainer
    let slots: Int
    let sites: [LookupSite]
    let context: CompileContext
    let hasMacroLookups: Bool

    /// Parses, checks and compiles criteria.
    /// - Throws: ``MappingError`` with the line and column of the first problem; `.type` when the
    ///   expression is not a boolean.
    public static func compile(_ text: String, context: CompileContext = .dynamic) throws(MappingError) -> CriteriaProgram {
        let root = try Parser.parseExpression(text, limits: context.limits, sourceName: context.sourceName, firstLine: context.firstLine)
        let compiler = Compiler(context: context, source: text)
        let compiled = try compiler.compile(root)
        if compiled.type.isKnown, compiled.type != .bool {
            throw compiler.fail(.type, "criteria must be a boolean expression; this one is a \(compiled.type)", at: root)
        }
        let sites = compiler.lookupSites
        let fields = compiler.readFields.sorted()
        let macroLookups = !compiler.assignmentsNeedingCollection.isEmpty
        // The explainer compiles the parts again (its own slots), after which the slot count covers both.
        let explainer = try compiler.explainer(root)
        return CriteriaProgram(source: text, sourceFields: fields, pushdown: Compiler(context: context, source: text).pushdown(root, allowing: nil),
                               root: root, eval: compiled.eval, explainer: explainer, slots: compiler.slotCount, sites: sites,
                               context: context, hasMacroLookups: macroLookups)
    }

    /// Whether the record qualifies.
    /// - Throws: ``MappingError`` when an operand has the wrong type at run time.
    public func matches(record: [String: JSONValue], environment: EvaluationEnvironment = .empty) throws(MappingError) -> Bool {
        var frame = Frame(record: record, environment: environment, slots: slots)
        return try Self.truth(try eval(&frame), root)
    }

    /// Whether the record qualifies and, when not, why (for the sync log).
    public func evaluate(record: [String: JSONValue], environment: EvaluationEnvironment = .empty) throws(MappingError) -> CriteriaOutcome {
        var frame = Frame(record: record, environment: environment, slots: slots)
        let matched = try Self.truth(try eval(&frame), root)
        if matched { return CriteriaOutcome(matched: true, reason: nil, unresolvedLookups: frame.unresolved) }
        var explainFrame = Frame(record: record, environment: environment, slots: slots)
        let reason = explainer.reason(&explainFrame) ?? "the criteria are false"
        return CriteriaOutcome(matched: false, reason: reason, unresolvedLookups: frame.unresolved)
    }

    static func truth(_ v: JSONValue, _ root: Node) throws(MappingError) -> Bool {
        switch v {
        case .bool(let b): return b
        case .null: return false
        default:
            throw MappingError(.typeMismatch, "the criteria gave \(Values.describe(v)), not a boolean", line: root.location.line, column: root.location.column)
        }
    }

    /// The pushdown limited to the operators a connector filters by (its manifest's
    /// `read.filter`); what it cannot take stays for the host to evaluate.
    public func pushdown(allowing operators: Set<String>) -> Pushdown {
        Compiler(context: context, source: source).pushdown(root, allowing: operators)
    }

    /// The ID-map keys evaluating `record` will look up (see ``MappingProgram/lookupKeys(for:)``).
    public func lookupKeys(for record: [String: JSONValue]) -> [LookupKey] {
        guard !sites.isEmpty else { return [] }
        var frame = Frame(record: record, environment: .empty, slots: slots)
        frame.collecting = true
        for site in sites {
            guard let key = site.key else { continue }
            if let k = try? key(&frame) { frame.requested.append(k) }
        }
        if hasMacroLookups { _ = try? eval(&frame) }
        var seen = Set<LookupKey>()
        return frame.requested.filter { seen.insert($0).inserted }
    }

    /// Every ID-map key a page of records needs.
    public func lookupKeys(for records: some Sequence<[String: JSONValue]>) -> Set<LookupKey> {
        guard !sites.isEmpty else { return [] }
        var keys = Set<LookupKey>()
        for r in records { keys.formUnion(lookupKeys(for: r)) }
        return keys
    }

    /// Whether the criteria call `lookup`.
    public var usesLookups: Bool { !sites.isEmpty }
}

/// The verdict on one record.
public struct CriteriaOutcome: Sendable, Hashable {
    public var matched: Bool
    /// Why the record does not qualify ("LastName is empty"); `nil` when it does.
    public var reason: String?
    /// Lookups that found no twin (each evaluated to null).
    public var unresolvedLookups: [LookupKey]
}

/// The part of criteria expressible as the ABI's ``Filter``, for connectors to push down into
/// SOQL, SuiteQL or a search API.
///
/// `filter` is implied by the criteria: every record the criteria accept passes it, so an app may
/// return more records than qualify but never fewer. When `exact`, the filter accepts exactly the
/// records the criteria accept (with the ABI filter's semantics, `Filter.matches`), and a plugin
/// that reports `filter_applied: "full"` needs no second check by the host; otherwise the host
/// evaluates the criteria on what comes back.
public struct Pushdown: Sendable, Hashable {
    public var filter: Filter?
    public var exact: Bool
    public init(filter: Filter?, exact: Bool) {
        self.filter = filter
        self.exact = exact
    }
}
