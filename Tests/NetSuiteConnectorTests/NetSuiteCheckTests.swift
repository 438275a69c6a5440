import CrosswalkAuth
import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Testing

/// `check` against each state in which the emulated account cannot be used.
@Suite("NetSuite connector: check", .serialized)
struct NetSuiteCheckTests {
    typealias NS = NetSuiteDemoCredentials

    /// OAuth 2.0 client credentials (M2M): an ES256 assertion with the certificate id, traded at the token endpoint.
    static func clientCredentials(_ baseURL: String) -> Credentials {
        let tokenURL = baseURL + "/services/rest/auth/oauth2/v1/token"
        return .jwt(JWTCredentials(privateKeyPEM: NS.clientAssertionPrivateKeyPEM, algorithm: .es256, keyID: NS.certificateId,
                                   issuer: NS.clientId, subject: nil, audience: tokenURL, tokenURL: tokenURL, scope: "rest_webservices",
                                   lifetimeSeconds: 300, use: .clientAssertion))
    }

    @Test func aHealthyAccountIsReadableThroughTokenBasedAuth() async throws {
        try await NetSuiteHarness.with(seed: 2) { h in
            let result = try await h.client().check()
            #expect(result.ok, "\(result.message)")
            #expect(result.message.contains("NetSuite account 1234567_SB1"))
            #expect(result.message.contains("customer, contact, invoice, opportunity readable"))
            #expect(result.message.contains("deleted-record feed readable"))
        }
    }

    @Test func oauth2ClientCredentialsWork() async throws {
        try await NetSuiteHarness.with(seed: 1) { h in
            let client = try await h.client("m2m", credentials: Self.clientCredentials(h.baseURL))
            let result = try await client.check()
            #expect(result.ok, "\(result.message)")
            // Reads and writes go through the bearer token the host got for the assertion.
            let written = try await client.write(WriteRequest(object: "customer", operation: .create, records: [WriteItem(ref: "m", fields: ["companyName": "M2M Co"])]))
            let id = try #require(written.results.first?.id)
            let read = try await client.read(ReadRequest(object: "customer", ids: [id]))
            #expect(read.records.first?.fields["companyName"] == "M2M Co")
            #expect(h.app.loginAuditTrail().isEmpty, "no refused login")
        }
    }

    @Test func tokenBasedAuthTurnedOffNamesTheFeatureAndTheAuditTrail() async throws {
        try await NetSuiteHarness.with { h in
            try await h.control("POST", "app/account", ["token_based_auth": false])
            let result = try await h.client().check()
            #expect(!result.ok)
            #expect(result.message.contains("INVALID_LOGIN"))
            #expect(result.message.contains("Setup > Company > Enable Features > SuiteCloud > Manage Authentication > Token-Based Authentication"))
            #expect(result.message.contains("View Login Audit Trail"))
            #expect(h.app.loginAuditTrail().contains("featureDisabled"))
        }
    }

    @Test func oauth2TurnedOffNamesTheFeature() async throws {
        try await NetSuiteHarness.with { h in
            try await h.control("POST", "app/account", ["oauth2": false])
            let result = try await h.client("m2m", credentials: Self.clientCredentials(h.baseURL)).check()
            #expect(!result.ok)
            #expect(result.message.contains("Manage Authentication > OAuth 2.0"), "\(result.message)")
        }
    }

    @Test func restWebServicesTurnedOffNamesWhereToEnableThem() async throws {
        try await NetSuiteHarness.with { h in
            try await h.control("POST", "app/account", ["rest_web_services": false])
            let result = try await h.client().check()
            #expect(!result.ok)
            #expect(result.message.contains("REST web services are not enabled"))
            #expect(result.message.contains("Setup > Company > Enable Features > SuiteCloud > SuiteTalk (Web Services) > REST Web Services"))
        }
    }

    @Test func aRoleWithoutTheRESTPermissionIsNamed() async throws {
        try await NetSuiteHarness.with { h in
            try await h.control("POST", "app/account", ["role_rest_permission": false])
            let result = try await h.client().check()
            #expect(!result.ok)
            #expect(result.message.contains("REST Web Services and Log in using Access Tokens"))
            #expect(result.message.contains("Setup > Users/Roles > Manage Roles"))
        }
    }

    @Test func aRoleWithoutPermissionOnARecordTypeNamesTheType() async throws {
        try await NetSuiteHarness.with { h in
            try await h.control("POST", "app/account", ["permissions": ["contact": "none"]])
            let result = try await h.client().check()
            #expect(!result.ok)
            #expect(result.message.contains("cannot read contact"))
            #expect(result.message.contains("Lists > Contacts"))
            #expect(result.details?["denied"] == ["contact"])
        }
    }

    @Test func aWrongTokenSecretIsAnInvalidLogin() async throws {
        try await NetSuiteHarness.with { h in
            let wrong = Credentials.netsuiteTBA(NetSuiteTBACredentials(accountID: NS.accountId, consumerKey: NS.consumerKey, consumerSecret: NS.consumerSecret,
                                                                       tokenID: NS.tokenId, tokenSecret: String(repeating: "0", count: 64)))
            let result = try await h.client("wrong", credentials: wrong).check()
            #expect(!result.ok)
            #expect(result.message.contains("refused the token-based login (INVALID_LOGIN)"))
            #expect(h.app.loginAuditTrail().last == "badSignature")
        }
    }
}
