import CrosswalkAuth
import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkRuntime
import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Testing

/// `crosswalk plugins check` (the conformance run) on the built `.so` against the emulator, search lag on, writes included.
@Suite("HubSpot connector: plugins check")
struct HubSpotConformanceTests {
    @Test("every rule of plugins check passes on libCrosswalkHubSpot.so against the sandbox", arguments: ["contacts", "invoices"])
    func pluginsCheck(object: String) async throws {
        try await RunningSandbox.with({ [HubSpotApp(environment: $0.environment(for: "hubspot"))] }, configure: { $0.seedCount = 8 }) { sandbox in
            let dir = try TestFiles.temporaryFolder("hubspot-check")
            defer { try? FileManager.default.removeItem(at: dir) }
            let (logger, _) = LogRecorder.logger()
            let key = dir.appendingPathComponent("vault.key").path
            try VaultKeys.writeNewKey(toFile: key)
            let base = sandbox.urls["hubspot"]!.absoluteString
            let lag = try await TestHTTP.send("POST", sandbox.url("hubspot", "/__sandbox/app/search_lag"), json: ["ms": 2000])
            #expect(lag.status == 200)
            let settings: ConfigValue = .object(["base_url": .string(base), "settle_ms": 2500, "lookback_ms": 30_000])
            let config = DeploymentConfig(
                plugins: PluginsConfig(paths: [], enabled: ["com.hubspot"]),
                store: .sqlite(path: dir.appendingPathComponent("crosswalk.db").path), vault: .keyFile(key),
                connections: ["hubspot": ConnectionConfig(name: "hubspot", connector: "com.hubspot", settings: settings)])
            let deployment = Deployment(config: config, file: "test", options: RuntimeOptions(executableFolder: TestFiles.binFolder.path))
            let runtime = try await HostRuntime.open(deployment, logger: logger)
            try await runtime.vault.store(.apiKey(.bearer(HubSpotDemoCredentials.privateAppToken)), name: "hubspot")
            await runtime.close()

            let fields: [String: JSONValue] = object == "contacts" ? ["firstname": "crosswalk-check"] : ["hs_currency": "EUR"]
            let run = ConformanceRun(plugin: TestFiles.builtPlugin("CrosswalkHubSpot"), connection: "hubspot",
                                     settings: .init(object: object, writeObject: object, writeFields: fields, limit: 5))
            let results = try await run.run(deployment: deployment, logger: logger) { _ in }
            let failed = results.filter { $0.status == .fail }
            #expect(failed.isEmpty, "\(failed.map(\.line).joined(separator: "\n"))")
            #expect(results.contains { $0.rule.hasPrefix("write") && $0.status == .pass })
            #expect(results.contains { $0.rule.hasPrefix("read") && $0.status == .pass })
        }
    }
}
