/// Bounds on what compiling and evaluating may cost. Every bound gives a clear error when reached
/// (``MappingError/Code/tooComplex`` at compile time, ``MappingError/Code/limitExceeded`` when
/// evaluating), never a trap or a hang.
public struct MappingLimits: Sendable, Hashable {
    /// Longest mapping or criteria text, in UTF-8 bytes.
    public var maxSourceBytes: Int
    /// Deepest expression tree (parentheses, operators, calls), so evaluation never recurses far.
    public var maxDepth: Int
    /// Most assignments in one mapping.
    public var maxAssignments: Int
    /// Longest string an expression may build, in UTF-8 bytes (input strings may be longer).
    public var maxStringBytes: Int
    /// Longest list an expression may build (input lists may be longer).
    public var maxListCount: Int
    /// Most steps (list macro iterations and elements built) in one evaluation of one record.
    public var maxSteps: Int
    /// Most significant digits of a number computed by exact arithmetic.
    public var maxDigits: Int

    public init(maxSourceBytes: Int = 256 * 1024, maxDepth: Int = 96, maxAssignments: Int = 2_000, maxStringBytes: Int = 1 << 20,
                maxListCount: Int = 10_000, maxSteps: Int = 100_000, maxDigits: Int = 200) {
        self.maxSourceBytes = maxSourceBytes
        self.maxDepth = maxDepth
        self.maxAssignments = maxAssignments
        self.maxStringBytes = maxStringBytes
        self.maxListCount = maxListCount
        self.maxSteps = maxSteps
        self.maxDigits = maxDigits
    }

    /// The defaults: 256 KiB of text, depth 96, 1 MiB strings, 10,000-element lists, 100,000 steps.
    public static let standard = MappingLimits()
}
