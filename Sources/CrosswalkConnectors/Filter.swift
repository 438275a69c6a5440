import CrosswalkCore

/// Criteria a read may push down to the app: the ABI's filter AST.
///
/// `{"op":"and","args":[…]}`, `{"op":"not","arg":…}`, `{"op":"eq","field":"LastName","value":"x"}`,
/// `{"op":"in","field":"Status","values":[…]}`, `{"op":"is_null","field":"LastName","value":true}`.
public indirect enum Filter: Sendable, Hashable {
    case and([Filter])
    case or([Filter])
    case not(Filter)
    case compare(Comparison, field: String, value: JSONValue)
    case oneOf(field: String, values: [JSONValue])
    case isNull(field: String, Bool)

    /// The comparison operators, by their wire names.
    public enum Comparison: String, Sendable, Hashable, CaseIterable {
        case eq, ne, lt, le, gt, ge
    }

    /// Every operator name of the wire format.
    public static let operatorNames: [String] = ["and", "or", "not"] + Comparison.allCases.map(\.rawValue) + ["in", "is_null"]

    /// The operator names this filter uses, for checking against a manifest's `read.filter`.
    public var operators: Set<String> {
        switch self {
        case .and(let f): return f.reduce(into: ["and"]) { $0.formUnion($1.operators) }
        case .or(let f): return f.reduce(into: ["or"]) { $0.formUnion($1.operators) }
        case .not(let f): return f.operators.union(["not"])
        case .compare(let op, _, _): return [op.rawValue]
        case .oneOf: return ["in"]
        case .isNull: return ["is_null"]
        }
    }

    /// Every field the filter reads.
    public var fields: Set<String> {
        switch self {
        case .and(let f), .or(let f): return f.reduce(into: []) { $0.formUnion($1.fields) }
        case .not(let f): return f.fields
        case .compare(_, let field, _), .oneOf(let field, _), .isNull(let field, _): return [field]
        }
    }
}

extension Filter: Codable {
    enum Keys: String, CodingKey { case op, args, arg, field, value, values }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let op = try c.decode(String.self, forKey: .op)
        switch op {
        case "and": self = .and(try c.decode([Filter].self, forKey: .args))
        case "or": self = .or(try c.decode([Filter].self, forKey: .args))
        case "not": self = .not(try c.decode(Filter.self, forKey: .arg))
        case "in": self = .oneOf(field: try c.decode(String.self, forKey: .field), values: try c.decode([JSONValue].self, forKey: .values))
        case "is_null": self = .isNull(field: try c.decode(String.self, forKey: .field), try c.decodeIfPresent(Bool.self, forKey: .value) ?? true)
        default:
            guard let comparison = Comparison(rawValue: op) else {
                throw DecodingError.dataCorruptedError(forKey: .op, in: c,
                                                       debugDescription: "unknown filter operator \"\(op)\" (known: \(Filter.operatorNames.joined(separator: ", ")))")
            }
            self = .compare(comparison, field: try c.decode(String.self, forKey: .field), value: try c.decode(JSONValue.self, forKey: .value))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .and(let f): try c.encode("and", forKey: .op); try c.encode(f, forKey: .args)
        case .or(let f): try c.encode("or", forKey: .op); try c.encode(f, forKey: .args)
        case .not(let f): try c.encode("not", forKey: .op); try c.encode(f, forKey: .arg)
        case .compare(let op, let field, let value):
            try c.encode(op.rawValue, forKey: .op); try c.encode(field, forKey: .field); try c.encode(value, forKey: .value)
        case .oneOf(let field, let values):
            try c.encode("in", forKey: .op); try c.encode(field, forKey: .field); try c.encode(values, forKey: .values)
        case .isNull(let field, let isNull):
            try c.encode("is_null", forKey: .op); try c.encode(field, forKey: .field); try c.encode(isNull, forKey: .value)
        }
    }
}
