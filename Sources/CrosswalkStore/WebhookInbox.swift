import Foundation

/// Where a webhook delivery in the inbox stands.
public enum WebhookDeliveryState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Received and stored, waiting to be processed (or to be retried at `nextAttemptAt`).
    case pending
    /// Claimed by a processor; back to `pending` if that processor dies (its claim expires).
    case processing
    /// Its change events were handed to the engine.
    case done
    /// Given up after too many attempts; `lastError` says why.
    case failed
}

/// A verified delivery to put in the inbox. It holds no secret: the signature headers are dropped
/// before it is stored.
public struct NewWebhookDelivery: Sendable, Hashable {
    public var connection: String
    /// What tells a repeat of this delivery apart: the app's delivery or event id, else a hash of
    /// the connection and the body. A second delivery with the same key is not stored again.
    public var dedupeKey: String
    public var method: String
    public var path: String
    public var query: String?
    /// The public URL as the app called it.
    public var url: String
    /// Header names lower-case, signature headers removed.
    public var headers: [String: String]
    public var body: Data
    public var receivedAt: Date
    /// Whether the host verified a signature (`false` for apps that do not sign).
    public var verified: Bool

    public init(connection: String, dedupeKey: String, method: String, path: String, query: String? = nil, url: String,
                headers: [String: String], body: Data, receivedAt: Date, verified: Bool) {
        self.connection = connection
        self.dedupeKey = dedupeKey
        self.method = method
        self.path = path
        self.query = query
        self.url = url
        self.headers = headers
        self.body = body
        self.receivedAt = receivedAt
        self.verified = verified
    }
}

/// One delivery in the inbox.
public struct WebhookDelivery: Sendable, Hashable {
    public var id: Int64
    public var delivery: NewWebhookDelivery
    public var state: WebhookDeliveryState
    /// Processing attempts so far (a claim counts as one).
    public var attempts: Int
    public var lastError: String?
    /// When a pending delivery may next be claimed.
    public var nextAttemptAt: Date
    /// How many more deliveries with the same key arrived after this one (replays, retries).
    public var duplicates: Int
    public var updatedAt: Date

    public init(id: Int64, delivery: NewWebhookDelivery, state: WebhookDeliveryState, attempts: Int, lastError: String?,
                nextAttemptAt: Date, duplicates: Int, updatedAt: Date) {
        self.id = id
        self.delivery = delivery
        self.state = state
        self.attempts = attempts
        self.lastError = lastError
        self.nextAttemptAt = nextAttemptAt
        self.duplicates = duplicates
        self.updatedAt = updatedAt
    }
}

/// What putting a delivery in the inbox did.
public enum WebhookInsertResult: Sendable, Hashable {
    /// Stored (durably: on disk when this is returned) under a new id.
    case stored(Int64)
    /// A delivery with the same connection and key is already there (in any state): nothing stored.
    case duplicate(of: Int64, state: WebhookDeliveryState)

    /// The id of the stored delivery or of the one it repeats.
    public var id: Int64 {
        switch self {
        case .stored(let id), .duplicate(of: let id, _): id
        }
    }
}

/// How processing one claimed delivery ended.
public enum WebhookDeliveryOutcome: Sendable, Hashable {
    case done
    /// Back to `pending`, to be claimed again from `retryAt`.
    case retry(error: String, retryAt: Date)
    /// Given up.
    case failed(error: String)
}
