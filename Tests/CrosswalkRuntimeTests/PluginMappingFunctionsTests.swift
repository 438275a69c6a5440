import CrosswalkConnectors
import CrosswalkCore
import CrosswalkMapping
import CrosswalkPlugins
import CrosswalkRuntime
import CrosswalkTestKit
import Foundation
import Logging
import Testing

/// A mapping calls a plugin's function: the mapping language → the registry → the plugin's worker
/// → libffi → the Swift kit, and back.
@Suite struct PluginMappingFunctionsTests {
    @Test(arguments: [PluginIsolation.process, .none])
    func aMappingCallsTheMemoryPluginsFunctions(isolation: PluginIsolation) throws {
        let configuration = PluginHostConfiguration(isolation: isolation,
                                                    worker: WorkerCommand(executable: TestFiles.binFolder.appendingPathComponent("crosswalk").path))
        let plugin = try PluginLoader(logger: LogRecorder.logger().0, configuration: configuration)
            .load(path: TestFiles.binFolder.appendingPathComponent("libCrosswalkMemory.so").path)
        let functions = PluginMappingFunctions(plugins: [plugin])
        #expect(functions.functions.map(\.qualifiedName) == ["dev.crosswalk.memory.plus", "dev.crosswalk.memory.upper"])
        let program = try MappingProgram.compile("""
            name  = memory.upper(Name)
            total = plus(A, 40)
            """, context: CompileContext(functions: functions))
        let out = try program.evaluate(record: ["Name": "grace", "A": 2], environment: EvaluationEnvironment())
        #expect(out.fields == ["name": "GRACE", "total": 42])
        // The plugin's own error reaches the mapping with its message.
        #expect(throws: (any Error).self) { try program.evaluate(record: ["Name": "", "A": 1], environment: EvaluationEnvironment()) }
    }
}
