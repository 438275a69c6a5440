import Foundation

/// Proof that a host holds a lease: the lease's name, the holder and the fencing token it was
/// granted. The token grows on every takeover, so a token older than the lease row's is stale.
public struct LeaseToken: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var holder: String
    public var token: Int64

    public init(name: String, holder: String, token: Int64) {
        self.name = name
        self.holder = holder
        self.token = token
    }

    public var description: String { "\(name)#\(token)@\(holder)" }
}

/// A lease row as stored.
public struct Lease: Sendable, Hashable {
    public var name: String
    public var holder: String
    public var token: Int64
    public var expiresAt: Date
    public var acquiredAt: Date
    public var renewedAt: Date

    public init(name: String, holder: String, token: Int64, expiresAt: Date, acquiredAt: Date, renewedAt: Date) {
        self.name = name
        self.holder = holder
        self.token = token
        self.expiresAt = expiresAt
        self.acquiredAt = acquiredAt
        self.renewedAt = renewedAt
    }
}

/// A store that several hosts share and split work through: each piece of work (a flow, a
/// partition of the webhook inbox) is owned by at most one host at a time through a lease with an
/// expiry and a fencing token, and a batch committed with a stale token is refused.
public protocol LeaseStore: Store {
    /// Takes the lease `name` for `holder` until now + `ttl` when it is free, expired, or already
    /// `holder`'s; returns `nil` while another holder's lease runs. A takeover (a new holder, or the
    /// same holder after expiry) gets a new, larger token.
    func acquireLease(name: String, holder: String, ttl: Duration) async throws -> LeaseToken?

    /// Extends a held lease to now + `ttl`; `false` when it was lost (taken over or expired and taken).
    func renewLease(_ lease: LeaseToken, ttl: Duration) async throws -> Bool

    /// Gives a lease up at once (its token stays, so a stale holder stays fenced).
    func releaseLease(_ lease: LeaseToken) async throws

    /// Every lease row, by name.
    func leases() async throws -> [Lease]

    /// Commits a batch in one transaction, only while `fencing` (when given) is still the lease's
    /// current token and unexpired: otherwise `.fenced`, and nothing is written.
    func commitBatch(_ batch: BatchCommit, fencing: LeaseToken?) async throws
}

extension Duration {
    /// The duration in whole milliseconds.
    public var storeMilliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}

/// The lease the current task's work runs under: a host that took a flow's lease runs the flow
/// inside `Fencing.$lease.withValue(token) { … }`, and a ``LeaseStore`` commits every batch of that
/// task (and its child tasks) with that fencing token. `nil`: no fencing (one host).
public enum Fencing {
    @TaskLocal public static var lease: LeaseToken?
}
