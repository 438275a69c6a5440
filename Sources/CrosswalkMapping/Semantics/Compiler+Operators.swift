import CrosswalkCore

extension Compiler {
    func unary(_ op: UnaryOperator, _ operandNode: Node, _ node: Node) throws(MappingError) -> Compiled {
        let operand = try compile(operandNode)
        let e = operand.eval
        let s = site(node)
        switch op {
        case .not:
            if operand.type.isKnown, operand.type != .bool { throw fail(.type, "\"!\" needs a boolean; \(text(operandNode)) is a \(operand.type)", at: node) }
            let c = Compiled(eval: { (f: inout Frame) throws(MappingError) -> JSONValue in
                let v = try e(&f)
                do { return .bool(!(try Values.truth(v, "the operand of \"!\""))) } catch { throw s.error(error) }
            }, type: .bool, usesLocals: operand.usesLocals, impure: operand.impure)
            return try folded(c, [operand])
        case .negate:
            if operand.type.isKnown, operand.type != .number { throw fail(.type, "\"-\" needs a number; \(text(operandNode)) is a \(operand.type)", at: node) }
            let c = Compiled(eval: { (f: inout Frame) throws(MappingError) -> JSONValue in
                switch try e(&f) {
                case .number(let n): return .number(Arithmetic.negate(n))
                case .null: return .null
                case let v: throw s.error(.typeMismatch, "\"-\" needs a number, not \(Values.describe(v))")
                }
            }, type: .number, usesLocals: operand.usesLocals, impure: operand.impure)
            return try folded(c, [operand])
        }
    }

