import Foundation

/// NetSuite Token-Based Authentication: an integration record's consumer key/secret and a user's
/// access token id/secret, for one account.
public struct NetSuiteTBACredentials: Sendable, Hashable, Codable, SecretRedacting {
    /// The account id as NetSuite shows it, e.g. `1234567` or `1234567_SB1` (either case, `-` or `_`).
    public var accountID: String
    public var consumerKey: String
    public var consumerSecret: String
    public var tokenID: String
    public var tokenSecret: String
    public var signatureMethod: NetSuiteTBASigner.SignatureMethod

    public init(accountID: String, consumerKey: String, consumerSecret: String, tokenID: String, tokenSecret: String,
                signatureMethod: NetSuiteTBASigner.SignatureMethod = .hmacSHA256) {
        self.accountID = accountID
        self.consumerKey = consumerKey
        self.consumerSecret = consumerSecret
        self.tokenID = tokenID
        self.tokenSecret = tokenSecret
        self.signatureMethod = signatureMethod
    }

    /// The OAuth realm: the account id upper-cased with underscores (`1234567_SB1`).
    public var realm: String { accountID.uppercased().replacingOccurrences(of: "-", with: "_") }

    /// The host form of the account id: lower-cased with dashes (`1234567-sb1`), as in
    /// `https://1234567-sb1.suitetalk.api.netsuite.com`.
    public var hostAccountID: String { accountID.lowercased().replacingOccurrences(of: "_", with: "-") }

    public var redactedFields: [RedactedField] {
        [.visible("accountID", accountID), .secret("consumerKey", isSet: true), .secret("consumerSecret", isSet: true),
         .secret("tokenID", isSet: true), .secret("tokenSecret", isSet: true),
         .visible("signatureMethod", signatureMethod.rawValue)]
    }
}
