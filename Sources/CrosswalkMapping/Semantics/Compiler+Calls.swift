import CrosswalkConnectors
import CrosswalkCore

extension Compiler {
    /// Every built-in by name.
    static let builtins: [String: Builtin] = {
        var table: [String: Builtin] = [:]
        for b in StringFunctions.all + ValueFunctions.all + DateFunctions.all { table[b.name] = b }
        return table
    }()

    /// Names the compiler handles itself.
    static let specialForms: Set<String> = ["has", "lookup", "all", "exists", "map", "filter", "run_time", "today"]

    /// Every function name a mapping may call without a plugin.
    static var builtinNames: [String] { Array(builtins.keys) + specialForms }

    func call(_ name: String, _ args: [Node], _ node: Node) throws(MappingError) -> Compiled {
        switch name {
        case "has": return try has(args, node)
        case "lookup": return try lookup(args, node)
        case "all", "exists", "map", "filter": return try macro(name, args, node)
        case "run_time", "today": return try clock(name, args, node)
        default: break
        }
        if let b = Self.builtins[name] { return try builtin(b, args, node) }
        if let f = try plugin(named: name, node) { return try pluginCall(f, args, node) }
        // Every name a plugin function answers to: bare, and each dotted tail of its plugin id.
        let candidates = Self.builtinNames + pluginFunctions.flatMap { f in
            let parts = f.pluginID.split(separator: ".")
            return [f.name] + parts.indices.map { parts[$0...].joined(separator: ".") + "." + f.name }
        }
        throw fail(.unknownFunction, "unknown function \"\(name)\"\(Suggestions.hint(for: name, in: candidates))", at: node)
    }

    func arityError(_ name: String, _ expected: String, _ got: Int, _ node: Node) -> MappingError {
        fail(.arity, "\(name) takes \(expected), not \(got)", at: node)
    }

    func builtin(_ b: Builtin, _ argNodes: [Node], _ node: Node) throws(MappingError) -> Compiled {
        guard b.accepts(count: argNodes.count) else {
            let expected = b.variadic ? "at least \(b.required) argument\(b.required == 1 ? "" : "s")"
                : b.required == b.parameters.count ? "\(b.required) argument\(b.required == 1 ? "" : "s")"
                : "\(b.required) to \(b.parameters.count) arguments"
            throw fail(.arity, "\(b.name) takes \(expected), not \(argNodes.count): \(b.usage)", at: node)
        }
        var args: [Compiled] = []
        for (k, n) in argNodes.enumerated() {
            let c = try compile(n)
            let accepts = b.parameter(k)
            if !accepts.admits(c.type) {
                throw fail(.type, "\(b.name): argument \(k + 1) must be \(accepts.description); \(text(n)) is a \(c.type)", at: n)
            }
            args.append(c)
        }
        let flags = propagate(args)
        let s = site(node)
        let limits = self.limits
        let nullPropagating = b.nullPropagating
        let type = b.result(args.map(\.type))
        let evals = args.map(\.eval)
        let eval: Eval
        switch (b.implementation, evals.count) {
        case (.unary(let fn), 1):
            let a0 = evals[0]
            eval = { (f: inout Frame) throws(MappingError) -> JSONValue in
                let x = try a0(&f)
                if nullPropagating, case .null = x { return .null }
                do { return try fn(x, limits) } catch { throw s.error(error) }
            }
        case (.binary(let fn), 2):
            let a0 = evals[0], a1 = evals[1]
            eval = { (f: inout Frame) throws(MappingError) -> JSONValue in
                let x = try a0(&f)
                let y = try a1(&f)
                if nullPropagating, x.isNull || y.isNull { return .null }
                do { return try fn(x, y, limits) } catch { throw s.error(error) }
            }
        case (.ternary(let fn), 3):
            let a0 = evals[0], a1 = evals[1], a2 = evals[2]
            eval = { (f: inout Frame) throws(MappingError) -> JSONValue in
                let x = try a0(&f)
                let y = try a1(&f)
                let z = try a2(&f)
                if nullPropagating, x.isNull || y.isNull || z.isNull { return .null }
                do { return try fn(x, y, z, limits) } catch { throw s.error(error) }
            }
        case (.variadic(let fn), _):
            eval = { (f: inout Frame) throws(MappingError) -> JSONValue in
                var values: [JSONValue] = []
                values.reserveCapacity(evals.count)
                for e in evals {
                    let v = try e(&f)
                    if nullPropagating, case .null = v { return .null }
                    values.append(v)
                }
                do { return try fn(values, limits) } catch { throw s.error(error) }
            }
        default:
            throw fail(.arity, "\(b.usage) cannot be called with \(evals.count) arguments", at: node)
        }
        return try folded(Compiled(eval: eval, type: type, usesLocals: flags.usesLocals, impure: flags.impure), args)
    }

