import CrosswalkConnectors
import CrosswalkCore

extension Compiler {
    /// Translates criteria into the ABI filter: `field op constant`, `field in [constants]`,
    /// null checks, `empty(field)` on typed fields, boolean fields, and `&&`, `||`, `!` of those.
    /// A conjunct that does not translate is left out (the filter stays implied by the criteria)
    /// and makes the result inexact; a disjunct or negation that does not translate exactly
    /// drops the whole `||` or `!`.
    func pushdown(_ root: Node, allowing operators: Set<String>?) -> Pushdown {
        let (filter, exact) = translate(root, operators)
        return Pushdown(filter: filter, exact: filter != nil && exact)
    }

    private func translate(_ node: Node, _ operators: Set<String>?) -> (Filter?, Bool) {
        func allowed(_ op: String) -> Bool { operators?.contains(op) ?? true }
        switch node.kind {
        case .logical(.and, let items):
            var filters: [Filter] = []
            var exact = true
            for item in items {
                let (f, e) = translate(item, operators)
                if let f { filters.append(f) }
                if f == nil || !e { exact = false }
            }
            if filters.isEmpty { return (nil, false) }
            if filters.count == 1 { return (filters[0], exact) }
            if !allowed("and") { return (filters[0], false) }
            return (.and(filters), exact)
        case .logical(.or, let items):
            var filters: [Filter] = []
            var exact = true
            for item in items {
                let (f, e) = translate(item, operators)
                guard let f else { return (nil, false) }
                filters.append(f)
                exact = exact && e
            }
            guard allowed("or") else { return (nil, false) }
            return (.or(filters), exact)
        case .unary(.not, let inner):
            let (f, e) = translate(inner, operators)
            guard let f, e, allowed("not") else { return (nil, false) }
            return (.not(f), true)
        case .binary(let op, let a, let b) where op.isComparison:
            return comparison(op, a, b, allowed)
        case .call("empty", let args) where args.count == 1:
            guard let name = fieldName(args[0]), let type = fields?[name] else { return (nil, false) }
            switch type {
            case .string:
                guard allowed("or"), allowed("is_null"), allowed("eq") else { return (nil, false) }
                return (.or([.isNull(field: name, true), .compare(.eq, field: name, value: .string(""))]), true)
            case .number, .bool:
                guard allowed("is_null") else { return (nil, false) }
                return (.isNull(field: name, true), true)
            default: return (nil, false)
            }
        case .literal(.bool(let b)):
            // Always true: an empty "and"; always false: an empty "or".
            guard allowed(b ? "and" : "or") else { return (nil, false) }
            return (b ? .and([]) : .or([]), true)
        default:
            // A boolean field on its own: `IsActive`.
            if let name = fieldName(node), fields?[name] == .bool, allowed("eq") {
                return (.compare(.eq, field: name, value: .bool(true)), true)
            }
            return (nil, false)
        }
    }

    private func comparison(_ op: BinaryOperator, _ a: Node, _ b: Node, _ allowed: (String) -> Bool) -> (Filter?, Bool) {
        if op == .in {
            guard let field = fieldName(a), case .array(let items)? = constantValue(b), items.allSatisfy(Self.isScalar), allowed("in") else {
                return (nil, false)
            }
            return (.oneOf(field: field, values: items), true)
        }
        let field: String, value: JSONValue, effective: BinaryOperator
        if let f = fieldName(a), let v = constantValue(b) {
            (field, value, effective) = (f, v, op)
        } else if let f = fieldName(b), let v = constantValue(a) {
            let flipped: BinaryOperator
            switch op {
            case .less: flipped = .greater
            case .lessOrEqual: flipped = .greaterOrEqual
            case .greater: flipped = .less
            case .greaterOrEqual: flipped = .lessOrEqual
            default: flipped = op
            }
            (field, value, effective) = (f, v, flipped)
        } else {
            return (nil, false)
        }
        guard Self.isScalar(value) else { return (nil, false) }
        if case .null = value {
            guard allowed("is_null") else { return (nil, false) }
            switch effective {
            case .equal: return (.isNull(field: field, true), true)
            case .notEqual: return (.isNull(field: field, false), true)
            default: return (nil, false)
            }
        }
        let comparison: Filter.Comparison
        switch effective {
        case .equal: comparison = .eq
        case .notEqual: comparison = .ne
        case .less: comparison = .lt
        case .lessOrEqual: comparison = .le
        case .greater: comparison = .gt
        case .greaterOrEqual: comparison = .ge
        default: return (nil, false)
        }
        guard allowed(comparison.rawValue) else { return (nil, false) }
        return (.compare(comparison, field: field, value: value), true)
    }

    static func isScalar(_ v: JSONValue) -> Bool {
        switch v {
        case .null, .bool, .number, .string: true
        case .array, .object: false
        }
    }

    /// The record field a node reads directly: `Name`, `` `Odd Name` ``, `$.Name`, `$["Name"]`.
    func fieldName(_ node: Node) -> String? {
        switch node.kind {
        case .name(let n): return scopes.contains { $0.name == n } ? nil : n
        case .member(let base, let n): if case .root = base.kind { return n }
        case .index(let base, let i): if case .root = base.kind, case .literal(.string(let n)) = i.kind { return n }
        default: break
        }
        return nil
    }

    /// The value of a constant expression (`"x"`, `-5`, `["a", "b"]`, `"a" + "b"`).
    func constantValue(_ node: Node) -> JSONValue? {
        guard let c = try? compile(node), !c.impure else { return nil }
        return c.constant
    }
}
