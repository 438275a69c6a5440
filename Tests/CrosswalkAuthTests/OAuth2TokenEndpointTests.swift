import CrosswalkAuth
import CrosswalkCore
import Foundation
import Testing

@Suite("OAuth 2.0 token endpoint: grants, answers and refusals")
struct OAuth2TokenEndpointTests {
    static let now = Date(timeIntervalSince1970: 1_700_000_000)

    static func endpoint(answer status: Int, _ body: String, authentication: OAuth2Credentials.ClientAuthentication = .requestBody,
                         seen: LockedValue<[HTTPRequest]> = LockedValue([])) -> OAuth2TokenEndpoint {
        OAuth2TokenEndpoint(url: "https://auth.example.test/oauth/v1/token", clientID: "client id", clientSecret: "s3cr3t:&=",
                            clientAuthentication: authentication,
                            http: FakeHTTPClient { request in
                                seen.withLock { $0.append(request) }
                                return HTTPResponse(status: status, body: Data(body.utf8))
                            },
                            now: { now })
    }

    @Test("RFC 6749 answer: expires_in becomes an absolute expiry; refresh token and scope kept")
    func standardAnswer() async throws {
        let token = try await Self.endpoint(answer: 200, #"{"access_token":"a","refresh_token":"r","expires_in":1800,"token_type":"bearer","scope":"crm.objects.contacts.read"}"#)
            .refresh(refreshToken: "old")
        #expect(token == OAuth2Token(accessToken: "a", tokenType: "bearer", refreshToken: "r",
                                     expiresAt: Self.now.addingTimeInterval(1800), scope: "crm.objects.contacts.read"))
    }

    @Test("expires_in sent as a string is understood")
    func stringExpiry() async throws {
        let token = try await Self.endpoint(answer: 200, #"{"access_token":"a","expires_in":"3600"}"#).clientCredentials(scopes: [])
        #expect(token.expiresAt == Self.now.addingTimeInterval(3600))
        #expect(token.tokenType == "Bearer")
    }

    @Test("client authentication in the body, or as HTTP Basic with form-encoded parts (RFC 6749 §2.3.1)")
    func clientAuthentication() async throws {
        let seen = LockedValue<[HTTPRequest]>([])
        _ = try await Self.endpoint(answer: 200, #"{"access_token":"a"}"#, seen: seen).clientCredentials(scopes: ["a", "b"])
        _ = try await Self.endpoint(answer: 200, #"{"access_token":"a"}"#, authentication: .basic, seen: seen).clientCredentials(scopes: [])
        let requests = seen.withLock { $0 }
        #expect(requests[0].method == "POST")
        #expect(requests[0].headers["Content-Type"] == "application/x-www-form-urlencoded")
        #expect(String(decoding: requests[0].body, as: UTF8.self) == "grant_type=client_credentials&scope=a%20b&client_id=client%20id&client_secret=s3cr3t%3A%26%3D")
        #expect(requests[0].headers["Authorization"] == nil)
        #expect(String(decoding: requests[1].body, as: UTF8.self) == "grant_type=client_credentials")
        #expect(requests[1].headers["Authorization"] == "Basic " + Data("client%20id:s3cr3t%3A%26%3D".utf8).base64EncodedString())
    }

    @Test("an {error, error_description} refusal becomes an auth error that repeats neither the secret nor the grant")
    func refusal() async throws {
        let endpoint = Self.endpoint(answer: 400, #"{"error":"invalid_grant","error_description":"expired refresh token rt-SECRET-42 for s3cr3t:&="}"#)
        let error = try await #require(throws: CrosswalkError.self) { try await endpoint.refresh(refreshToken: "rt-SECRET-42") }
        #expect(error.code == .auth)
        #expect(error.message.contains("invalid_grant"))
        #expect(!error.description.contains("rt-SECRET-42") && !error.description.contains("s3cr3t"))
        #expect(error.context["status"] == "400")
    }

    @Test("HubSpot's {status, message} refusal is read too")
    func hubspotRefusal() async throws {
        let endpoint = Self.endpoint(answer: 400, #"{"status":"BAD_REFRESH_TOKEN","message":"missing or unknown refresh token"}"#)
        let error = try await #require(throws: CrosswalkError.self) { try await endpoint.refresh(refreshToken: "r") }
        #expect(error.message.contains("BAD_REFRESH_TOKEN (missing or unknown refresh token)"))
    }

    @Test("server trouble is retryable, not an auth failure", arguments: [(503, CrosswalkError.Code.unavailable), (429, .rateLimited)])
    func serverTrouble(status: Int, code: CrosswalkError.Code) async throws {
        let error = try await #require(throws: CrosswalkError.self) {
            try await Self.endpoint(answer: status, "<html>busy</html>").clientCredentials(scopes: [])
        }
        #expect(error.code == code)
    }

    @Test("a success without access_token is an auth error")
    func missingAccessToken() async throws {
        let error = try await #require(throws: CrosswalkError.self) {
            try await Self.endpoint(answer: 200, #"{"token_type":"bearer"}"#).clientCredentials(scopes: [])
        }
        #expect(error.code == .auth)
    }
}
