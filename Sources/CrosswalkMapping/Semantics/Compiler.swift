import CrosswalkConnectors
import CrosswalkCore

/// A compiled expression: a closure over the evaluation frame.
typealias Eval = @Sendable (inout Frame) throws(MappingError) -> JSONValue

/// What the compiler produced for one node.
struct Compiled {
    var eval: Eval
    var type: StaticType
    /// The value, when the node is constant (folded at compile time).
    var constant: JSONValue?
    /// Reads a list macro's variable (so it cannot be evaluated on its own).
    var usesLocals: Bool = false
    /// Looks something up, reads the run time, or calls an impure plugin function: never folded.
    var impure: Bool = false
}

/// One `lookup(…)` call in a program: how to compute its key from a record.
struct LookupSite: Sendable {
    /// The key on a record; `nil` when the id reads a macro variable.
    let key: (@Sendable (inout Frame) throws(MappingError) -> LookupKey?)?
    /// The assignment it belongs to (mappings), to evaluate whole when `argument` is `nil`.
    let assignment: Int
}

/// Where an evaluation error is reported.
struct Site: Sendable {
    let line: Int
    let column: Int
    let sourceName: String

    func error(_ fault: Fault) -> MappingError {
        MappingError(fault.code, fault.message, line: line, column: column, sourceName: sourceName)
    }
    /// For `catch` blocks whose error type is not inferred: a ``Fault`` gets this site, a
    /// ``MappingError`` stays as it is.
    func error(_ any: any Error) -> MappingError {
        if let fault = any as? Fault { return error(fault) }
        if let mapping = any as? MappingError { return mapping }
        return error(.invalidValue, String(describing: any))
    }
    func error(_ code: MappingError.Code, _ message: String) -> MappingError {
        MappingError(code, message, line: line, column: column, sourceName: sourceName)
    }
}

/// Type-checks the tree and turns it into closures, folding constants.
final class Compiler {
    let context: CompileContext
    let source: [UInt8]
    let limits: MappingLimits
    /// Field name → type, when there is a source schema.
    let fields: [String: StaticType]?
    let references: [String: [String]]
    let pluginFunctions: [PluginFunction]
    var scopes: [(name: String, slot: Int)] = []
    var slotCount = 0
    var lookupSites: [LookupSite] = []
    var currentAssignment = 0
    /// Assignments holding a lookup whose key depends on a macro variable.
    var assignmentsNeedingCollection: Set<Int> = []
    /// Top-level fields the program reads, and whether it reads the whole record (`$`).
    var readFields: Set<String> = []
    var readsWholeRecord = false

    init(context: CompileContext, source: String) {
        self.context = context
        self.source = Array(source.utf8)
        limits = context.limits
        if let schema = context.sourceSchema {
            var f: [String: StaticType] = [:]
            var r: [String: [String]] = [:]
            for field in schema.fields {
                f[field.name] = StaticType(field.type)
                r[field.name] = field.referenceTo
            }
            fields = f
            references = r
        } else {
            fields = nil
            references = [:]
        }
        pluginFunctions = context.functions?.functions ?? []
    }

    // MARK: Errors and helpers

    func fail(_ code: MappingError.Code, _ message: String, at node: Node) -> MappingError {
        MappingError(code, message, line: node.location.line, column: node.location.column, sourceName: context.sourceName)
    }

    func site(_ node: Node) -> Site { Site(line: node.location.line, column: node.location.column, sourceName: context.sourceName) }

    /// The source text of a node, for messages and reasons.
    func text(_ node: Node) -> String {
        guard node.start >= 0, node.end <= source.count, node.start < node.end else { return "" }
        let t = String(decoding: source[node.start..<node.end], as: UTF8.self)
        return t.count > 80 ? String(t.prefix(77)) + "…" : t
    }

    static let emptyFrameEnvironment = EvaluationEnvironment.empty

    /// `c`, replaced by its value when every input is constant and nothing in it is impure.
    func folded(_ c: Compiled, _ children: [Compiled]) throws(MappingError) -> Compiled {
        guard !c.impure, !c.usesLocals, children.allSatisfy({ $0.constant != nil }) else { return c }
        var frame = Frame(record: [:], environment: Self.emptyFrameEnvironment, slots: 0)
        let v = try c.eval(&frame)
        return constant(v)
    }

    func constant(_ v: JSONValue) -> Compiled {
        Compiled(eval: { (_: inout Frame) throws(MappingError) -> JSONValue in v }, type: StaticType.of(v), constant: v)
    }

    func propagate(_ parts: [Compiled]) -> (usesLocals: Bool, impure: Bool) {
        (parts.contains { $0.usesLocals }, parts.contains { $0.impure })
    }

    // MARK: Nodes