    // MARK: Special forms

    /// `has(path)`: whether the record has the field (even when its value is null).
    func has(_ args: [Node], _ node: Node) throws(MappingError) -> Compiled {
        guard args.count == 1 else { throw arityError("has", "1 argument (a field)", args.count, node) }
        let arg = args[0]
        let path: [String]
        if case .index(let base, let idx) = arg.kind, case .root = base.kind, case .literal(.string(let n)) = idx.kind {
            path = [n]
        } else if case .member(let base, let n) = arg.kind, case .root = base.kind {
            path = [n]
        } else if let p = arg.fieldPath {
            path = p
        } else {
            throw fail(.type, "has() takes a field, such as has(Email) or has(address.city)", at: arg)
        }
        if scopes.contains(where: { $0.name == path[0] }) {
            // has(item.x) on a macro variable: presence of a member of the element.
            let base = try compile(arg.kind.memberBase ?? arg)
            let last = path[path.count - 1]
            guard path.count > 1 else { throw fail(.type, "has() needs a member of \(path[0]), such as has(\(path[0]).field)", at: arg) }
            let b = base.eval
            return Compiled(eval: { (f: inout Frame) throws(MappingError) -> JSONValue in
                if case .object(let o) = try b(&f) { return .bool(o[last] != nil) }
                return .bool(false)
            }, type: .bool, usesLocals: true)
        }
        readFields.insert(path[0])
        if let fields, fields[path[0]] == nil {
            throw fail(.unknownField, "unknown field \"\(path[0])\"\(Suggestions.hint(for: path[0], in: fields.keys))", at: arg)
        }
        let p = path
        return Compiled(eval: { (f: inout Frame) throws(MappingError) -> JSONValue in
            guard var current = f.record[p[0]] else { return .bool(false) }
            for name in p.dropFirst() {
                guard case .object(let o) = current, let next = o[name] else { return .bool(false) }
                current = next
            }
            return .bool(true)
        }, type: .bool)
    }

    /// `lookup(id[, "targetObject"[, "sourceObject"]])`: the twin's id through the ID map.
    func lookup(_ args: [Node], _ node: Node) throws(MappingError) -> Compiled {
        guard (1...3).contains(args.count) else { throw arityError("lookup", "1 to 3 arguments: lookup(id[, \"target object\"[, \"source object\"]])", args.count, node) }
        let id = try compile(args[0])
        if id.type.isKnown, id.type != .string, id.type != .number {
            throw fail(.type, "lookup: the id must be a string or a number; \(text(args[0])) is a \(id.type)", at: args[0])
        }
        func constantString(_ k: Int, _ what: String) throws(MappingError) -> String? {
            guard k < args.count else { return nil }
            let c = try compile(args[k])
            guard case .string(let s)? = c.constant, !s.isEmpty else {
                throw fail(.type, "lookup: the \(what) must be a non-empty string literal", at: args[k])
            }
            return s
        }
        let target = try constantString(1, "target object")
        var sourceObject = try constantString(2, "source object")
        if sourceObject == nil, let path = args[0].fieldPath, path.count == 1, !scopes.contains(where: { $0.name == path[0] }),
           let refs = references[path[0]], refs.count == 1 {
            sourceObject = refs[0]
        }
        let e = id.eval
        let s = site(args[0])
        let source = sourceObject
        let keyOf: @Sendable (JSONValue) throws(MappingError) -> LookupKey? = { (v: JSONValue) throws(MappingError) -> LookupKey? in
            switch v {
            case .null: return nil
            case .string(let text): return text.isEmpty ? nil : LookupKey(sourceObject: source, id: text, targetObject: target)
            case .number(let n): return LookupKey(sourceObject: source, id: n.text, targetObject: target)
            default: throw s.error(.typeMismatch, "lookup: the id must be a string or a number, not \(Values.describe(v))")
            }
        }
        let eval: Eval = { (f: inout Frame) throws(MappingError) -> JSONValue in
            guard let key = try keyOf(try e(&f)) else { return .null }
            if f.collecting {
                f.requested.append(key)
                return .null
            }
            if let twin = f.lookups[key] { return .string(twin) }
            f.unresolved.append(key)
            return .null
        }
        if id.usesLocals {
            assignmentsNeedingCollection.insert(currentAssignment)
            lookupSites.append(LookupSite(key: nil, assignment: currentAssignment))
        } else {
            lookupSites.append(LookupSite(key: { (f: inout Frame) throws(MappingError) -> LookupKey? in try keyOf(try e(&f)) },
                                          assignment: currentAssignment))
        }
        return Compiled(eval: eval, type: .string, usesLocals: id.usesLocals, impure: true)
    }

