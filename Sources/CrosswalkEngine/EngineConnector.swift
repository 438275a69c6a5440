import Foundation
import CrosswalkConnectors

/// A connection as the engine uses it: the typed connector client, and who Crosswalk is in that
/// app (`ConnectionFacts.userID`), so changes Crosswalk made itself are recognised when they come
/// back (echo suppression by `modified_by`).
public struct EngineConnector: Sendable {
    public var client: any ConnectorClient
    /// The integration user's id in the app, when known.
    public var integrationUser: String?

    public init(client: any ConnectorClient, integrationUser: String? = nil) {
        self.client = client
        self.integrationUser = integrationUser
    }

    public var connection: String { client.connection }
}

/// How the engine batches and retries.
public struct EngineConfiguration: Sendable {
    /// Records handled per commit: pages are read until a chunk holds at least this many, then
    /// written and committed with the cursor. Bounds the engine's memory.
    public var chunkSize: Int
    /// Values per `in` filter when looking records up by match key.
    public var lookupBatch: Int
    /// Attempts of a write batch that failed with a retryable error as a whole.
    public var writeAttempts: Int
    /// The first wait between those attempts (doubled each time, or the app's `retry_after_ms`).
    public var writeRetryDelay: Duration
    /// When a failed record is retried at the earliest.
    public var failureRetryDelay: Duration
    /// Queued failures retried per `retry` call, at most.
    public var retryLimit: Int

    public init(chunkSize: Int = 1000, lookupBatch: Int = 100, writeAttempts: Int = 3, writeRetryDelay: Duration = .milliseconds(200),
                failureRetryDelay: Duration = .seconds(300), retryLimit: Int = 10_000) {
        self.chunkSize = max(1, chunkSize)
        self.lookupBatch = max(1, lookupBatch)
        self.writeAttempts = max(1, writeAttempts)
        self.writeRetryDelay = writeRetryDelay
        self.failureRetryDelay = failureRetryDelay
        self.retryLimit = max(1, retryLimit)
    }
}