    func compile(_ node: Node) throws(MappingError) -> Compiled {
        switch node.kind {
        case .literal(let v):
            return constant(v)
        case .name(let name):
            if let local = scopes.last(where: { $0.name == name }) {
                let slot = local.slot
                return Compiled(eval: { (f: inout Frame) throws(MappingError) -> JSONValue in f.locals[slot] }, type: .dyn, usesLocals: true)
            }
            return try field(name, at: node)
        case .root:
            readsWholeRecord = true
            return Compiled(eval: { (f: inout Frame) throws(MappingError) -> JSONValue in .object(f.record) }, type: .object)
        case .member(let base, let name):
            if case .root = base.kind { return try field(name, at: node) }
            return try member(base, name, node)
        case .index(let base, let index):
            return try self.index(base, index, node)
        case .call(let name, let args):
            return try call(name, args, node)
        case .unary(let op, let operand):
            return try unary(op, operand, node)
        case .binary(let op, let a, let b):
            return try binary(op, a, b, node)
        case .logical(let op, let items):
            return try logical(op, items, node)
        case .conditional(let c, let a, let b):
            return try conditional(c, a, b, node)
        case .list(let items):
            return try list(items, node)
        case .object(let pairs):
            return try object(pairs, node)
        }
    }

    /// A top-level field of the record, checked against the schema.
    func field(_ name: String, at node: Node) throws(MappingError) -> Compiled {
        readFields.insert(name)
        var type = StaticType.dyn
        if let fields {
            guard let t = fields[name] else {
                throw fail(.unknownField, "unknown field \"\(name)\"\(Suggestions.hint(for: name, in: fields.keys))", at: node)
            }
            type = t
        }
        return Compiled(eval: { (f: inout Frame) throws(MappingError) -> JSONValue in f.record[name] ?? .null }, type: type)
    }

    func member(_ baseNode: Node, _ name: String, _ node: Node) throws(MappingError) -> Compiled {
        let base = try compile(baseNode)
        if base.type.isKnown, base.type != .object {
            throw fail(.type, "\(text(baseNode)) is a \(base.type); it has no field \"\(name)\"", at: node)
        }
        let b = base.eval
        let s = site(node)
        let c = Compiled(eval: { (f: inout Frame) throws(MappingError) -> JSONValue in
            switch try b(&f) {
            case .object(let o): return o[name] ?? .null
            case .null: return .null
            case let other: throw s.error(.typeMismatch, "cannot read field \"\(name)\" of \(Values.describe(other))")
            }
        }, type: .dyn, usesLocals: base.usesLocals, impure: base.impure)
        return try folded(c, [base])
    }

    func index(_ baseNode: Node, _ indexNode: Node, _ node: Node) throws(MappingError) -> Compiled {
        if case .root = baseNode.kind, case .literal(.string(let name)) = indexNode.kind { return try field(name, at: node) }
        let base = try compile(baseNode)
        let index = try compile(indexNode)
        switch base.type {
        case .list where index.type.isKnown && index.type != .number:
            throw fail(.type, "a list is indexed by a number, not a \(index.type)", at: indexNode)
        case .object where index.type.isKnown && ![.string, .number, .bool].contains(index.type):
            throw fail(.type, "an object is indexed by a string, not a \(index.type)", at: indexNode)
        case .string, .number, .bool:
            throw fail(.type, "\(text(baseNode)) is a \(base.type) and cannot be indexed", at: node)
        default: break
        }
        let b = base.eval, i = index.eval
        let s = site(node)
        let flags = propagate([base, index])
        // A constant value map indexed by a field: one dictionary lookup.
        if case .object(let map)? = base.constant {
            let c = Compiled(eval: { (f: inout Frame) throws(MappingError) -> JSONValue in
                let k = try i(&f)
                if case .string(let key) = k { return map[key] ?? .null }
                if case .null = k { return .null }
                guard let key = Values.key(k) else { throw s.error(.typeMismatch, "an object cannot be indexed by \(Values.describe(k))") }
                return map[key] ?? .null
            }, type: .dyn, usesLocals: flags.usesLocals, impure: flags.impure)
            return try folded(c, [base, index])
        }
        let c = Compiled(eval: { (f: inout Frame) throws(MappingError) -> JSONValue in
            let container = try b(&f)
            let k = try i(&f)
            return try Compiler.subscripted(container, k, s)
        }, type: .dyn, usesLocals: flags.usesLocals, impure: flags.impure)
        return try folded(c, [base, index])
    }

    /// `container[k]`: lists by whole number (negative from the end), objects by key; out of range,
    /// missing keys and null give null.
    static func subscripted(_ container: JSONValue, _ k: JSONValue, _ s: Site) throws(MappingError) -> JSONValue {
        switch container {
        case .null: return .null
        case .array(let a):
            if case .null = k { return .null }
            guard case .number(let n) = k else { throw s.error(.typeMismatch, "a list cannot be indexed by \(Values.describe(k))") }
            guard n.isInteger else { throw s.error(.invalidValue, "a list index must be a whole number, not \(n.text.prefix(40))") }
            guard let i = n.intValue else { return .null }
            let position = i < 0 ? a.count + i : i
            return position >= 0 && position < a.count ? a[position] : .null
        case .object(let o):
            if case .null = k { return .null }
            guard let key = Values.key(k) else { throw s.error(.typeMismatch, "an object cannot be indexed by \(Values.describe(k))") }
            return o[key] ?? .null
        default:
            throw s.error(.typeMismatch, "\(Values.describe(container)) cannot be indexed")
        }
    }