    /// `run_time()` (RFC 3339) and `today()` (`yyyy-MM-dd`), from the environment's run time.
    func clock(_ name: String, _ args: [Node], _ node: Node) throws(MappingError) -> Compiled {
        guard args.isEmpty else { throw arityError(name, "no arguments", args.count, node) }
        let s = site(node)
        let dateOnly = name == "today"
        return Compiled(eval: { (f: inout Frame) throws(MappingError) -> JSONValue in
            guard let ms = f.runTimeMillis, ms >= CivilTime.minMillis, ms <= CivilTime.maxMillis else {
                throw s.error(.noRunTime, "\(name)() needs the run's time, which this evaluation was not given")
            }
            let t = CivilTime(millis: ms)
            return .string(dateOnly ? t.dateText : t.dateTimeText)
        }, type: .string, impure: true)
    }

    /// `all(list, x, predicate)`, `exists(…)`, `map(list, x, expression)`, `filter(list, x, predicate)`:
    /// one pass over the list, each iteration a step.
    func macro(_ name: String, _ args: [Node], _ node: Node) throws(MappingError) -> Compiled {
        guard args.count == 3 else { throw arityError(name, "3 arguments: \(name)(list, x, \(name == "map" ? "expression" : "condition"))", args.count, node) }
        guard case .name(let variable) = args[1].kind else {
            throw fail(.syntax, "\(name): the second argument names the element, such as \(name)(Items, i, …)", at: args[1])
        }
        let listC = try compile(args[0])
        if listC.type.isKnown, listC.type != .list { throw fail(.type, "\(name): the first argument must be a list; \(text(args[0])) is a \(listC.type)", at: args[0]) }
        let slot = slotCount
        slotCount += 1
        scopes.append((variable, slot))
        let bodyResult: Result<Compiled, MappingError>
        do { bodyResult = .success(try compile(args[2])) } catch { bodyResult = .failure(error) }
        scopes.removeLast()
        let body = try bodyResult.get()
        if name != "map", body.type.isKnown, body.type != .bool {
            throw fail(.type, "\(name): the condition must be a boolean; \(text(args[2])) is a \(body.type)", at: args[2])
        }
        let le = listC.eval, be = body.eval
        let s = site(node), bodySite = site(args[2])
        let maxSteps = limits.maxSteps
        let kind = name
        let eval: Eval = { (f: inout Frame) throws(MappingError) -> JSONValue in
            let listValue = try le(&f)
            let items: [JSONValue]
            switch listValue {
            case .array(let a): items = a
            case .null: return .null
            default: throw s.error(.typeMismatch, "\(kind): the first argument must be a list, not \(Values.describe(listValue))")
            }
            var out: [JSONValue] = []
            for item in items {
                f.steps &+= 1
                if f.steps > maxSteps { throw s.error(.limitExceeded, "the evaluation took more than \(maxSteps) steps") }
                f.locals[slot] = item
                let v = try be(&f)
                switch kind {
                case "map": out.append(v)
                default:
                    let t: Bool
                    do { t = try Values.truth(v, "the condition of \(kind)") } catch { throw bodySite.error(error) }
                    if kind == "all", !t { return .bool(false) }
                    if kind == "exists", t { return .bool(true) }
                    if kind == "filter", t { out.append(item) }
                }
            }
            switch kind {
            case "all": return .bool(true)
            case "exists": return .bool(false)
            default: return .array(out)
            }
        }
        let type: StaticType = name == "all" || name == "exists" ? .bool : .list
        return Compiled(eval: eval, type: type, usesLocals: listC.usesLocals, impure: listC.impure || body.impure)
    }

