import CrosswalkCore
import CrosswalkPlugins
import Foundation
import Logging

/// Helpers shared by the plugin tests: where the built products are, building C plugins with
/// `cc`, capturing log lines, and instances of the real `.so` files.
enum PluginTestKit {
    /// The repository root (this file is Tests/CrosswalkPluginsTests/PluginTestKit.swift).
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// SwiftPM's bin folder: the test runner lives there, beside the plugins and `crosswalk`.
    static let binFolder: URL = {
        var dir = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        // The runner may be inside `<bin>/crosswalkPackageTests.xctest/…`.
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("libCrosswalkMemory.so").path), dir.path != "/" {
            dir.deleteLastPathComponent()
        }
        return dir
    }()

    static func builtPlugin(_ product: String) -> String { binFolder.appendingPathComponent("lib\(product).so").path }

    /// A fresh temporary folder.
    static func temporaryFolder(_ name: String = "plugins") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("crosswalk-tests-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Compiles C sources into a shared object with `cc -shared -fPIC`, as a plugin author would.
    @discardableResult
    static func compileC(_ source: URL, to output: URL, defines: [String] = []) throws -> URL {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["cc", "-shared", "-fPIC", "-fvisibility=hidden", "-I", repoRoot.appendingPathComponent("sdk/include").path]
            + defines.map { "-D\($0)" } + [source.path, "-o", output.path]
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

    /// A logger that keeps what it was given.
    static func recordingLogger() -> (Logger, LogRecorder) {
        let recorder = LogRecorder()
        var logger = Logger(label: "test") { _ in RecordingHandler(recorder: recorder) }
        logger.logLevel = .trace
        return (logger, recorder)
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

/// Log lines received by `RecordingHandler`.
final class LogRecorder: Sendable {
    private let lines = LockedValue<[(level: Logger.Level, message: String, metadata: Logger.Metadata)]>([])
    func append(_ level: Logger.Level, _ message: String, _ metadata: Logger.Metadata) { lines.withLock { $0.append((level, message, metadata)) } }
    var messages: [String] { lines.withLock { $0.map(\.message) } }
    var entries: [(level: Logger.Level, message: String, metadata: Logger.Metadata)] { lines.withLock { $0 } }
}

struct RecordingHandler: LogHandler {
    let recorder: LogRecorder
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        recorder.append(event.level, event.message.description, metadata.merging(event.metadata ?? [:]) { $1 })
    }
}