    func binary(_ op: BinaryOperator, _ an: Node, _ bn: Node, _ node: Node) throws(MappingError) -> Compiled {
        let a = try compile(an), b = try compile(bn)
        let ae = a.eval, be = b.eval
        let s = site(node)
        let flags = propagate([a, b])
        let limits = self.limits
        func make(_ type: StaticType, _ body: @escaping @Sendable (JSONValue, JSONValue) throws(MappingError) -> JSONValue) throws(MappingError) -> Compiled {
            let c = Compiled(eval: { (f: inout Frame) throws(MappingError) -> JSONValue in
                let x = try ae(&f)
                let y = try be(&f)
                return try body(x, y)
            }, type: type, usesLocals: flags.usesLocals, impure: flags.impure)
            return try folded(c, [a, b])
        }
        switch op {
        case .coalesce:
            let c = Compiled(eval: { (f: inout Frame) throws(MappingError) -> JSONValue in
                let x = try ae(&f)
                if case .null = x { return try be(&f) }
                return x
            }, type: a.type.join(b.type), usesLocals: flags.usesLocals, impure: flags.impure)
            if let v = a.constant { return v.isNull ? b : a }
            return c

        case .add:
            if a.type.isKnown, b.type.isKnown, a.type != b.type || ![.number, .string, .list].contains(a.type) {
                throw fail(.type, "cannot add \(a.type) and \(b.type)\(a.type == .string || b.type == .string ? " (convert with string(…))" : "")", at: node)
            }
            if a.type.isKnown, ![.number, .string, .list].contains(a.type) { throw fail(.type, "cannot add a \(a.type)", at: an) }
            if b.type.isKnown, ![.number, .string, .list].contains(b.type) { throw fail(.type, "cannot add a \(b.type)", at: bn) }
            let type = a.type.isKnown ? a.type : b.type.isKnown ? b.type : .dyn
            return try make(type) { (x, y) throws(MappingError) -> JSONValue in
                switch (x, y) {
                case (.number(let p), .number(let q)):
                    do { return .number(try Arithmetic.add(p, q, limits)) } catch { throw s.error(error) }
                case (.string(let p), .string(let q)):
                    if p.utf8.count + q.utf8.count > limits.maxStringBytes {
                        throw s.error(.limitExceeded, "the string would be longer than \(limits.maxStringBytes) bytes")
                    }
                    return .string(p + q)
                case (.array(let p), .array(let q)):
                    if p.count + q.count > limits.maxListCount { throw s.error(.limitExceeded, "the list would have more than \(limits.maxListCount) items") }
                    return .array(p + q)
                case (.null, _), (_, .null): return .null
                default:
                    throw s.error(.typeMismatch, "cannot add \(Values.describe(x)) and \(Values.describe(y))\(x.stringValue != nil || y.stringValue != nil ? " (convert with string(…))" : "")")
                }
            }

        case .subtract, .multiply, .divide, .remainder:
            for (c, n) in [(a, an), (b, bn)] where c.type.isKnown && c.type != .number {
                throw fail(.type, "\"\(op.rawValue)\" needs numbers; \(text(n)) is a \(c.type)", at: n)
            }
            let name = op.rawValue
            let apply: @Sendable (JSONNumber, JSONNumber) throws(Fault) -> JSONNumber
            switch op {
            case .subtract: apply = { (p, q) throws(Fault) in try Arithmetic.subtract(p, q, limits) }
            case .multiply: apply = { (p, q) throws(Fault) in try Arithmetic.multiply(p, q, limits) }
            case .divide: apply = { (p, q) throws(Fault) in try Arithmetic.divide(p, q, limits) }
            default: apply = { (p, q) throws(Fault) in try Arithmetic.remainder(p, q, limits) }
            }
            if op == .divide || op == .remainder, let d = b.constant?.numberValue, d.text == "0" {
                throw fail(.divisionByZero, "division by zero", at: bn)
            }
            return try make(.number) { (x, y) throws(MappingError) -> JSONValue in
                switch (x, y) {
                case (.number(let p), .number(let q)):
                    do { return .number(try apply(p, q)) } catch { throw s.error(error) }
                case (.null, _), (_, .null): return .null
                default: throw s.error(.typeMismatch, "\"\(name)\" needs numbers, not \(Values.describe(x)) and \(Values.describe(y))")
                }
            }

        case .equal, .notEqual:
            if a.type.isKnown, b.type.isKnown, a.type != b.type {
                throw fail(.type, "comparing a \(a.type) with a \(b.type) is always \(op == .notEqual)", at: node)
            }
            let want = op == .equal
            return try make(.bool) { (x, y) throws(MappingError) -> JSONValue in .bool(Values.equal(x, y) == want) }

        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            for (c, n) in [(a, an), (b, bn)] where c.type == .list || c.type == .object {
                throw fail(.type, "a \(c.type) has no order; \"\(op.rawValue)\" compares numbers, strings and booleans", at: n)
            }
            if a.type.isKnown, b.type.isKnown, a.type != b.type {
                throw fail(.type, "cannot order a \(a.type) against a \(b.type)", at: node)
            }
            let test: @Sendable (Int) -> Bool
            switch op {
            case .less: test = { $0 < 0 }
            case .lessOrEqual: test = { $0 <= 0 }
            case .greater: test = { $0 > 0 }
            default: test = { $0 >= 0 }
            }
            return try make(.bool) { (x, y) throws(MappingError) -> JSONValue in
                guard let o = Values.order(x, y) else { return .bool(false) }
                return .bool(test(o))
            }

        case .in:
            if b.type.isKnown, b.type != .list, b.type != .object {
                throw fail(.type, "\"in\" needs a list or an object on its right; \(text(bn)) is a \(b.type)", at: bn)
            }
            // A constant list of scalars: a set lookup.
            if case .array(let items)? = b.constant, items.count > 8 {
                let set = Set(items)
                return try make(.bool) { (x, _) throws(MappingError) -> JSONValue in .bool(set.contains(x)) }
            }
            return try make(.bool) { (x, y) throws(MappingError) -> JSONValue in
                switch y {
                case .array(let items): return .bool(items.contains(x))
                case .object(let o):
                    guard let key = Values.key(x) else { return .bool(false) }
                    return .bool(o[key] != nil)
                case .null: return .bool(false)
                default: throw s.error(.typeMismatch, "\"in\" needs a list or an object on its right, not \(Values.describe(y))")
                }
            }
        }
    }
}
