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
    static func compileC(_ source: URL, to output: URL, defines: [String] = [], libraries: [String] = [], include: URL? = nil) throws -> URL {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let headers = include ?? repoRoot.appendingPathComponent("sdk/include")
        var arguments = ["cc", "-shared", "-fPIC", "-fvisibility=hidden", "-I", headers.path]
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
    static let fixtures = repoRoot.appendingPathComponent("Tests/CrosswalkPluginsTests/Fixtures")
    static let misbehavingSource = fixtures.appendingPathComponent("misbehaving_plugin.c")
    static let functionsSource = fixtures.appendingPathComponent("functions_plugin.c")

    /// `fixture` compiled once per test process for each set of defines (into its own folder).
    static func compiledFixture(_ source: URL, defines: [String] = [], include: URL? = nil) throws -> URL {
        let key = ([source.path, include?.path ?? ""] + defines).joined(separator: "|")
        return try compiled.withLock { cache in
            if let url = cache[key] { return url }
            let dir = try temporaryFolder(source.deletingPathExtension().lastPathComponent)
            let url = try compileC(source, to: dir.appendingPathComponent("lib\(source.deletingPathExtension().lastPathComponent).so"),
                                   defines: defines, include: include)
            cache[key] = url
            return url
        }
    }
    private static let compiled = LockedValue<[String: URL]>([:])

    /// How the plugin tests run plugins: the built `crosswalk` binary as the worker (the test
    /// runner is not `crosswalk`), short time limits so that a hang costs a test little.
    static func configuration(_ isolation: PluginIsolation, deadlines: PluginDeadlines = .default,
                              cancelGrace: Duration = .milliseconds(500), probeTimeout: Duration = .seconds(10),
                              maxResultBytes: Int = PluginHostConfiguration.defaultMaxResultBytes) -> PluginHostConfiguration {
        PluginHostConfiguration(isolation: isolation, deadlines: deadlines, maxResultBytes: maxResultBytes,
                                worker: WorkerCommand(executable: binFolder.appendingPathComponent("crosswalk").path),
                                probeTimeout: probeTimeout, cancelGrace: cancelGrace, restartBackoff: .milliseconds(50))
    }

    /// A loader for `isolation`, logging into a recorder.
    static func loader(_ isolation: PluginIsolation, _ configuration: PluginHostConfiguration? = nil, logger: Logger? = nil) -> PluginLoader {
        PluginLoader(logger: logger ?? recordingLogger().0, configuration: configuration ?? self.configuration(isolation))
    }

    /// Waits until `condition` holds, checking every 10 ms, at most `seconds`.
    static func eventually(within seconds: Double = 10, _ condition: () -> Bool) async -> Bool {
        let end = Date(timeIntervalSinceNow: seconds)
        while Date() < end {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    /// JSON text to a dictionary.
    static func object(_ data: Data) throws -> [String: Any] {
        guard let o = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CrosswalkError(.internalError, "not a JSON object: \(String(decoding: data, as: UTF8.self))")
        }
        return o
    }

    static func json(_ object: Any) throws -> Data { try JSONSerialization.data(withJSONObject: object) }
}
