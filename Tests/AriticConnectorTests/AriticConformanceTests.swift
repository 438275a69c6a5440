import CrosswalkAuth
import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkRuntime
import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Testing

/// `crosswalk plugins check` (the conformance run) on the built `.so` against the emulator, writes included.
@Suite("Aritic connector: plugins check")
struct AriticConformanceTests {
    @Test("every rule of plugins check passes on libCrosswalkAritic.so against the sandbox")
    func pluginsCheck() async throws {
        try await RunningSandbox.with({ [AriticApp(environment: $0.environment(for: "aritic"))] }, configure: { $0.seedCount = 20 }) { sandbox in
            let dir = try TestFiles.temporaryFolder("aritic-check")
            defer { try? FileManager.default.removeItem(at: dir) }
            let (logger, _) = LogRecorder.logger()
            let key = dir.appendingPathComponent("vault.key").path
            try VaultKeys.writeNewKey(toFile: key)
            let base = sandbox.urls["aritic"]!.absoluteString
            let config = DeploymentConfig(
                plugins: PluginsConfig(paths: [], enabled: ["com.aritic"]),
                store: .sqlite(path: dir.appendingPathComponent("crosswalk.db").path), vault: .keyFile(key),
                connections: ["aritic": ConnectionConfig(name: "aritic", connector: "com.aritic", settings: .object(["base_url": .string(base)]))])
            let deployment = Deployment(config: config, file: "test", options: RuntimeOptions(executableFolder: TestFiles.binFolder.path))
            let runtime = try await HostRuntime.open(deployment, logger: logger)
            let demo = AriticApp.demoCredentials.dictionary
            try await runtime.vault.store(.basic(BasicCredentials(username: demo["username"] ?? "", password: demo["password"] ?? "")), name: "aritic")
            await runtime.close()

            let run = ConformanceRun(plugin: TestFiles.builtPlugin("CrosswalkAritic"), connection: "aritic",
                                     settings: .init(object: "contacts", writeObject: "contacts", writeFields: ["firstname": "crosswalk-check"], limit: 5))
            let results = try await run.run(deployment: deployment, logger: logger) { _ in }
            let failed = results.filter { $0.status == .fail }
            #expect(failed.isEmpty, "\(failed.map(\.line).joined(separator: "\n"))")
            #expect(results.contains { $0.rule.hasPrefix("write") && $0.status == .pass })
            #expect(results.contains { $0.rule.hasPrefix("read") && $0.status == .pass })
        }
    }
}
