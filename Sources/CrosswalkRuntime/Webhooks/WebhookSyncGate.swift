import CrosswalkEngine
import CrosswalkFlows

/// How the inbox's syncs reach the flows: whether a flow is on, and the sync run as that flow's
/// only writer. `crosswalk webhooks drain` uses ``direct`` (the config's `enabled:`, no
/// exclusion: the CLI process runs nothing else); `crosswalk serve` passes one over its run
/// coordinator, so a webhook-triggered sync and a scheduled run (or "run now") of one flow never
/// overlap and a flow switched on or off through the admin API is matched as it is now.
public struct WebhookSyncGate: Sendable {
    /// Whether webhooks sync through `flow` now.
    public var isEnabled: @Sendable (Flow) async -> Bool
    /// Runs `body` (one ``FlowService/sync(_:ids:side:options:)``) as the flow's only writer,
    /// waiting while another run of the flow is in flight; `body` gets the stop signal that
    /// graceful shutdown pulls. Throws what `body` throws, or why it could not run (shutdown):
    /// the delivery is then retried.
    public var exclusive: @Sendable (_ flow: String, _ body: @escaping @Sendable (StopSignal?) async throws -> RunReport) async throws -> RunReport

    public init(isEnabled: @escaping @Sendable (Flow) async -> Bool,
                exclusive: @escaping @Sendable (_ flow: String, _ body: @escaping @Sendable (StopSignal?) async throws -> RunReport) async throws -> RunReport) {
        self.isEnabled = isEnabled
        self.exclusive = exclusive
    }

    /// The config's `enabled:`, and the sync run at once.
    public static let direct = WebhookSyncGate(isEnabled: { $0.enabled }, exclusive: { _, body in try await body(nil) })
}
