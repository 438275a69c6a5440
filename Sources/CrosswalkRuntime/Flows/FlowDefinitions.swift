import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkEngine
import CrosswalkFlows
import CrosswalkMapping
import Foundation

/// The deployment's `flows:`: each read into a ``Flow``, checked (its keys, its connections, the
/// flow model's rules) and its mappings and criteria compiled, every problem reported as
/// `file:line[:column]: flows.NAME.key: message` — for a mapping, the line and column inside the
/// YAML file.
///
/// ```yaml
/// flows:
///   contacts:
///     source: {connection: hubspot, object: Contact}
///     criteria: '!empty(email)'
///     targets:
///       - connection: aritic
///         object: Contact
///         match_keys: [{external_id: crm_id}]
///         mapping: |
///           email = email
///           crm_id = _id
/// ```
public struct FlowDefinitions: Sendable {
    /// The flows that are free of problems, by name.
    public var flows: [String: Flow]
    /// Every problem found, in file order.
    public var problems: [String]
    /// The schedules of the flows that have one (`schedule:`, or an interval or cron trigger).
    public var schedules: [String: FlowSchedule] = [:]
    /// Every problem found, structured: the flow, the key path inside it (`targets[0].mapping`; empty
    /// for the flow itself) and the message — what the admin API answers a bad flow with.
    public var issues: [FlowIssue] = []

    /// The flow named `name`.
    /// - Throws: `.config` naming the flows the config defines, or that flow's problems.
    public func flow(_ name: String, file: String) throws -> Flow {
        if let flow = flows[name] { return flow }
        let own = problems.filter { $0.contains(": flows.\(name).") || $0.contains(": flows.\(name):") }
        if !own.isEmpty { throw CrosswalkError(.config, own.joined(separator: "\n"), context: ["flow": name]) }
        let known = flows.keys.sorted()
        throw CrosswalkError(.config, "no flow \"\(name)\" in \(file)" + (known.isEmpty ? " (it defines none)" : "; known: \(known.joined(separator: ", "))"),
                             context: ["flow": name])
    }

