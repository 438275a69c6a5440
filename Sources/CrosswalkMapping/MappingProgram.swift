import CrosswalkConnectors
import CrosswalkCore

/// A compiled mapping: one `target = expression` per line, evaluated per record into the target
/// record's fields.
///
/// ```swift
/// let program = try MappingProgram.compile("""
///     email     = Email
///     lastName  = trim(LastName)
///     company   = lookup(AccountId)
///     """)
/// let keys = program.lookupKeys(for: page.map(\.fields))      // one ID-map batch per page
/// let table = LookupTable(try store.twins(of: keys))
/// let out = try program.evaluate(record: record.fields, environment: .init(runTime: run.start, lookups: table))
/// out.fields["company"]        // the account's twin id, or null and listed in out.unresolvedLookups
/// ```
///
/// Compiling checks the grammar, field names and types (against the schemas in the context);
/// evaluating runs closures built at compile time: no parsing, no I/O, no clock.
public struct MappingProgram: Sendable {
    struct Target: Sendable {
        let path: [String]
        let name: String
        let eval: Eval
    }

    /// The mapping's text.
    public let source: String
    /// Target fields in the order written, dotted for nested ones (`address.city`).
    public let targets: [String]
    /// Top-level source fields the mapping reads (for a read request's `fields`), sorted.
    public let sourceFields: [String]
    /// Whether it reads the whole record (`$`), so ``sourceFields`` is not all it needs.
    public let readsWholeRecord: Bool
    let flat: [Target]
    let nested: [Target]
    let slots: Int
    let sites: [LookupSite]
    let collectWhole: [Int]
    let all: [Target]

    /// Whether the mapping calls `lookup`.
    public var usesLookups: Bool { !sites.isEmpty }

    /// Parses, checks and compiles a mapping.
    /// - Throws: ``MappingError`` with the line and column of the first problem.
    public static func compile(_ text: String, context: CompileContext = .dynamic) throws(MappingError) -> MappingProgram {
        let assignments = try Parser.parseMapping(text, limits: context.limits, sourceName: context.sourceName, firstLine: context.firstLine)
        let compiler = Compiler(context: context, source: text)
        var targets: [Target] = []
        var taken: [String: SourceLocation] = [:]
        let targetNames = context.targetSchema.map { Set($0.fields.map(\.name)) }
        for (index, a) in assignments.enumerated() {
            let name = a.target.joined(separator: ".")
            func fail(_ code: MappingError.Code, _ message: String) -> MappingError {
                MappingError(code, message, line: a.targetLocation.line, column: a.targetLocation.column, sourceName: context.sourceName)
            }
            if let first = taken[name] { throw fail(.duplicateTarget, "\(name) is assigned twice (first on line \(first.line))") }
            for k in 1..<max(1, a.target.count) {
                let prefix = a.target[0..<k].joined(separator: ".")
                if let first = taken[prefix] { throw fail(.duplicateTarget, "\(name) is inside \(prefix), which line \(first.line) assigns a value") }
            }
            if let other = taken.keys.first(where: { $0.hasPrefix(name + ".") }) {
                throw fail(.duplicateTarget, "\(name) is assigned a value, but line \(taken[other]!.line) assigns \(other) inside it")
            }
            taken[name] = a.targetLocation
            if let targetNames, !targetNames.contains(a.target[0]) {
                throw fail(.unknownTarget, "unknown target field \"\(a.target[0])\"\(Suggestions.hint(for: a.target[0], in: targetNames))")
            }
            compiler.currentAssignment = index
            let compiled = try compiler.compile(a.value)
            targets.append(Target(path: a.target, name: name, eval: compiled.eval))
        }
        return MappingProgram(source: text, targets: targets.map(\.name), sourceFields: compiler.readFields.sorted(),
                              readsWholeRecord: compiler.readsWholeRecord,
                              flat: targets.filter { $0.path.count == 1 }, nested: targets.filter { $0.path.count > 1 },
                              slots: compiler.slotCount, sites: compiler.lookupSites,
                              collectWhole: compiler.assignmentsNeedingCollection.sorted(), all: targets)
    }

    /// Maps one record.
    /// - Parameters:
    ///   - record: the source record's fields (a missing field reads as null).
    ///   - environment: the run time and the page's resolved lookups.
    /// - Returns: the target fields, and the lookups that found no twin.
    /// - Throws: ``MappingError`` naming the target field and the expression that failed.
    public func evaluate(record: [String: JSONValue], environment: EvaluationEnvironment = .empty) throws(MappingError) -> MappingOutput {
        var frame = Frame(record: record, environment: environment, slots: slots)
        var out: [String: JSONValue] = Dictionary(minimumCapacity: flat.count + nested.count)
        var current = ""
        do throws(MappingError) {
            for t in flat {
                current = t.name
                out[t.name] = try t.eval(&frame)
            }
            for t in nested {
                current = t.name
                Self.insert(try t.eval(&frame), at: t.path[...], into: &out)
            }
        } catch {
            var located = error
            located.target = current
            throw located
        }
        return MappingOutput(fields: out, unresolvedLookups: frame.unresolved)
    }

    private static func insert(_ value: JSONValue, at path: ArraySlice<String>, into object: inout [String: JSONValue]) {
        guard let head = path.first else { return }
        if path.count == 1 {
            object[head] = value
            return
        }
        var inner: [String: JSONValue] = [:]
        if case .object(let existing)? = object.removeValue(forKey: head) { inner = existing }
        insert(value, at: path.dropFirst(), into: &inner)
        object[head] = .object(inner)
    }

    /// The ID-map keys evaluating `record` will look up, without answering them (no I/O): the
    /// engine resolves a page's keys in one batch, then evaluates with the table.
    ///
    /// Keys are found by evaluating each `lookup`'s id on the record (a lookup inside a list macro
    /// by evaluating its assignment). A key that only a lookup's own result leads to (a lookup of
    /// a lookup) shows up in ``MappingOutput/unresolvedLookups`` instead.
    public func lookupKeys(for record: [String: JSONValue]) -> [LookupKey] {
        guard !sites.isEmpty else { return [] }
        var frame = Frame(record: record, environment: .empty, slots: slots)
        frame.collecting = true
        for site in sites {
            guard let key = site.key else { continue }
            if let k = try? key(&frame) { frame.requested.append(k) }
        }
        for index in collectWhole where all.indices.contains(index) { _ = try? all[index].eval(&frame) }
        var seen = Set<LookupKey>()
        return frame.requested.filter { seen.insert($0).inserted }
    }

    /// Every ID-map key a page of records needs, for one batch lookup.
    public func lookupKeys(for records: some Sequence<[String: JSONValue]>) -> Set<LookupKey> {
        guard !sites.isEmpty else { return [] }
        var keys = Set<LookupKey>()
        for r in records { keys.formUnion(lookupKeys(for: r)) }
        return keys
    }
}
