import CrosswalkCore
import CrosswalkStore
import Foundation
import PostgresNIO

/// Leases: one row per piece of work. Acquiring is one `INSERT … ON CONFLICT DO UPDATE … WHERE`
/// (free, expired, or already ours), so two hosts racing for a lease serialise on its row and
/// exactly one wins; the token grows by one on every takeover. Time is the database server's
/// clock, so hosts with skewed clocks still agree on expiry.
extension PostgresStore: LeaseStore {
    private static let nowMilliseconds = "(extract(epoch from clock_timestamp()) * 1000)::bigint"

    public func acquireLease(name: String, holder: String, ttl: Duration) async throws -> LeaseToken? {
        try await queryFirst("acquiring a lease", """
            INSERT INTO leases AS l (name, holder, expires_at, token, acquired_at, renewed_at)
            VALUES ($1, $2, \(Self.nowMilliseconds) + $3, 1, \(Self.nowMilliseconds), \(Self.nowMilliseconds))
            ON CONFLICT (name) DO UPDATE SET
                holder = excluded.holder,
                expires_at = excluded.expires_at,
                renewed_at = excluded.renewed_at,
                token = CASE WHEN l.holder = excluded.holder AND l.expires_at > excluded.renewed_at THEN l.token ELSE l.token + 1 END,
                acquired_at = CASE WHEN l.holder = excluded.holder AND l.expires_at > excluded.renewed_at THEN l.acquired_at ELSE excluded.acquired_at END
            WHERE l.holder = excluded.holder OR l.expires_at <= excluded.renewed_at
            RETURNING token
            """, [.text(name), .text(holder), .int(ttl.storeMilliseconds)]) {
            LeaseToken(name: name, holder: holder, token: try $0.int64(0))
        }
    }

    public func renewLease(_ lease: LeaseToken, ttl: Duration) async throws -> Bool {
        try await run("renewing a lease", """
            UPDATE leases SET expires_at = \(Self.nowMilliseconds) + $4, renewed_at = \(Self.nowMilliseconds)
            WHERE name = $1 AND holder = $2 AND token = $3 AND expires_at > \(Self.nowMilliseconds)
            RETURNING 1
            """, [.text(lease.name), .text(lease.holder), .int(lease.token), .int(ttl.storeMilliseconds)]) > 0
    }

    public func releaseLease(_ lease: LeaseToken) async throws {
        try await run("releasing a lease", """
            UPDATE leases SET expires_at = \(Self.nowMilliseconds) WHERE name = $1 AND holder = $2 AND token = $3
            """, [.text(lease.name), .text(lease.holder), .int(lease.token)])
    }

    public func leases() async throws -> [Lease] {
        try await query("reading leases", "SELECT name, holder, token, expires_at, acquired_at, renewed_at FROM leases ORDER BY name") {
            Lease(name: try $0.text(0), holder: try $0.text(1), token: try $0.int64(2), expiresAt: try $0.date(3),
                  acquiredAt: try $0.date(4), renewedAt: try $0.date(5))
        }
    }

    /// Inside a commit's transaction: locks the lease row (a takeover waits for this commit, and this
    /// commit for a takeover under way) and refuses a token that is no longer current or has expired.
    func checkFencing(_ lease: LeaseToken, on db: PostgresConnection) async throws {
        let row = try await db.queryFirst("""
            SELECT holder, token, expires_at > \(Self.nowMilliseconds) FROM leases WHERE name = $1 FOR UPDATE
            """, [.text(lease.name)], logger: logger) { (try $0.text(0), try $0.int64(1), try $0.bool(2)) }
        guard let row, row.0 == lease.holder, row.1 == lease.token, row.2 else {
            let now = row.map { "held by \($0.0) with token \($0.1)\($0.2 ? "" : ", expired")" } ?? "not held"
            throw CrosswalkError(.fenced, "the lease \(lease.name) with token \(lease.token) is no longer this host's (\(now)); the batch was not written",
                                 context: ["lease": lease.name, "token": String(lease.token)])
        }
    }
}
