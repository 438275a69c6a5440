import CrosswalkCore

extension Filter {
    /// Whether a record's fields satisfy the filter, with the ABI's semantics: a missing field is
    /// null; `eq`/`ne` compare JSON values (numbers by value); `lt`…`ge` order numbers by value and
    /// strings by their UTF-8 bytes (RFC 3339 times in one format order as text) and are false
    /// when either side is null or the types differ.
    public func matches(_ fields: [String: JSONValue]) -> Bool {
        switch self {
        case .and(let all): return all.allSatisfy { $0.matches(fields) }
        case .or(let any): return any.contains { $0.matches(fields) }
        case .not(let f): return !f.matches(fields)
        case .isNull(let field, let isNull): return (fields[field] ?? .null).isNull == isNull
        case .oneOf(let field, let values):
            let v = fields[field] ?? .null
            return values.contains(v)
        case .compare(let op, let field, let value):
            let v = fields[field] ?? .null
            switch op {
            case .eq: return v == value
            case .ne: return v != value
            case .lt, .le, .gt, .ge:
                guard let order = Self.order(v, value) else { return false }
                switch op {
                case .lt: return order < 0
                case .le: return order <= 0
                case .gt: return order > 0
                default: return order >= 0
                }
            }
        }
    }

    /// -1, 0, 1, or `nil` when the values do not compare.
    static func order(_ a: JSONValue, _ b: JSONValue) -> Int? {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x == y ? 0 : (x < y ? -1 : 1)
        case (.string(let x), .string(let y)): return x == y ? 0 : (JSONWriter.utf8Less(x, y) ? -1 : 1)
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (!x ? -1 : 1)
        default: return nil
        }
    }
}
