import CrosswalkCore

/// An error of the mapping language: where it is (line and column of the mapping text), a stable
/// code and a message a person can act on.
///
/// Compile errors point at the token that is wrong; evaluation errors point at the expression that
/// failed and name the target field. It renders the way compilers do:
///
/// ```
/// mapping:3:12: unknown function "uper" (did you mean "upper"?)
/// ```
public struct MappingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable code. The strings never change once released.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        // Compile time.
        /// The text is not in the grammar (unexpected token, unterminated string, bad escape…).
        public static let syntax = Code("syntax")
        /// A source field the schema does not have.
        public static let unknownField = Code("unknown_field")
        /// A target field the target schema does not have.
        public static let unknownTarget = Code("unknown_target")
        /// A function no built-in or plugin provides.
        public static let unknownFunction = Code("unknown_function")
        /// A short plugin function name several plugins export.
        public static let ambiguousFunction = Code("ambiguous_function")
        /// A function called with the wrong number of arguments.
        public static let arity = Code("arity")
        /// Operand or argument types that cannot work (`trim(Amount)` with a number field).
        public static let type = Code("type")
        /// A target field assigned twice, or both as a value and as an object.
        public static let duplicateTarget = Code("duplicate_target")
        /// Text too long, nesting too deep, too many assignments.
        public static let tooComplex = Code("too_complex")

        // Evaluation.
        /// A value of the wrong type reached an operator or function (dynamic fields).
        public static let typeMismatch = Code("type_mismatch")
        /// A value a function cannot take (`date("31/31/2026")`, `number("abc")`).
        public static let invalidValue = Code("invalid_value")
        /// Division or remainder by zero.
        public static let divisionByZero = Code("division_by_zero")
        /// A number beyond exact arithmetic's range.
        public static let numberRange = Code("number_range")
        /// A string, list or step budget of ``MappingLimits`` exceeded.
        public static let limitExceeded = Code("limit_exceeded")
        /// A plugin function failed (its last error), or its provider did.
        public static let functionFailed = Code("function_failed")
        /// `run_time()`/`today()` with no run time in the environment.
        public static let noRunTime = Code("no_run_time")
    }

    public var code: Code
    public var message: String
    /// 1-based line of the mapping text (after ``CompileContext/firstLine``).
    public var line: Int
    /// 1-based column, in Unicode scalars from the start of the line.
    public var column: Int
    /// The name errors are reported under (``CompileContext/sourceName``), `"mapping"` by default.
    public var sourceName: String
    /// For evaluation errors of a mapping: the target field being computed.
    public var target: String?

    public init(_ code: Code, _ message: String, line: Int, column: Int, sourceName: String = "mapping", target: String? = nil) {
        self.code = code
        self.message = message
        self.line = line
        self.column = column
        self.sourceName = sourceName
        self.target = target
    }

    /// `mapping:3:12: message`, with `(target field)` prefixed to the message for evaluation errors.
    public var description: String {
        let prefix = target.map { "\($0): " } ?? ""
        return "\(sourceName):\(line):\(column): \(prefix)\(message)"
    }

    /// The project's error type: `.config` for compile errors, `.invalidArgument` for evaluation
    /// errors; the position and target in its context.
    public var crosswalkError: CrosswalkError {
        var context = ["source": sourceName, "line": String(line), "column": String(column), "mapping_code": code.rawValue]
        if let target { context["target"] = target }
        return CrosswalkError(isCompileError ? .config : .invalidArgument, description, context: context)
    }

    /// Whether the code is one of the compile-time codes.
    public var isCompileError: Bool {
        [Code.syntax, .unknownField, .unknownTarget, .unknownFunction, .ambiguousFunction, .arity, .type, .duplicateTarget, .tooComplex]
            .contains(code)
    }
}

/// A position in the mapping text (1-based line and column).
struct SourceLocation: Sendable, Hashable {
    var line: Int
    var column: Int
    static let none = SourceLocation(line: 1, column: 1)
}

/// An evaluation failure before it knows where it happened; the node that called the failing
/// function adds its location.
struct Fault: Error, Sendable {
    var code: MappingError.Code
    var message: String
    init(_ code: MappingError.Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
