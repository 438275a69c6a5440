import CrosswalkCore

/// A built-in function: its parameters (for the compiler's checks) and its implementation.
struct Builtin: Sendable {
    typealias Unary = @Sendable (JSONValue, MappingLimits) throws(Fault) -> JSONValue
    typealias Binary = @Sendable (JSONValue, JSONValue, MappingLimits) throws(Fault) -> JSONValue
    typealias Ternary = @Sendable (JSONValue, JSONValue, JSONValue, MappingLimits) throws(Fault) -> JSONValue
    typealias Variadic = @Sendable ([JSONValue], MappingLimits) throws(Fault) -> JSONValue

    enum Implementation: Sendable {
        case unary(Unary), binary(Binary), ternary(Ternary), variadic(Variadic)
    }

    let name: String
    /// Accepted types per position; with `variadic`, the last entry repeats.
    let parameters: [Accepts]
    /// Arguments that must be given (the rest of `parameters` are optional).
    let required: Int
    let variadic: Bool
    /// Whether a null argument makes the result null without calling the implementation.
    let nullPropagating: Bool
    /// The result type given the argument types.
    let result: @Sendable ([StaticType]) -> StaticType
    let implementation: Implementation

    init(_ name: String, _ parameters: [Accepts], required: Int? = nil, variadic: Bool = false, nullPropagating: Bool = true,
         result: @escaping @Sendable ([StaticType]) -> StaticType, _ implementation: Implementation) {
        self.name = name
        self.parameters = parameters
        self.required = required ?? parameters.count
        self.variadic = variadic
        self.nullPropagating = nullPropagating
        self.result = result
        self.implementation = implementation
    }

    init(_ name: String, _ parameters: [Accepts], required: Int? = nil, variadic: Bool = false, nullPropagating: Bool = true,
         returns: StaticType, _ implementation: Implementation) {
        self.init(name, parameters, required: required, variadic: variadic, nullPropagating: nullPropagating,
                  result: { _ in returns }, implementation)
    }

    /// `name(a, b[, c])` for messages.
    var usage: String {
        var parts: [String] = []
        for (k, p) in parameters.enumerated() {
            let t = p == .any ? "x" : (p == .string ? "s" : (p == .number ? "n" : (p == .list ? "list" : "x")))
            parts.append(k >= required ? "[\(t)]" : t)
        }
        if variadic { parts.append("…") }
        return "\(name)(\(parts.joined(separator: ", ")))"
    }

    func accepts(count: Int) -> Bool { count >= required && (variadic || count <= parameters.count) }

    func parameter(_ k: Int) -> Accepts { k < parameters.count ? parameters[k] : (parameters.last ?? .any) }
}

/// Argument readers for implementations: each names the function and position in its fault.
enum Arg {
    static func string(_ v: JSONValue, _ fn: String, _ position: Int) throws(Fault) -> String {
        if case .string(let s) = v { return s }
        throw wrong(v, fn, position, "a string")
    }

    static func number(_ v: JSONValue, _ fn: String, _ position: Int) throws(Fault) -> JSONNumber {
        if case .number(let n) = v { return n }
        throw wrong(v, fn, position, "a number")
    }

    static func list(_ v: JSONValue, _ fn: String, _ position: Int) throws(Fault) -> [JSONValue] {
        if case .array(let a) = v { return a }
        throw wrong(v, fn, position, "a list")
    }

    /// A whole number, clamped to ±2^40 (far beyond any string or list length).
    static func integer(_ v: JSONValue, _ fn: String, _ position: Int) throws(Fault) -> Int {
        let n = try number(v, fn, position)
        guard n.isInteger else { throw Fault(.invalidValue, "\(fn): argument \(position) must be a whole number, not \(n.text.prefix(40))") }
        if let i = n.intValue { return min(max(i, -(1 << 40)), 1 << 40) }
        return n.text.hasPrefix("-") ? -(1 << 40) : 1 << 40
    }

    static func wrong(_ v: JSONValue, _ fn: String, _ position: Int, _ expected: String) -> Fault {
        Fault(.typeMismatch, "\(fn): argument \(position) must be \(expected), not \(Values.describe(v))")
    }

    /// Checks a string the language is about to return against the limit.
    static func bounded(_ s: String, _ limits: MappingLimits, _ fn: String) throws(Fault) -> JSONValue {
        if s.utf8.count > limits.maxStringBytes {
            throw Fault(.limitExceeded, "\(fn): the result is longer than \(limits.maxStringBytes) bytes")
        }
        return .string(s)
    }
}
