import CrosswalkConnectors

/// What the compiler checks a mapping or criteria against.
///
/// With a source schema every field name is checked (unknown names are errors with a
/// did-you-mean) and typed; without one fields are dynamically typed. With a target schema, a
/// mapping's target fields are checked too.
public struct CompileContext: Sendable {
    /// The source object's fields (from `discover`), or `nil` for dynamic typing.
    public var sourceSchema: ObjectSchema?
    /// The target object's fields, or `nil` to accept any target name.
    public var targetSchema: ObjectSchema?
    /// Plugin functions mappings may call.
    public var functions: (any MappingFunctionProvider)?
    public var limits: MappingLimits
    /// The name errors are reported under: `mapping:3:12: …`.
    public var sourceName: String
    /// The line number of the text's first line (when the text sits inside a larger file).
    public var firstLine: Int

    public init(sourceSchema: ObjectSchema? = nil, targetSchema: ObjectSchema? = nil, functions: (any MappingFunctionProvider)? = nil,
                limits: MappingLimits = .standard, sourceName: String = "mapping", firstLine: Int = 1) {
        self.sourceSchema = sourceSchema
        self.targetSchema = targetSchema
        self.functions = functions
        self.limits = limits
        self.sourceName = sourceName
        self.firstLine = firstLine
    }

    /// No schema, no plugin functions, standard limits.
    public static let dynamic = CompileContext()
}
