import CrosswalkCore

/// A live connector bound to one connection, as the engine and the CLI see it: typed requests
/// in, typed results out, whatever runs behind it (a plugin in a worker process, a plugin in the
/// host's process, or an in-memory connector in tests).
///
/// Implementations throw `CrosswalkError`s that name the plugin, the connection and the
/// operation; `.timeout` past a call's deadline, `.cancelled` when the caller's task was cancelled.
public protocol ConnectorClient: Sendable {
    /// The connection's name.
    var connection: String { get }
    /// The plugin id (`com.salesforce`).
    var pluginID: String { get }
    /// What the connector declares.
    var manifest: ConnectorManifest { get }

    /// One cheap authenticated call.
    func check() async throws -> CheckResult
    /// Objects and fields; `request.objects` narrows it when the connector can.
    func discover(_ request: DiscoverRequest) async throws -> DiscoverResult
    /// One page of changes, or the records of `request.ids`.
    func read(_ request: ReadRequest) async throws -> ReadResult
    /// One batch of writes (at most the manifest's `batch_limits.write`).
    func write(_ request: WriteRequest) async throws -> WriteResult
    /// Change events of one webhook delivery.
    func parseWebhook(_ request: WebhookRequest) async throws -> WebhookResult
    /// Releases the instance; later calls throw.
    func close() async
}

extension ConnectorClient {
    /// Every object and field.
    public func discover() async throws -> DiscoverResult { try await discover(DiscoverRequest()) }

    /// The largest write batch the connector takes (`batch_limits.write`, else 100).
    public var writeBatchLimit: Int { max(1, manifest.batchLimits?.write ?? 100) }

    /// The page size to ask for (`batch_limits.read`, else 500).
    public var readBatchLimit: Int { max(1, manifest.batchLimits?.read ?? 500) }
}
