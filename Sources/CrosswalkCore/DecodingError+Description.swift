import Foundation

extension DecodingError {
    /// Where and what went wrong, for a person: `connections.sf.settings: expected a string`.
    /// Never repeats the input's values, which may be secrets.
    public var crosswalkDescription: String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: ["."])
        }
        switch self {
        case .keyNotFound(let key, let c): return "\(path(c.codingPath + [key])) is missing"
        case .typeMismatch(let t, let c): return "\(path(c.codingPath)) should be \(t == String.self ? "a string" : "\(t)")"
        case .valueNotFound(_, let c): return "\(path(c.codingPath)) is null"
        case .dataCorrupted(let c): return c.codingPath.isEmpty ? "not valid JSON" : "\(path(c.codingPath)) is not valid"
        @unknown default: return "unreadable"
        }
    }
}
