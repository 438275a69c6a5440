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
@Suite("SPOTIO connector: plugins check")
struct SPOTIOConformanceTests {
    @Test("every rule of plugins check passes on libCrosswalkSPOTIO.so against the sandbox")
    func pluginsCheck() async throws {
        try await RunningSandbox.with({ [SpotioApp(environment: $0.environment(for: "spotio"))] }, configure: { $0.seedCount = 20 }) { sandbox in
            let dir = try TestFiles.temporaryFolder("spotio-check")
            defer { try? FileManager.default.removeItem(at: dir) }
            let (logger, _) = LogRecorder.logger()
            let key = dir.appendingPathComponent("vault.key").path
            try VaultKeys.writeNewKey(toFile: key)
            let base = sandbox.urls["spotio"]!.absoluteString
            let config = DeploymentConfig(
                plugins: PluginsConfig(paths: [], enabled: ["com.spotio"]),
                store: .sqlite(path: dir.appendingPathComponent("crosswalk.db").path), vault: .keyFile(key),
                connections: ["spotio": ConnectionConfig(name: "spotio", connector: "com.spotio",
                                                         settings: .object(["base_url": .string(base), "settle_seconds": 0]))])
            let deployment = Deployment(config: config, file: "test", options: RuntimeOptions(executableFolder: TestFiles.binFolder.path))
            let runtime = try await HostRuntime.open(deployment, logger: logger)
            try await runtime.vault.store(.tokenExchange(TokenExchangeCredentials(
                url: base + "/api/users/apitoken", bodyTemplate: #"{"clientId":"{{clientId}}","secret":"{{secret}}"}"#,
                values: ["clientId": SpotioApp.demoCredentials.clientId, "secret": SpotioApp.demoCredentials.secret])), name: "spotio")
            await runtime.close()

            let run = ConformanceRun(plugin: TestFiles.builtPlugin("CrosswalkSPOTIO"), connection: "spotio",
                                     settings: .init(object: "Lead", writeObject: "Lead", writeFields: ["Company": "crosswalk-check"], limit: 5))
            let results = try await run.run(deployment: deployment, logger: logger) { _ in }
            let failed = results.filter { $0.status == .fail }
            #expect(failed.isEmpty, "\(failed.map(\.line).joined(separator: "\n"))")
            #expect(results.contains { $0.rule.hasPrefix("write") && $0.status == .pass })
            #expect(results.contains { $0.rule.hasPrefix("read") && $0.status == .pass })
        }
    }
}