    /// Reads the flows of `config`; `text` is the file's YAML (for lines), `functions` the plugin
    /// functions mappings may call.
    ///
    /// `schemas`, when given, is each (connection, object)'s discovered schema: mappings and
    /// criteria are then type-checked against it (a field the object does not have is a problem;
    /// with a model, only the model's fields can be read). The admin API checks new flows so.
    public static func read(_ config: DeploymentConfig, file: String, text: String, functions: (any MappingFunctionProvider)? = nil,
                            schemas: (@Sendable (String, String) -> ObjectSchema?)? = nil) -> FlowDefinitions {
        let map = ConfigSourceMap(yaml: text)
        let fromAPI = text.isEmpty  // flows the admin API checks: no file, so no file lines
        var flows: [String: Flow] = [:]
        var schedules: [String: FlowSchedule] = [:]
        var problems: [(line: Int, text: String)] = []
        var issues: [FlowIssue] = []
        for (name, raw) in config.flows.sorted(by: { $0.key < $1.key }) {
            let base = "flows.\(name)"
            func report(_ path: String, _ message: String, column: Int? = nil, line: Int? = nil) {
                let l = line ?? map.line(path)
                problems.append((l, "\(file):\(l)\(column.map { ":\($0)" } ?? ""): \(path): \(message)"))
                let inner = path == base ? "" : String(path.dropFirst(base.count + 1))
                issues.append(FlowIssue(flow: name, path: inner, message: message, line: text.isEmpty ? nil : l, column: column))
            }
            let before = problems.count
            for (path, message) in unknownKeys(raw.fields, at: base) { report(path, message) }
            var fields = raw.fields
            fields["name"] = .string(name)
            let flow: Flow
            do { flow = try JSONValueDecoder().decode(Flow.self, from: Data(ConfigValue.object(fields).jsonData())) } catch let error as DecodingError {
                let (path, message) = describe(error)
                report(path.isEmpty ? base : "\(base).\(path)", message)
                continue
            } catch {
                report(base, "\(error)")
                continue
            }
            for problem in flow.problems { report(base, problem) }
            let (schedule, scheduleProblems) = FlowSchedule.read(raw.fields["schedule"], triggers: flow.triggers)
            for (path, message) in scheduleProblems {
                let place = map.scalars["\(base).\(path)"]
                report("\(base).\(path)", message, column: place?.column, line: place?.line)
            }
            if let schedule { schedules[name] = schedule }
            var connections = [("source.connection", flow.source.connection)]
            for (i, t) in flow.targets.enumerated() { connections.append(("targets[\(i)].connection", t.connection)) }
            for (path, connection) in connections where !connection.isEmpty && config.connections[connection] == nil {
                let known = config.connections.keys.sorted().joined(separator: ", ")
                report("\(base).\(path)", "no connection \"\(connection)\" in the config" + (known.isEmpty ? "" : " (known: \(known))"))
            }
            // Each mapping and criteria, compiled where it is written.
            let compiler = MappingLanguageCompiler(functions: functions)
            func compile(_ path: String, _ text: String, criteria: Bool, _ context: MappingContext) {
                let place = map.scalars["\(base).\(path)"]
                var compileContext = compiler.compileContext(context, sourceName: file, firstLine: place?.line ?? map.line("\(base).\(path)"))
                compileContext.sourceName = file
                if let schemas {
                    compileContext.sourceSchema = schemas(context.sourceConnection, context.sourceObject).map { schema in
                        var view = schema
                        if context.sourceConnection == flow.source.connection, context.sourceObject == flow.source.object, let model = flow.source.model {
                            view.fields = schema.fields.filter { model.fields.contains($0.name) }
                        }
                        // The record's own id is always readable (`crm_id = _id`), model or not.
                        if view.field(MappingLanguageCompiler.idField) == nil {
                            view.fields.append(FieldSchema(name: MappingLanguageCompiler.idField, type: .id))
                        }
                        return view
                    }
                    if !criteria, let c = context.targetConnection, let o = context.targetObject { compileContext.targetSchema = schemas(c, o) }
                }
                do {
                    if criteria { _ = try CriteriaProgram.compile(text, context: compileContext) } else { _ = try MappingProgram.compile(text, context: compileContext) }
                } catch where fromAPI {
                    // A flow from the admin API (no file): where the mistake is in the mapping text itself.
                    let line = error.line - compileContext.firstLine + 1
                    report("\(base).\(path)", "line \(line), column \(error.column) (\(line):\(error.column)): \(error.message)", column: error.column, line: line)
                } catch {
                    let onFirst = error.line == (place?.line ?? -1)
                    let column = (place.map { $0.block || onFirst ? $0.column - 1 : 0 } ?? 0) + error.column
                    report("\(base).\(path)", error.message, column: column, line: error.line)
                }
            }
            let source = flow.source
            func context(_ step: String?, _ target: FlowTarget?) -> MappingContext {
                MappingContext(flow: name, step: step, sourceConnection: source.connection, sourceObject: source.object,
                               targetConnection: target?.connection, targetObject: target?.object)
            }
            if let c = flow.criteria { compile("criteria", c, criteria: true, context(nil, nil)) }
            for (i, t) in flow.targets.enumerated() {
                compile("targets[\(i)].mapping", t.mapping, criteria: false, context(t.name, t))
                if let c = t.criteria { compile("targets[\(i)].criteria", c, criteria: true, context(t.name, t)) }
            }
            if case .twoWay(let settings) = flow.direction, let first = flow.targets.first {
                let back = MappingContext(flow: name, step: "reverse", sourceConnection: first.connection, sourceObject: first.object,
                                          targetConnection: source.connection, targetObject: source.object)
                compile("direction.two_way.reverse_mapping", settings.reverseMapping, criteria: false, back)
                if let c = settings.reverseCriteria { compile("direction.two_way.reverse_criteria", c, criteria: true, back) }
            }
            if problems.count == before { flows[name] = flow }
        }
        return FlowDefinitions(flows: flows, problems: problems.sorted { $0.line < $1.line }.map(\.text),
                               schedules: schedules.filter { flows[$0.key] != nil }, issues: issues)
    }

