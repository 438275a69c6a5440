import CrosswalkConnectors
import CrosswalkCore
import CrosswalkMapping
import CrosswalkPlugins

/// The loaded plugins' mapping functions for the mapping language: its
/// `MappingFunctionProvider`, over `PluginFunctionRegistry` (libffi in each plugin's worker, or
/// in this process with `isolation: none`).
///
/// ```swift
/// let context = CompileContext(functions: PluginMappingFunctions(plugins: runtime.scan.loaded))
/// let program = try MappingProgram.compile("sfid = salesforce.sf_id18(Id)", context: context)
/// ```
public struct PluginMappingFunctions: MappingFunctionProvider {
    public let registry: PluginFunctionRegistry
    public let functions: [PluginFunction]

    public init(plugins: [LoadedPlugin]) {
        registry = PluginFunctionRegistry(plugins: plugins)
        functions = registry.functions.enumerated().map { i, f in
            PluginFunction(pluginID: f.plugin, name: f.name, signature: f.signature, pure: f.pure, handle: i)
        }
    }

    public func call(_ function: PluginFunction, arguments: [JSONValue]) throws -> JSONValue {
        try registry.call(function.qualifiedName, arguments)
    }
}
