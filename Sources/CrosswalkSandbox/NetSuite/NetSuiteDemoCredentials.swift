import CrosswalkCore
import Foundation

/// The fixed credentials of the emulated NetSuite account. The sandbox banner, README, tests and demo use these.
public enum NetSuiteDemoCredentials {
    /// The account id in its realm form (underscore, upper case); hosts use the dash form `1234567-sb1`.
    public static let accountId = "1234567_SB1"
    /// Token-based authentication (OAuth 1.0a, HMAC-SHA256): integration record and access token.
    public static let consumerKey = "7c4f1d0a9b3e8c2d5f6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f7a8b9c0"
    public static let consumerSecret = "e1d2c3b4a5968778695a4b3c2d1e0f9e8d7c6b5a49382716f5e4d3c2b1a09f8e"
    public static let tokenId = "3a5c7e9f1b2d4f6a8c0e2a4c6e8a0c2e4a6c8e0a2c4e6a8c0e2a4c6e8a0c2e4a"
    public static let tokenSecret = "9f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6b5a49382716059483726150f"
    /// OAuth 2.0 integration: client id and secret (authorization code flow, HTTP Basic at the token endpoint).
    public static let clientId = "b4d1a7c3e9f2085b6d4c1a3e5f7092b8d6c4e2a0f1b3d5c7e9a1b3c5d7e9f1a3"
    public static let clientSecret = "0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b"
    /// OAuth 2.0 client credentials (M2M): certificate id (`kid`) and the ES256 private key that signs
    /// client assertions. The emulator keeps only the public half.
    public static let certificateId = "crosswalk-demo-m2m-certificate"
    public static let clientAssertionPrivateKeyPEM = """
    -----BEGIN PRIVATE KEY-----
    MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgLE32XrPhtgcI5uzx
    1bNvKCxSYpzkUuC/tV3Qn97ayCmhRANCAATZvW4YP4vKNPzjJl+yV7Siw4ab4fK6
    0ykqZfc/XuF5TgXhEv/IQp/fzbBlwp0FkqXvtqmJMHYg2MvB2t9RWgIC
    -----END PRIVATE KEY-----
    """
    /// An authorization code the token endpoint always accepts (the consent screen is skipped).
    public static let authorizationCode = "demo-netsuite-authorization-code"

    /// Name → value, as the sandbox banner and readiness line print them.
    public static let all: [String: String] = [
        "account_id": accountId, "consumer_key": consumerKey, "consumer_secret": consumerSecret, "token_id": tokenId,
        "token_secret": tokenSecret, "client_id": clientId, "client_secret": clientSecret, "certificate_id": certificateId,
        "client_assertion_private_key_pem": clientAssertionPrivateKeyPEM, "authorization_code": authorizationCode,
    ]
}
