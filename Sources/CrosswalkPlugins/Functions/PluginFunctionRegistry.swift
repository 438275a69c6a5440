import CrosswalkConnectors
import CrosswalkCore
import Foundation

/// The mapping functions of loaded plugins (`"functions"` in their manifests), called through
/// libffi: in this process for plugins with `isolation: none`, in each plugin's worker otherwise
/// (several calls travel in one frame with ``call(batch:)``).
///
/// A function is named `<plugin id>.<name>`, or by its bare name when only one plugin has it.
/// Arguments and results are JSON values: `int64` an integer, `double` a number, `bool` a
/// boolean, `string` a string or null.
///
/// ```swift
/// let functions = PluginFunctionRegistry(plugins: scan.loaded)
/// try functions.call("dev.crosswalk.memory.upper", ["grace"])   // "GRACE"
/// ```
public final class PluginFunctionRegistry: Sendable {
    private let byQualifiedName: [String: (plugin: LoadedPlugin, function: LoadedFunction)]
    private let byName: [String: [String]]

    /// Every function of every plugin in `plugins`.
    public init(plugins: [LoadedPlugin]) {
        var qualified: [String: (plugin: LoadedPlugin, function: LoadedFunction)] = [:]
        var names: [String: [String]] = [:]
        for plugin in plugins {
            for f in plugin.functions {
                qualified[f.qualifiedName] = (plugin, f)
                names[f.name, default: []].append(f.qualifiedName)
            }
        }
        byQualifiedName = qualified
        byName = names
    }

    /// Every function: `(plugin, name, signature)`, ordered by qualified name.
    public var functions: [LoadedFunction] { byQualifiedName.values.map(\.function).sorted { $0.qualifiedName < $1.qualifiedName } }

    /// The function `name` refers to (`<plugin>.<name>`, or a bare name that is unambiguous).
    /// - Throws: `.notFound`, or `.invalidArgument` for an ambiguous bare name.
    public func function(_ name: String) throws -> LoadedFunction { try resolve(name).function }

    private func resolve(_ name: String) throws -> (plugin: LoadedPlugin, function: LoadedFunction) {
        if let entry = byQualifiedName[name] { return entry }
        if let candidates = byName[name] {
            guard candidates.count == 1 else {
                throw CrosswalkError(.invalidArgument, "function \(name) is offered by several plugins; call it as one of \(candidates.sorted().joined(separator: ", "))")
            }
            return byQualifiedName[candidates[0]]!
        }
        throw CrosswalkError(.notFound, "no mapping function \(name)" + (byQualifiedName.isEmpty ? " (no loaded plugin offers functions)"
                                                                        : "; known: \(byQualifiedName.keys.sorted().joined(separator: ", "))"))
    }

    /// Calls one function.
    /// - Throws: `.notFound` for an unknown name, `.invalidArgument` for arguments that do not
    ///   match its signature, `.functionFailed` with the plugin's message, `.pluginCrashed` or
    ///   `.timeout` when the plugin's worker crashed or hung in it.
    public func call(_ qualifiedName: String, _ args: [JSONValue]) throws -> JSONValue {
        try call(batch: [(qualifiedName, args)])[0].get()
    }

    /// Calls several functions, in order, sending the calls of one plugin's worker in one frame.
    public func call(batch: [(name: String, arguments: [JSONValue])]) -> [Result<JSONValue, CrosswalkError>] {
        var results = [Result<JSONValue, CrosswalkError>?](repeating: nil, count: batch.count)
        var remote: [ObjectIdentifier: (plugin: LoadedPlugin, indices: [Int])] = [:]
        for (i, call) in batch.enumerated() {
            let entry: (plugin: LoadedPlugin, function: LoadedFunction)
            do { entry = try resolve(call.name) } catch let e as CrosswalkError {
                results[i] = .failure(e)
                continue
            } catch { continue }
            if let library = entry.plugin.library, let f = library.functions[entry.function.name] {
                results[i] = Result { try f.call(call.arguments) }.mapError { $0 as? CrosswalkError ?? CrosswalkError(.internalError, "\($0)") }
            } else {
                let key = ObjectIdentifier(entry.plugin)
                remote[key, default: (entry.plugin, [])].indices.append(i)
            }
        }
        for (_, group) in remote {
            guard let worker = group.plugin.worker else { continue }
            var calls: [(name: String, arguments: [JSONValue])] = []
            for i in group.indices {
                let name = (try? resolve(batch[i].name).function.name) ?? batch[i].name
                // Arity and types are checked here, before anything crosses to the worker.
                if let error = Self.check(group.plugin, name, batch[i].arguments) {
                    results[i] = .failure(error)
                } else {
                    calls.append((name, batch[i].arguments))
                }
            }
            let pending = group.indices.filter { results[$0] == nil }
            guard !calls.isEmpty else { continue }
            for (i, r) in zip(pending, worker.callFunctions(calls, deadline: group.plugin.configuration.deadlines.other)) { results[i] = r }
        }
        return results.map { $0 ?? .failure(CrosswalkError(.internalError, "the call was not made")) }
    }

    /// The arity and type error for `arguments`, if any (the same check the worker makes).
    private static func check(_ plugin: LoadedPlugin, _ name: String, _ arguments: [JSONValue]) -> CrosswalkError? {
        guard let f = plugin.functions.first(where: { $0.name == name }) else { return nil }
        let p = f.signature.parameters
        if arguments.count != p.count {
            return CrosswalkError(.invalidArgument, "\(f.qualifiedName) takes \(p.count) argument\(p.count == 1 ? "" : "s") (\(f.signature)), got \(arguments.count)",
                                  context: ["plugin": plugin.id, "function": name])
        }
        return nil
    }
}
