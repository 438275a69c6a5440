import Crypto
import Foundation

/// Issued OAuth tokens and pending authorization codes. Tokens are kept only as SHA-256 digests, so
/// neither memory dumps nor the state file hold usable tokens.
struct SalesforceSessions: Sendable {
    /// An access token's session.
    struct Session: Sendable {
        var userID: String
        var clientID: String
        var scope: String
        var expiresAt: Date
        /// Digest of the refresh token that minted it, so revoking the refresh token ends it too.
        var refreshDigest: String?
    }

    /// What a refresh token may mint.
    struct Grant: Sendable {
        var userID: String
        var clientID: String
        var scope: String
    }

    /// A pending authorization code (web-server flow).
    struct Code: Sendable {
        var clientID: String
        var redirectURI: String
        var challenge: String?
        var challengeMethod: String
        var scope: String
        var expiresAt: Date
    }

    /// How long an access token lives (the org's session timeout).
    static let sessionLifetime: TimeInterval = 2 * 3600
    /// How long an authorization code may be exchanged.
    static let codeLifetime: TimeInterval = 15 * 60

    var access: [String: Session] = [:]
    var refresh: [String: Grant] = [:]
    var codes: [String: Code] = [:]

    static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// A random token in Salesforce's shape: `<org id 15>!<random>`.
    static func newToken(orgID: String) -> String {
        "\(orgID.prefix(15))!AQ\(random(96))"
    }

    /// `count` random characters from Salesforce's token alphabet.
    static func random(_ count: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._")
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
    }

    /// Mints an access token (and a refresh token when `withRefresh`).
    mutating func issue(_ grant: Grant, now: Date, orgID: String, withRefresh: Bool, refreshDigest: String? = nil) -> (access: String, refresh: String?) {
        var refreshToken: String?
        var parent = refreshDigest
        if withRefresh {
            let token = Self.newToken(orgID: orgID)
            refresh[Self.digest(token)] = grant
            refreshToken = token
            parent = Self.digest(token)
        }
        let accessToken = Self.newToken(orgID: orgID)
        access[Self.digest(accessToken)] = Session(userID: grant.userID, clientID: grant.clientID, scope: grant.scope,
                                                   expiresAt: now.addingTimeInterval(Self.sessionLifetime), refreshDigest: parent)
        return (accessToken, refreshToken)
    }

    /// The live session for a bearer token.
    func session(_ token: String, now: Date) -> Session? {
        guard let session = access[Self.digest(token)], session.expiresAt > now else { return nil }
        return session
    }

    /// Revokes an access or refresh token (a refresh token takes its access tokens with it).
    mutating func revoke(_ token: String) -> Bool {
        let digest = Self.digest(token)
        if access.removeValue(forKey: digest) != nil { return true }
        guard refresh.removeValue(forKey: digest) != nil else { return false }
        access = access.filter { $0.value.refreshDigest != digest }
        return true
    }
}