    /// The keys each part of a flow may have (`source.model` may also be the name of a stored model).
    static let allowed: [String: Set<String>] = [
        "": ["description", "enabled", "source", "targets", "triggers", "direction", "criteria", "start", "dependencies", "link", "schedule"],
        "schedule": ["every", "cron", "jitter"],
        "source": ["connection", "object", "model"],
        "source.model": ["name", "fields"],
        "targets[]": ["name", "connection", "object", "mode", "delete_policy", "match_keys", "mapping", "criteria", "links", "write_back"],
        "targets[].links[]": ["step", "lookup", "source_object", "object", "field", "type"],
        "direction.two_way": ["reverse_mapping", "reverse_criteria", "conflict", "owners", "reverse_match_keys"],
        "dependencies[]": ["field", "link_type", "object", "target_object", "required", "when_missing", "flow"],
    ]

    /// Keys a flow may not have, as (path, message), with a did-you-mean.
    static func unknownKeys(_ fields: [String: ConfigValue], at base: String) -> [(String, String)] {
        var found: [(String, String)] = []
        func check(_ value: ConfigValue?, _ shape: String, _ path: String) {
            guard case .object(let object)? = value, let keys = allowed[shape] else { return }
            for key in object.keys.sorted() where !keys.contains(key) {
                let near = keys.min { editDistance($0, key) < editDistance($1, key) }
                let hint = near.flatMap { editDistance($0, key) <= 2 ? " (did you mean \"\($0)\"?)" : nil } ?? ""
                found.append(("\(path).\(key)", "unknown key\(hint); known: \(keys.sorted().joined(separator: ", "))"))
            }
        }
        check(.object(fields), "", base)
        check(fields["source"], "source", "\(base).source")
        check(fields["schedule"], "schedule", "\(base).schedule")
        if case .object(let s)? = fields["source"] { check(s["model"], "source.model", "\(base).source.model") }
        if case .array(let targets)? = fields["targets"] {
            for (i, t) in targets.enumerated() {
                check(t, "targets[]", "\(base).targets[\(i)]")
                if case .object(let target) = t, case .array(let links)? = target["links"] {
                    for (j, l) in links.enumerated() { check(l, "targets[].links[]", "\(base).targets[\(i)].links[\(j)]") }
                }
            }
        }
        if case .array(let rules)? = fields["dependencies"] {
            for (i, r) in rules.enumerated() { check(r, "dependencies[]", "\(base).dependencies[\(i)]") }
        }
        if case .object(let d)? = fields["direction"] { check(d["two_way"], "direction.two_way", "\(base).direction.two_way") }
        return found
    }

    /// A decoding error as a dotted key path and a sentence.
    static func describe(_ error: DecodingError) -> (String, String) {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: ["."])
        }
        switch error {
        case .keyNotFound(let key, let c):
            let p = path(c.codingPath)
            return (p, "missing \"\(key.stringValue)\"")
        case .typeMismatch(let type, let c): return (path(c.codingPath), "expected \(typeName(type))")
        case .valueNotFound(let type, let c): return (path(c.codingPath), "expected \(typeName(type)), found nothing")
        case .dataCorrupted(let c): return (path(c.codingPath), c.debugDescription)
        @unknown default: return ("", "\(error)")
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "a whole number"
        case is Bool.Type: "true or false"
        case is [Any].Type: "a list"
        default: "\(type)".lowercased().contains("array") ? "a list" : "a mapping of keys"
        }
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var previous = row[0]
            row[0] = i
            for j in 1...b.count {
                let keep = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = keep
            }
        }
        return row[b.count]
    }
}

/// One problem of a flow: where in the flow (a key path such as `targets[0].mapping`, empty for
/// the flow as a whole), what is wrong, and the file's line and column when it came from a file.
public struct FlowIssue: Sendable, Hashable {
    public var flow: String
    public var path: String
    public var message: String
    public var line: Int?
    public var column: Int?

    public init(flow: String, path: String, message: String, line: Int? = nil, column: Int? = nil) {
        self.flow = flow
        self.path = path
        self.message = message
        self.line = line
        self.column = column
    }
}