    func list(_ items: [Node], _ node: Node) throws(MappingError) -> Compiled {
        if items.count > limits.maxListCount { throw fail(.tooComplex, "the list has more than \(limits.maxListCount) items", at: node) }
        var parts: [Compiled] = []
        for item in items { parts.append(try compile(item)) }
        let evals = parts.map(\.eval)
        let count = evals.count
        let maxSteps = limits.maxSteps
        let s = site(node)
        let flags = propagate(parts)
        let c = Compiled(eval: { (f: inout Frame) throws(MappingError) -> JSONValue in
            f.steps &+= count
            if f.steps > maxSteps { throw s.error(.limitExceeded, "the evaluation took more than \(maxSteps) steps") }
            var out: [JSONValue] = []
            out.reserveCapacity(count)
            for e in evals { out.append(try e(&f)) }
            return .array(out)
        }, type: .list, usesLocals: flags.usesLocals, impure: flags.impure)
        return try folded(c, parts)
    }

    func object(_ pairs: [(Node, Node)], _ node: Node) throws(MappingError) -> Compiled {
        if pairs.count > limits.maxListCount { throw fail(.tooComplex, "the map has more than \(limits.maxListCount) entries", at: node) }
        var keys: [Compiled] = [], values: [Compiled] = []
        var seen: Set<String> = []
        for (k, v) in pairs {
            let key = try compile(k)
            if key.type.isKnown, ![.string, .number, .bool].contains(key.type) {
                throw fail(.type, "a map key must be a string, not a \(key.type)", at: k)
            }
            if let constant = key.constant, let text = Values.key(constant), !seen.insert(text).inserted {
                throw fail(.duplicateTarget, "the map has the key \(Values.quote(text)) twice", at: k)
            }
            keys.append(key)
            values.append(try compile(v))
        }
        let ke = keys.map(\.eval), ve = values.map(\.eval)
        let s = site(node)
        let count = ke.count
        let maxSteps = limits.maxSteps
        let flags = propagate(keys + values)
        let c = Compiled(eval: { (f: inout Frame) throws(MappingError) -> JSONValue in
            f.steps &+= count
            if f.steps > maxSteps { throw s.error(.limitExceeded, "the evaluation took more than \(maxSteps) steps") }
            var out: [String: JSONValue] = Dictionary(minimumCapacity: count)
            for k in 0..<count {
                let key = try ke[k](&f)
                guard let text = Values.key(key) else { throw s.error(.typeMismatch, "a map key must be a string, not \(Values.describe(key))") }
                out[text] = try ve[k](&f)
            }
            return .object(out)
        }, type: .object, usesLocals: flags.usesLocals, impure: flags.impure)
        return try folded(c, keys + values)
    }

    func conditional(_ cn: Node, _ an: Node, _ bn: Node, _ node: Node) throws(MappingError) -> Compiled {
        let cond = try compile(cn)
        if cond.type.isKnown, cond.type != .bool { throw fail(.type, "the condition of \"? :\" must be a boolean, not a \(cond.type)", at: cn) }
        let a = try compile(an), b = try compile(bn)
        let ce = cond.eval, ae = a.eval, be = b.eval
        let s = site(cn)
        let flags = propagate([cond, a, b])
        if let v = cond.constant {
            do { return try Values.truth(v, "the condition") ? a : b } catch { throw s.error(error) }
        }
        return Compiled(eval: { (f: inout Frame) throws(MappingError) -> JSONValue in
            let v = try ce(&f)
            let t: Bool
            do { t = try Values.truth(v, "the condition of \"? :\"") } catch { throw s.error(error) }
            return t ? try ae(&f) : try be(&f)
        }, type: a.type.join(b.type), usesLocals: flags.usesLocals, impure: flags.impure)
    }

    func logical(_ op: LogicalOperator, _ items: [Node], _ node: Node) throws(MappingError) -> Compiled {
        var parts: [Compiled] = []
        for item in items {
            let c = try compile(item)
            if c.type.isKnown, c.type != .bool {
                throw fail(.type, "the operands of \(op.rawValue) must be booleans; \(text(item)) is a \(c.type)", at: item)
            }
            parts.append(c)
        }
        let evals = parts.map(\.eval)
        let sites = items.map { site($0) }
        let flags = propagate(parts)
        let isAnd = op == .and
        let c = Compiled(eval: { (f: inout Frame) throws(MappingError) -> JSONValue in
            for k in 0..<evals.count {
                let v = try evals[k](&f)
                let t: Bool
                do { t = try Values.truth(v, "an operand of \(isAnd ? "&&" : "||")") } catch { throw sites[k].error(error) }
                if t != isAnd { return .bool(!isAnd) }
            }
            return .bool(isAnd)
        }, type: .bool, usesLocals: flags.usesLocals, impure: flags.impure)
        return try folded(c, parts)
    }
}
