import ArgumentParser
import CrosswalkCore
import CrosswalkService
import Foundation
import Logging
import Metrics
import Prometheus

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run as a service: the admin REST API, webhooks, the flows' schedules, /healthz, /readyz and /metrics.",
        discussion: """
            Listens on the config's service.listen (default 127.0.0.1:8080) or --listen (port 0 picks a free one). The \
            admin API under /api/v1 (described at /api/v1/openapi.yaml) needs `Authorization: Bearer TOKEN`; the token is \
            read from service.admin_token ({env: VARIABLE}, default CROSSWALK_ADMIN_TOKEN, or {vault: ENTRY}), never from \
            the file. Apps post webhooks to PUBLIC_URL/hooks/CONNECTION (service.public_url, default the listen URL; no \
            token: the signature, checked with the secret of `crosswalk connections webhook-secret`). Logs are JSON lines on standard output; the first line with "ready":true carries the bound URL. \
            SIGTERM or SIGINT stops it gracefully: the batch in flight is committed, then it exits 0.
            """)
    @Option(help: "host:port to listen on, over service.listen (e.g. 127.0.0.1:0 for a free port).") var listen: String?
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let level = Logger.Level(rawValue: options.logLevel ?? ProcessInfo.processInfo.environment["CROSSWALK_LOG_LEVEL"] ?? "info") ?? .info
        LoggingSystem.bootstrap { label in
            var handler = JSONLogHandler.standardOutput(label: label)
            handler.logLevel = level
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        var logger = Logger(label: "crosswalk.serve")
        logger.logLevel = level
        let serve = ServeOptions(runtime: options.runtimeOptions, listen: listen, metricsText: { registry.emitToString() })
        try await CrosswalkServer.run(serve, logger: logger) { url in
            let line = #"{"ready":true,"url":"\#(url)","pid":\#(ProcessInfo.processInfo.processIdentifier)}"#
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
    }
}
