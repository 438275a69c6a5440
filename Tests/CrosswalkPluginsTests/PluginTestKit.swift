import CrosswalkCore
import CrosswalkPlugins
import CrosswalkTestKit
import Foundation
import Logging

/// Helpers shared by the plugin tests: where the built products are, building C plugins with
/// `cc`, capturing log lines, and instances of the real `.so` files.
enum PluginTestKit {
    /// The repository root (this file is Tests/CrosswalkPluginsTests/PluginTestKit.swift).
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func builtPlugin(_ product: String) -> String { TestFiles.binFolder.appendingPathComponent("lib\(product).so").path }
    static func temporaryFolder(_ name: String = "plugins") throws -> URL { try TestFiles.temporaryFolder(name) }
    static func recordingLogger() -> (Logger, LogRecorder) { LogRecorder.logger() }
    static var binFolder: URL { TestFiles.binFolder }

    /// Compiles C sources into a shared object with `cc -shared -fPIC`, as a plugin author would.
    @discardableResult
    static func compileC(_ source: URL, to output: URL, defines: [String] = [], libraries: [String] = []) throws -> URL {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var arguments = ["cc", "-shared", "-fPIC", "-fvisibility=hidden", "-I", repoRoot.appendingPathComponent("sdk/include").path]
        arguments += defines.map { "-D\($0)" }
        arguments.append(source.path)
        arguments += libraries.map { "-l\($0)" }
        process.arguments = arguments + ["-o", output.path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw CrosswalkError(.internalError, "cc failed for \(source.lastPathComponent): \(text)")
        }
        return output
    }

    static let exampleSource = repoRoot.appendingPathComponent("sdk/examples/c-connector/example_connector.c")
    static let badSource = repoRoot.appendingPathComponent("Tests/CrosswalkPluginsTests/Fixtures/bad_plugin.c")

    /// JSON text to a dictionary.
    static func object(_ data: Data) throws -> [String: Any] {
        guard let o = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CrosswalkError(.internalError, "not a JSON object: \(String(decoding: data, as: UTF8.self))")
        }
        return o
    }

    static func json(_ object: Any) throws -> Data { try JSONSerialization.data(withJSONObject: object) }
}
