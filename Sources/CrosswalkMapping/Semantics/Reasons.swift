import CrosswalkCore

/// Explains false criteria for the sync log: which conjunct failed, in words where the shape is
/// familiar ("LastName is empty", "Stage is \"Lost\", not one of [\"Won\", \"Negotiation\"]").
struct Explainer: Sendable {
    enum Kind: Sendable {
        case all([Explainer])
        case any([Explainer])
        case leaf(@Sendable (inout Frame) -> String)
    }
    let eval: Eval
    let kind: Kind

    /// Why this part is false, or `nil` when it is not false (or fails to evaluate).
    func reason(_ frame: inout Frame) -> String? {
        guard let v = try? eval(&frame), (try? Values.truth(v, "")) == false else { return nil }
        switch kind {
        case .all(let parts):
            for p in parts { if let r = p.reason(&frame) { return r } }
            return nil
        case .any(let parts):
            let reasons = parts.compactMap { $0.reason(&frame) }
            return reasons.isEmpty ? nil : reasons.joined(separator: " and ")
        case .leaf(let describe):
            let before = frame.unresolved.count
            _ = try? eval(&frame)
            var text = describe(&frame)
            if frame.unresolved.count > before {
                let keys = Array(Set(frame.unresolved[before...].map(\.description))).sorted()
                text += " (not synced yet: \(keys.joined(separator: ", ")))"
            }
            return text
        }
    }
}

extension Compiler {
    func explainer(_ node: Node) throws(MappingError) -> Explainer {
        let compiled = try compile(node)
        switch node.kind {
        case .logical(.and, let items):
            var parts: [Explainer] = []
            for i in items { parts.append(try explainer(i)) }
            return Explainer(eval: compiled.eval, kind: .all(parts))
        case .logical(.or, let items):
            var parts: [Explainer] = []
            for i in items { parts.append(try explainer(i)) }
            return Explainer(eval: compiled.eval, kind: .any(parts))
        default:
            return Explainer(eval: compiled.eval, kind: .leaf(try describer(node)))
        }
    }

    /// How to say a leaf is false, chosen by its shape.
    private func describer(_ node: Node) throws(MappingError) -> @Sendable (inout Frame) -> String {
        let whole = text(node)
        func value(_ n: Node) throws(MappingError) -> (String, Eval) { (text(n), try compile(n).eval) }
        // `x op constant` or `constant op x`.
        if case .binary(let op, let a, let b) = node.kind, op.isComparison {
            var subject = a, constant: JSONValue? = constantValue(b)
            if constant == nil, op != .in, let c = constantValue(a) { subject = b; constant = c }
            if let constant {
                let (name, e) = try value(subject)
                let constantText = Values.show(constant)
                switch op {
                case .notEqual:
                    let what = constant == .string("") ? "empty" : constantText
                    return { _ in "\(name) is \(what)" }
                case .equal:
                    return { f in "\(name) is \(Compiler.shown(e, &f)), not \(constantText)" }
                case .in:
                    let listText = text(b)
                    return { f in "\(name) is \(Compiler.shown(e, &f)), not one of \(listText)" }
                default:
                    return { f in "\(whole) is false (\(name) is \(Compiler.shown(e, &f)))" }
                }
            }
        }
        // `!empty(x)`.
        if case .unary(.not, let inner) = node.kind, case .call("empty", let args) = inner.kind, args.count == 1 {
            let (name, e) = try value(args[0])
            return { f in "\(name) is \(Compiler.shown(e, &f))" }
        }
        // `has(x)`.
        if case .call("has", let args) = node.kind, args.count == 1 {
            let name = text(args[0])
            return { _ in "\(name) is missing" }
        }
        // Anything else: the text, and the fields it reads.
        var readers: [(String, Eval)] = []
        collectFields(node, into: &readers)
        let shownFields = Array(readers.prefix(3))
        return { f in
            if shownFields.isEmpty { return "\(whole) is false" }
            let values = shownFields.map { "\($0.0) is \(Compiler.shown($0.1, &f))" }
            return "\(whole) is false (\(values.joined(separator: ", ")))"
        }
    }

    /// A sub-expression's value as a reason shows it.
    static func shown(_ e: Eval, _ f: inout Frame) -> String {
        guard let v = try? e(&f) else { return "not computable" }
        if case .string(let s) = v, s.isEmpty { return "empty" }
        return Values.show(v)
    }

    /// The record fields (top-level names) a node reads, once each, in order.
    private func collectFields(_ node: Node, into readers: inout [(String, Eval)]) {
        func add(_ n: Node) {
            guard let name = fieldName(n), !readers.contains(where: { $0.0 == text(n) }), let c = try? compile(n) else { return }
            _ = name
            readers.append((text(n), c.eval))
        }
        switch node.kind {
        case .name, .root: add(node)
        case .member(let b, _):
            if fieldName(node) != nil { add(node) } else { collectFields(b, into: &readers) }
        case .index(let a, let b):
            if fieldName(node) != nil { add(node) } else { collectFields(a, into: &readers); collectFields(b, into: &readers) }
        case .unary(_, let a): collectFields(a, into: &readers)
        case .binary(_, let a, let b): collectFields(a, into: &readers); collectFields(b, into: &readers)
        case .call(let name, let args):
            if Self.specialForms.contains(name), name != "has", name != "lookup" { return } // macros bind variables
            for a in args { collectFields(a, into: &readers) }
        case .logical(_, let items), .list(let items): for i in items { collectFields(i, into: &readers) }
        case .conditional(let a, let b, let c): for i in [a, b, c] { collectFields(i, into: &readers) }
        case .object(let pairs): for (k, v) in pairs { collectFields(k, into: &readers); collectFields(v, into: &readers) }
        case .literal: break
        }
    }
}
