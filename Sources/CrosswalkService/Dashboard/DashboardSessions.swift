import Crypto
import Foundation

/// The dashboard's logins, kept in memory only (a restart logs everyone out).
///
/// An operator logs in by pasting the admin token; the dashboard then hands out a session: a
/// random 256-bit id (the HttpOnly, SameSite=Strict cookie ``cookieName``), its own random CSRF
/// token (a hidden field in every POST form, compared in constant time) and an expiry
/// (``lifetime`` after the login; not extended). Before the login, the login form carries a
/// pre-session token (cookie ``loginCookieName`` and a hidden field, double-submitted) so a
/// third-party page cannot log a browser into the dashboard with a token of its own.
actor DashboardSessions {
    struct Session: Sendable {
        var id: String
        var csrf: String
        var expires: Date
        /// A one-time message for the next page (what the last POST did).
        var notice: String?
    }

    static let cookieName = "crosswalk_session"
    static let loginCookieName = "crosswalk_login"

    let lifetime: TimeInterval
    /// At most this many live sessions; the oldest goes first.
    let capacity: Int
    private var sessions: [String: Session] = [:]

    init(lifetime: TimeInterval = 8 * 3600, capacity: Int = 1000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// 32 random bytes as 64 hex digits.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(format: "%016llx", generator.next() as UInt64) }.joined()
    }

    /// Whether two secrets are equal, in time that does not depend on where they differ
    /// (SHA-256 of both, then an OR of the byte differences).
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = SHA256.hash(data: Data(a.utf8)), y = SHA256.hash(data: Data(b.utf8))
        var difference: UInt8 = 0
        for (p, q) in zip(x, y) { difference |= p ^ q }
        return difference == 0
    }

    /// A new session, expiring ``lifetime`` from `now`.
    func create(now: Date = Date()) -> Session {
        sessions = sessions.filter { $0.value.expires > now }
        if sessions.count >= capacity, let oldest = sessions.min(by: { $0.value.expires < $1.value.expires }) {
            sessions[oldest.key] = nil
        }
        let session = Session(id: Self.randomToken(), csrf: Self.randomToken(), expires: now.addingTimeInterval(lifetime))
        sessions[session.id] = session
        return session
    }

    /// The live session with this id, or `nil` (unknown or expired; an expired one is forgotten).
    func session(_ id: String, now: Date = Date()) -> Session? {
        guard let s = sessions[id] else { return nil }
        guard s.expires > now else {
            sessions[id] = nil
            return nil
        }
        return s
    }

    /// Leaves a message for the session's next page.
    func setNotice(_ id: String, _ notice: String) { sessions[id]?.notice = notice }

    /// Takes the session's message (once).
    func takeNotice(_ id: String) -> String? {
        defer { sessions[id]?.notice = nil }
        return sessions[id]?.notice
    }

    /// Ends a session (logout).
    func end(_ id: String) { sessions[id] = nil }

    var count: Int { sessions.count }
}