    // MARK: Plugin functions

    /// The plugin function a (possibly dotted) name calls, if any.
    func plugin(named name: String, _ node: Node) throws(MappingError) -> PluginFunction? {
        let matches = pluginFunctions.filter { f in
            if f.qualifiedName == name { return true }
            guard name.hasSuffix("." + f.name) || name == f.name else { return false }
            let qualifier = name == f.name ? "" : String(name.dropLast(f.name.count + 1))
            return qualifier.isEmpty || f.pluginID == qualifier || f.pluginID.hasSuffix("." + qualifier)
        }
        if matches.count > 1 {
            throw fail(.ambiguousFunction, "\(name) is exported by several plugins (\(matches.map(\.qualifiedName).sorted().joined(separator: ", "))); call it by its full name", at: node)
        }
        return matches.first
    }

    func pluginCall(_ function: PluginFunction, _ argNodes: [Node], _ node: Node) throws(MappingError) -> Compiled {
        let signature = function.signature
        guard argNodes.count == signature.parameters.count else {
            throw fail(.arity, "\(function.qualifiedName) takes \(signature.parameters.count) argument\(signature.parameters.count == 1 ? "" : "s") (\(signature)), not \(argNodes.count)", at: node)
        }
        var args: [Compiled] = []
        for (k, n) in argNodes.enumerated() {
            let c = try compile(n)
            let want: StaticType = Self.type(of: signature.parameters[k])
            if c.type.isKnown, c.type != want {
                throw fail(.type, "\(function.qualifiedName): argument \(k + 1) must be a \(signature.parameters[k].rawValue); \(text(n)) is a \(c.type)", at: n)
            }
            args.append(c)
        }
        guard let provider = context.functions else { throw fail(.unknownFunction, "no plugin functions are available", at: node) }
        let evals = args.map(\.eval)
        let parameters = signature.parameters
        let returns = signature.returns
        let s = site(node)
        let qualified = function.qualifiedName
        let flags = propagate(args)
        let eval: Eval = { (f: inout Frame) throws(MappingError) -> JSONValue in
            var values: [JSONValue] = []
            values.reserveCapacity(evals.count)
            for (k, e) in evals.enumerated() {
                let v = try e(&f)
                if case .null = v { return .null }
                values.append(try Compiler.convert(v, to: parameters[k], position: k + 1, function: qualified, s))
            }
            let result: JSONValue
            do { result = try provider.call(function, arguments: values) } catch {
                let message = (error as? CrosswalkError)?.message ?? String(describing: error)
                throw s.error(.functionFailed, "\(qualified) failed: \(message)")
            }
            return try Compiler.check(result, returns, function: qualified, s)
        }
        let c = Compiled(eval: eval, type: Self.type(of: returns), usesLocals: flags.usesLocals, impure: flags.impure || !function.pure)
        return try folded(c, args)
    }

    static func type(of t: FunctionSignature.ValueType) -> StaticType {
        switch t {
        case .int64, .double: .number
        case .bool: .bool
        case .string: .string
        }
    }

    static func convert(_ v: JSONValue, to t: FunctionSignature.ValueType, position: Int, function: String, _ s: Site) throws(MappingError) -> JSONValue {
        switch (t, v) {
        case (.int64, .number(let n)):
            guard n.int64Value != nil else { throw s.error(.invalidValue, "\(function): argument \(position) must be a whole number within int64, not \(n.text.prefix(40))") }
            return v
        case (.double, .number), (.bool, .bool), (.string, .string): return v
        default:
            throw s.error(.typeMismatch, "\(function): argument \(position) must be a\(t == .int64 ? "n" : "") \(t.rawValue), not \(Values.describe(v))")
        }
    }

    static func check(_ v: JSONValue, _ t: FunctionSignature.ValueType, function: String, _ s: Site) throws(MappingError) -> JSONValue {
        switch (t, v) {
        case (_, .null), (.double, .number), (.bool, .bool), (.string, .string): return v
        case (.int64, .number(let n)) where n.isInteger: return v
        default: throw s.error(.functionFailed, "\(function) returned \(Values.describe(v)), not a\(t == .int64 ? "n" : "") \(t.rawValue)")
        }
    }
}

extension Node.Kind {
    /// The base of `base.name`.
    var memberBase: Node? {
        if case .member(let b, _) = self { return b }
        return nil
    }
}
