import CrosswalkCore

/// A parsed expression: what it is, where it starts, and the source bytes it spans.
final class Node: Sendable {
    enum Kind: Sendable {
        case literal(JSONValue)
        /// A bare name: a source field, or a macro's variable.
        case name(String)
        /// `$`, the whole record.
        case root
        /// `base.name` (also `` base.`odd name` ``).
        case member(Node, String)
        /// `base[index]`.
        case index(Node, Node)
        /// `name(args)`; `name` may be dotted (`salesforce.sf_id18`).
        case call(String, [Node])
        case unary(UnaryOperator, Node)
        case binary(BinaryOperator, Node, Node)
        /// `a && b && c` or `a || b || c`, flattened.
        case logical(LogicalOperator, [Node])
        /// `condition ? then : else`.
        case conditional(Node, Node, Node)
        case list([Node])
        case object([(Node, Node)])
    }

    let kind: Kind
    let location: SourceLocation
    let start: Int
    let end: Int
    /// Height of the tree under this node (1 for a leaf).
    let depth: Int

    init(_ kind: Kind, at location: SourceLocation, start: Int, end: Int) {
        self.kind = kind
        self.location = location
        self.start = start
        self.end = end
        var d = 0
        switch kind {
        case .literal, .name, .root: d = 0
        case .member(let b, _): d = b.depth
        case .index(let a, let b), .binary(_, let a, let b): d = max(a.depth, b.depth)
        case .call(_, let args), .list(let args), .logical(_, let args): d = args.reduce(0) { max($0, $1.depth) }
        case .unary(_, let a): d = a.depth
        case .conditional(let a, let b, let c): d = max(a.depth, b.depth, c.depth)
        case .object(let pairs): d = pairs.reduce(0) { max($0, $1.0.depth, $1.1.depth) }
        }
        depth = d + 1
    }

    /// The field path this node reads when it is `Name`, `a.b.c` or `` `x y` `` (nil otherwise).
    var fieldPath: [String]? {
        switch kind {
        case .name(let n): return [n]
        case .member(let base, let n): return base.fieldPath.map { $0 + [n] }
        default: return nil
        }
    }
}

enum UnaryOperator: String, Sendable { case not = "!", negate = "-" }

enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case `in` = "in", coalesce = "??"

    var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual, .in: true
        default: false
        }
    }
}

enum LogicalOperator: String, Sendable { case and = "&&", or = "||" }

/// One line of a mapping: `target.path = expression`.
struct Assignment: Sendable {
    var target: [String]
    var targetLocation: SourceLocation
    var value: Node
}
