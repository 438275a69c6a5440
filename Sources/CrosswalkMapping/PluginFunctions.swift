import CrosswalkConnectors
import CrosswalkCore

/// A plain C function a connector plugin exports for mappings (manifest `functions`), as the
/// mapping compiler sees it.
public struct PluginFunction: Sendable, Hashable {
    /// The plugin's id, e.g. `dev.crosswalk.salesforce`.
    public var pluginID: String
    /// The function's name in the manifest, e.g. `sf_id18`.
    public var name: String
    public var signature: FunctionSignature
    /// Same inputs, same result (the manifest's `pure`, true by default).
    public var pure: Bool
    /// The provider's own handle (an index into its table), passed back in ``MappingFunctionProvider/call(_:arguments:)``.
    public var handle: Int

    public init(pluginID: String, name: String, signature: FunctionSignature, pure: Bool = true, handle: Int = 0) {
        self.pluginID = pluginID
        self.name = name
        self.signature = signature
        self.pure = pure
        self.handle = handle
    }

    /// `pluginid.name`, the name a mapping can always call it by.
    public var qualifiedName: String { "\(pluginID).\(name)" }
}

/// The host's bridge to plugin functions (implemented with libffi over the loaded plugins).
///
/// A mapping calls a function as `dev.crosswalk.salesforce.sf_id18(Id)`, by any dot-separated tail
/// of the plugin id (`salesforce.sf_id18(Id)`), or by its bare name when only one plugin exports
/// it and no built-in has that name. The compiler checks arity and argument types against the
/// signature; at evaluation the arguments are already converted: `int64` parameters receive whole
/// numbers in range, `double` numbers, `bool` booleans, `string` strings. A null argument skips
/// the call and the result is null.
public protocol MappingFunctionProvider: Sendable {
    /// Every function this provider can call.
    var functions: [PluginFunction] { get }

    /// Calls `function` with arguments matching its signature.
    /// - Returns: a value of the signature's result type (`int64`/`double` as numbers), or null.
    /// - Throws: any error, reported as ``MappingError/Code/functionFailed`` with the message of a
    ///   `CrosswalkError` (or the error's description).
    func call(_ function: PluginFunction, arguments: [JSONValue]) throws -> JSONValue
}

/// Plugin functions implemented in Swift closures: for tests, and for hosts that offer functions
/// of their own.
public struct InMemoryFunctionProvider: MappingFunctionProvider {
    public typealias Implementation = @Sendable ([JSONValue]) throws -> JSONValue

    public private(set) var functions: [PluginFunction] = []
    private var implementations: [Implementation] = []

    public init() {}

    /// Adds `pluginID.name` with `signature` (grammar of ``FunctionSignature``).
    public mutating func add(pluginID: String, name: String, signature: String, pure: Bool = true,
                             _ implementation: @escaping Implementation) throws {
        let parsed = try FunctionSignature(parsing: signature)
        functions.append(PluginFunction(pluginID: pluginID, name: name, signature: parsed, pure: pure, handle: implementations.count))
        implementations.append(implementation)
    }

    public func call(_ function: PluginFunction, arguments: [JSONValue]) throws -> JSONValue {
        guard implementations.indices.contains(function.handle) else {
            throw CrosswalkError(.notFound, "no function \(function.qualifiedName)")
        }
        return try implementations[function.handle](arguments)
    }
}
