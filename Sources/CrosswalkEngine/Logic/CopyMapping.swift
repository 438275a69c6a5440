import Foundation
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkFlows

/// The engine's own minimal mapping and criteria text, until the mapping language
/// (CrosswalkMapping) is plugged in through an adapter of ``FlowCompiler``.
///
/// Mappings: one `Target = …` per line, where `…` is a source field (`Email`), the source
/// record's id (`$id`), a string literal (`"Lead"`), or `lookup(Field)`,
/// `lookup(Field, TargetObject)`, `lookup(Field, TargetObject, SourceObject)`: the twin id of the
/// record whose id is in `Field`. Lines starting with `#` are comments.
///
/// Criteria: comparisons joined by `&&`: `Field != ""` (present and not empty), `Field == "text"`,
/// `Field != "text"`. They push down to the app as a filter, exactly.
public struct CopyMappingCompiler: FlowCompiler {
    public init() {}

    public func mapper(_ text: String, context: MappingContext) throws -> any RecordMapper {
        try CopyMapper(parsing: text, flow: context.flow)
    }

    public func criteria(_ text: String, context: MappingContext) throws -> any RecordCriteria {
        try CopyCriteria(parsing: text, flow: context.flow)
    }
}

/// `Target = Source` lines.
struct CopyMapper: RecordMapper {
    enum Value: Sendable {
        case field(String)
        case id
        case literal(JSONValue)
        case lookup(field: String, target: String?, source: String?)
    }

    let assignments: [(target: String, value: Value)]
    let targetFields: [String]

    init(parsing text: String, flow: String) throws {
        var assignments: [(String, Value)] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            func fail(_ message: String) -> CrosswalkError {
                CrosswalkError(.invalidFlow, "mapping line \(number + 1): \(message)", context: ["flow": flow])
            }
            guard let eq = line.firstIndex(of: "=") else { throw fail("expected `Target = Source`") }
            let target = line[..<eq].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            guard !target.isEmpty, !value.isEmpty else { throw fail("expected `Target = Source`") }
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                assignments.append((target, .literal(.string(String(value.dropFirst().dropLast())))))
            } else if value == "$id" {
                assignments.append((target, .id))
            } else if value.hasPrefix("lookup("), value.hasSuffix(")") {
                let args = value.dropFirst("lookup(".count).dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                guard (1...3).contains(args.count), !args[0].isEmpty else { throw fail("lookup takes a field, then optionally the target and source objects") }
                assignments.append((target, .lookup(field: args[0], target: args.count > 1 ? args[1] : nil, source: args.count > 2 ? args[2] : nil)))
            } else {
                assignments.append((target, .field(value)))
            }
        }
        guard !assignments.isEmpty else { throw CrosswalkError(.invalidFlow, "the mapping assigns no field", context: ["flow": flow]) }
        self.assignments = assignments
        var seen = Set<String>()
        targetFields = assignments.map(\.0).filter { seen.insert($0).inserted }
    }

    func lookups(for record: ConnectorRecord) -> [LookupRequest] {
        assignments.compactMap { _, value in
            guard case .lookup(let field, let target, let source) = value, let id = record.fields[field].flatMap(Self.idText) else { return nil }
            return LookupRequest(sourceObject: source, id: id, targetObject: target)
        }
    }

    func map(_ source: ConnectorRecord, environment: MappingEnvironment) throws -> MappedRecord {
        let record = source.fields
        var fields: [String: JSONValue] = Dictionary(minimumCapacity: assignments.count)
        var unresolved: [LookupRequest] = []
        for (target, value) in assignments {
            switch value {
            case .field(let name): fields[target] = record[name] ?? .null
            case .id: fields[target] = .string(source.id)
            case .literal(let v): fields[target] = v
            case .lookup(let field, let targetObject, let source):
                guard let id = record[field].flatMap(Self.idText) else {
                    fields[target] = .null
                    continue
                }
                let request = LookupRequest(sourceObject: source, id: id, targetObject: targetObject)
                if let twin = environment.lookups[request] { fields[target] = .string(twin) } else {
                    fields[target] = .null
                    unresolved.append(request)
                }
            }
        }
        return MappedRecord(fields: fields, unresolved: unresolved)
    }

    /// An id held in a field: a string, or a number's text.
    static func idText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let s) where !s.isEmpty: s
        case .number(let n): n.text
        default: nil
        }
    }
}

/// `Field != ""`, `Field == "x"`, `Field != "x"` joined by `&&`.
struct CopyCriteria: RecordCriteria {
    enum Test: Sendable {
        case present(String)
        case equals(String, JSONValue)
        case differs(String, JSONValue)
    }

    let tests: [Test]
    let pushdown: Filter?
    var pushdownIsExact: Bool { true }

    init(parsing text: String, flow: String) throws {
        var tests: [Test] = []
        for part in text.components(separatedBy: "&&") {
            let clause = part.trimmingCharacters(in: .whitespacesAndNewlines)
            let op: String
            if clause.contains("!=") { op = "!=" } else if clause.contains("==") { op = "==" } else {
                throw CrosswalkError(.invalidFlow, "criteria \"\(clause)\": expected `Field != \"\"`, `Field == \"text\"` or `Field != \"text\"`",
                                     context: ["flow": flow])
            }
            let sides = clause.components(separatedBy: op).map { $0.trimmingCharacters(in: .whitespaces) }
            guard sides.count == 2, !sides[0].isEmpty, sides[1].hasPrefix("\""), sides[1].hasSuffix("\""), sides[1].count >= 2 else {
                throw CrosswalkError(.invalidFlow, "criteria \"\(clause)\": expected a field, \(op) and a quoted text", context: ["flow": flow])
            }
            let literal = String(sides[1].dropFirst().dropLast())
            if op == "!=" && literal.isEmpty { tests.append(.present(sides[0])) } else if op == "==" {
                tests.append(.equals(sides[0], .string(literal)))
            } else { tests.append(.differs(sides[0], .string(literal))) }
        }
        self.tests = tests
        let filters: [Filter] = tests.flatMap { test -> [Filter] in
            switch test {
            case .present(let f): [.isNull(field: f, false), .compare(.ne, field: f, value: "")]
            case .equals(let f, let v): [.compare(.eq, field: f, value: v)]
            case .differs(let f, let v): [.compare(.ne, field: f, value: v)]
            }
        }
        pushdown = filters.count == 1 ? filters[0] : .and(filters)
    }

    func lookups(for record: ConnectorRecord) -> [LookupRequest] { [] }

    func evaluate(_ source: ConnectorRecord, environment: MappingEnvironment) throws -> CriteriaVerdict {
        let record = source.fields
        for test in tests {
            switch test {
            case .present(let f):
                let value = record[f] ?? .null
                if value.isNull || value == "" { return CriteriaVerdict(matched: false, reason: "\(f) is empty") }
            case .equals(let f, let v):
                if record[f] != v { return CriteriaVerdict(matched: false, reason: "\(f) is \((record[f] ?? .null).text), not \(v.text)") }
            case .differs(let f, let v):
                if record[f] == v { return CriteriaVerdict(matched: false, reason: "\(f) is \(v.text)") }
            }
        }
        return .match
    }
}
