import CrosswalkCore
@testable import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Hummingbird
import Logging
import Testing

/// A second app for server tests: answers with what it received, and a 429 for rate limits.
private final class EchoApp: SandboxApp {
    let name = "hubspot"

    func handle(_ request: SandboxRequest) async -> SandboxResponse {
        .json(200, ["method": request.method, "path": request.path, "query": request.query.map { "\($0.name)=\($0.value)" },
                    "body": String(decoding: request.body, as: UTF8.self), "base": request.baseURL])
    }

    func faultResponse(_ fault: SandboxFault) -> SandboxResponse {
        switch fault {
        case .rateLimited(let seconds): .json(429, ["status": "error", "category": "RATE_LIMITS"], headers: ["Retry-After": "\(seconds)"])
        case .serverError: .json(502, ["status": "error", "category": "BAD_GATEWAY"])
        }
    }

    func expireAccessTokens() async {}
    func reset() async {}
    func seed(_ options: SandboxSeed) async {}
    func subscribe(url: String, secret: String?, events: [String]) async {}
    func exportState() async -> Data { Data("{\"echo\":1}".utf8) }
    func importState(_ data: Data) async throws {}
}

/// Polls `check` (every 20 ms, 10 s at most) until it holds: a readiness check, not a fixed sleep.

private func salesforceAndEcho(_ webhooks: SandboxWebhookDispatcher) -> [any SandboxApp] {
    [EchoApp(), SalesforceApp(environment: webhooks.environment(for: "salesforce"))]
}

/// A session token from the sandbox's Salesforce token endpoint, over HTTP.
private func salesforceToken(_ sandbox: RunningSandbox) async throws -> String {
    let c = SalesforceApp.demoCredentials
    let form = "grant_type=password&client_id=\(c.clientID)&client_secret=\(c.clientSecret)&username=\(SalesforceApp.formEncode(c.username))&password=\(c.password)"
    let response = try await TestHTTP.send("POST", sandbox.url("salesforce", "/services/oauth2/token"), form: form)
    return try #require(response.object["access_token"] as? String)
}

@Suite("Sandbox server")
struct ServerTests {
    @Test("each app gets its own port; requests reach it decoded; controls answer per app")
    func portsAndConversion() async throws {
        try await RunningSandbox.with(salesforceAndEcho) { sandbox in
            #expect(Set(sandbox.urls.keys) == ["salesforce", "hubspot"])
            #expect(sandbox.urls["salesforce"]?.port != sandbox.urls["hubspot"]?.port)
            #expect(sandbox.urls["salesforce"]?.scheme == "http" && sandbox.caFile == nil)

            let health = try await TestHTTP.send("GET", sandbox.url("hubspot", "/__sandbox/health"))
            #expect(health.status == 200 && health.object["app"] as? String == "hubspot")
            #expect(try await TestHTTP.send("GET", sandbox.url("salesforce", "/__sandbox/health")).object["app"] as? String == "salesforce")

            let echo = try await TestHTTP.send("POST", sandbox.url("hubspot", "/crm/v3/objects/a%20b?x=1&y=two+words"), json: ["k": "v"])
            #expect(echo.object["method"] as? String == "POST")
            #expect(echo.object["path"] as? String == "/crm/v3/objects/a b")
            #expect(echo.object["query"] as? [String] == ["x=1", "y=two words"])
            #expect(echo.object["body"] as? String == "{\"k\":\"v\"}")
            #expect(echo.object["base"] as? String == sandbox.urls["hubspot"]?.absoluteString)

            let unknown = try await TestHTTP.send("GET", sandbox.url("hubspot", "/__sandbox/nope"))
            #expect(unknown.status == 404)
            #expect(try await TestHTTP.send("DELETE", sandbox.url("hubspot", "/__sandbox/health")).status == 405)
        }
    }

    @Test("rate-limit bursts and error rates answer in each app's own shape, only on that app")
    func faults() async throws {
        try await RunningSandbox.with(salesforceAndEcho) { sandbox in
            let token = try await salesforceToken(sandbox)
            let limits = sandbox.url("salesforce", "/services/data/v60.0/limits")
            let auth = ["Authorization": "Bearer \(token)"]

            let set = try await TestHTTP.send("POST", sandbox.url("salesforce", "/__sandbox/faults"), json: ["rate_limit_burst": 2, "retry_after_s": 7])
            #expect(set.status == 200)
            for _ in 0..<2 {
                let limited = try await TestHTTP.send("GET", limits, headers: auth)
                #expect(limited.status == 403 && limited.errorCode == "REQUEST_LIMIT_EXCEEDED")
            }
            #expect(try await TestHTTP.send("GET", limits, headers: auth).status == 200)
            #expect(try await TestHTTP.send("GET", sandbox.url("hubspot", "/x")).status == 200)

            _ = try await TestHTTP.send("POST", sandbox.url("hubspot", "/__sandbox/faults"), json: ["rate_limit_burst": 1, "retry_after_s": 3])
            let hubspotLimited = try await TestHTTP.send("GET", sandbox.url("hubspot", "/x"))
            #expect(hubspotLimited.status == 429 && hubspotLimited.headers["retry-after"] == "3")

            _ = try await TestHTTP.send("POST", sandbox.url("salesforce", "/__sandbox/faults"), json: ["error_rate": 1.0])
            let failing = try await TestHTTP.send("GET", limits, headers: auth)
            #expect(failing.status == 503 && failing.errorCode == "SERVER_UNAVAILABLE")
            #expect(try await TestHTTP.send("DELETE", sandbox.url("salesforce", "/__sandbox/faults")).status == 200)
            #expect(try await TestHTTP.send("GET", limits, headers: auth).status == 200)

            let bad = try await TestHTTP.send("POST", sandbox.url("salesforce", "/__sandbox/faults"), json: ["error_rate": "often"])
            #expect(bad.status == 400)
            #expect(try await TestHTTP.send("POST", sandbox.url("salesforce", "/__sandbox/faults"), json: ["surprise": 1]).status == 400)
        }
    }

    @Test("a timeout fault holds the request until faults are cleared, then answers the app's 5xx")
    func timeoutFault() async throws {
        try await RunningSandbox.with(salesforceAndEcho, configure: { $0.timeoutFaultDuration = .seconds(120) }) { sandbox in
            let faults = sandbox.url("hubspot", "/__sandbox/faults")
            _ = try await TestHTTP.send("POST", faults, json: ["timeout_burst": 1])
            let started = ContinuousClock.now
            let hung = Task { try await TestHTTP.send("GET", sandbox.url("hubspot", "/slow")) }
            try await eventually("the request is held") {
                let settings = try await TestHTTP.send("GET", faults).object["faults"] as? [String: Any]
                return settings?["timeout_burst"] as? Int == 0
            }
            _ = try await TestHTTP.send("DELETE", faults)
            let answer = try await hung.value
            #expect(answer.status == 502)
            #expect(ContinuousClock.now - started < .seconds(60))
            let log = try await TestHTTP.send("GET", sandbox.url("hubspot", "/__sandbox/requests")).object["requests"] as? [[String: Any]]
            #expect(log?.last?["fault"] as? String == "timeout")
        }
    }

    @Test("latency is added before the app answers")
    func latency() async throws {
        try await RunningSandbox.with(salesforceAndEcho) { sandbox in
            _ = try await TestHTTP.send("POST", sandbox.url("hubspot", "/__sandbox/faults"), json: ["latency_ms": 300])
            let started = ContinuousClock.now
            #expect(try await TestHTTP.send("GET", sandbox.url("hubspot", "/x")).status == 200)
            #expect(ContinuousClock.now - started >= .milliseconds(300))
        }
    }

    @Test("expire_tokens invalidates issued access tokens")
    func expireTokens() async throws {
        try await RunningSandbox.with(salesforceAndEcho) { sandbox in
            let token = try await salesforceToken(sandbox)
            let limits = sandbox.url("salesforce", "/services/data/v60.0/limits")
            #expect(try await TestHTTP.send("GET", limits, headers: ["Authorization": "Bearer \(token)"]).status == 200)
            let expired = try await TestHTTP.send("POST", sandbox.url("salesforce", "/__sandbox/faults"), json: ["expire_tokens": true])
            #expect(expired.object["tokens_expired"] as? Bool == true)
            let refused = try await TestHTTP.send("GET", limits, headers: ["Authorization": "Bearer \(token)"])
            #expect(refused.status == 401 && refused.errorCode == "INVALID_SESSION_ID")
        }
    }

    @Test("the request log lists calls without credentials; counters count them per route")
    func requestLogAndCounters() async throws {
        try await RunningSandbox.with(salesforceAndEcho) { sandbox in
            let secret = "Bearer super-secret-value"
            _ = try await TestHTTP.send("GET", sandbox.url("hubspot", "/crm/v3/objects/contacts/12345"), headers: ["Authorization": secret])
            _ = try await TestHTTP.send("GET", sandbox.url("hubspot", "/crm/v3/objects/contacts/67890?token=abc"))
            _ = try await TestHTTP.send("POST", sandbox.url("hubspot", "/crm/v3/objects/contacts"), json: [:])

            let log = try await TestHTTP.send("GET", sandbox.url("hubspot", "/__sandbox/requests?since=0"))
            let entries = try #require(log.object["requests"] as? [[String: Any]])
            #expect(entries.map { $0["method"] as? String } == ["GET", "GET", "POST"])
            #expect(entries.map { $0["path"] as? String } == ["/crm/v3/objects/contacts/12345", "/crm/v3/objects/contacts/67890", "/crm/v3/objects/contacts"])
            #expect(entries.allSatisfy { $0["status"] as? Int == 200 && $0["time"] is String })
            #expect(!log.text.contains("super-secret") && !log.text.contains("token=abc"))
            let second = try #require(entries[1]["seq"] as? Int)
            let since = try await TestHTTP.send("GET", sandbox.url("hubspot", "/__sandbox/requests?since=\(second)")).object["requests"] as? [[String: Any]]
            #expect(since?.count == 1)
            #expect((try await TestHTTP.send("GET", sandbox.url("salesforce", "/__sandbox/requests")).object["requests"] as? [Any])?.isEmpty == true)

            let counters = try await TestHTTP.send("GET", sandbox.url("hubspot", "/__sandbox/counters"))
            #expect(counters.object["total"] as? Int == 3)
            #expect((counters.object["by_route"] as? [String: Int])?["GET /crm/v3/objects/contacts/{id}"] == 2)
            #expect(try await TestHTTP.send("POST", sandbox.url("hubspot", "/__sandbox/counters/reset")).status == 200)
            #expect(try await TestHTTP.send("GET", sandbox.url("hubspot", "/__sandbox/counters")).object["total"] as? Int == 0)
        }
    }

    @Test("change notifications are delivered to a registered URL and their outcome recorded")
    func webhookDelivery() async throws {
        let receiver = try await WebhookReceiver.start()
        defer { receiver.stop() }
        try await RunningSandbox.with(salesforceAndEcho) { sandbox in
            let subscribe = try await TestHTTP.send("POST", sandbox.url("salesforce", "/__sandbox/webhooks"),
                                                    json: ["url": receiver.url(for: "salesforce"), "events": ["Contact"]])
            #expect(subscribe.status == 201)
            #expect(try await TestHTTP.send("POST", sandbox.url("salesforce", "/__sandbox/webhooks"), json: ["url": "nope"]).status == 400)

            let token = try await salesforceToken(sandbox)
            let created = try await TestHTTP.send("POST", sandbox.url("salesforce", "/services/data/v60.0/sobjects/Contact"),
                                                  json: ["LastName": "Hooked"], headers: ["Authorization": "Bearer \(token)"])
            let id = try #require(created.object["id"] as? String)
            let soap = String(decoding: try #require(try await receiver.wait(for: 1).first).body, as: UTF8.self)
            #expect(soap.contains("<sf:Id>\(id)</sf:Id>") && soap.contains("<sf:LastName>Hooked</sf:LastName>"))
            try await eventually("the delivery is recorded") {
                let deliveries = try await TestHTTP.send("GET", sandbox.url("salesforce", "/__sandbox/webhooks/deliveries")).object["deliveries"] as? [[String: Any]]
                return deliveries?.first?["status"] as? String == "delivered" && deliveries?.first?["response_status"] as? Int == 200
            }
        }
    }

    @Test("seed, reset, and a state file that survives a restart")
    func seedResetAndState() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-state-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let stateFile = folder.appendingPathComponent("state.db")
        let configure = { (c: inout SandboxConfiguration) in
            c.stateFile = stateFile
            c.seedCount = 3
        }
        func accounts(_ sandbox: RunningSandbox) async throws -> Int? {
            let token = try await salesforceToken(sandbox)
            let response = try await TestHTTP.send("GET", sandbox.url("salesforce", "/services/data/v60.0/query?q=SELECT+COUNT()+FROM+Account"),
                                                   headers: ["Authorization": "Bearer \(token)"])
            return response.object["totalSize"] as? Int
        }

        try await RunningSandbox.with(salesforceAndEcho, configure: configure) { first async throws in
            #expect(try await accounts(first) == 3)
            #expect(try await TestHTTP.send("POST", first.url("salesforce", "/__sandbox/seed"), json: ["count": 2, "seed": 9]).status == 200)
            #expect(try await accounts(first) == 5)
            #expect(try await TestHTTP.send("POST", first.url("salesforce", "/__sandbox/seed"), json: ["count": -1]).status == 400)
        }
        #expect(FileManager.default.fileExists(atPath: stateFile.path))

        try await RunningSandbox.with(salesforceAndEcho, configure: { c in
            configure(&c)
            c.seedCount = 50
        }) { second async throws in
            #expect(try await accounts(second) == 5)
            #expect(try await TestHTTP.send("POST", second.url("salesforce", "/__sandbox/reset")).status == 200)
            #expect(try await accounts(second) == 0)
            _ = try await TestHTTP.send("POST", second.url("salesforce", "/__sandbox/reset"), json: ["count": 1])
            #expect(try await accounts(second) == 1)
        }
    }

    @Test("a state file that is not the sandbox's is refused at start")
    func foreignStateFile() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("not-state-\(UUID().uuidString).json")
        try Data("{\"hello\":1}".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        await #expect(throws: CrosswalkError.self) {
            try await RunningSandbox.with(salesforceAndEcho, configure: { $0.stateFile = file }) { _ in }
        }
    }

    @Test("HTTPS with a generated CA that a real client (curl) trusts through its CA file")
    func tls() async throws {
        let curl = URL(fileURLWithPath: "/usr/bin/curl")
        try #require(FileManager.default.isExecutableFile(atPath: curl.path), "curl is needed for the TLS test")
        try await RunningSandbox.with(salesforceAndEcho, configure: { $0.tlsApps = ["salesforce"] }) { sandbox in
            let base = try #require(sandbox.urls["salesforce"])
            let ca = try #require(sandbox.caFile)
            #expect(base.scheme == "https" && sandbox.urls["hubspot"]?.scheme == "http")

            // curl is waited for on a thread of its own: blocking one of the two cooperative threads here could leave
            // the sandbox's handlers none to answer curl with, on a loaded two-core machine.
            func curlStatus(_ arguments: [String]) async throws -> (Int32, String) {
                try await withCheckedThrowingContinuation { continuation in
                    DispatchQueue.global().async {
                        continuation.resume(with: Result {
                            let process = Process()
                            process.executableURL = curl
                            process.arguments = ["-sS", "--max-time", "10"] + arguments
                            let output = Pipe()
                            process.standardOutput = output
                            process.standardError = Pipe()
                            try process.run()
                            let data = output.fileHandleForReading.readDataToEndOfFile()
                            process.waitUntilExit()
                            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
                        })
                    }
                }
            }
            let trusted = try await curlStatus(["--cacert", ca.path, base.absoluteString + "/__sandbox/health"])
            #expect(trusted.0 == 0 && trusted.1.contains("\"app\":\"salesforce\""))
            let viaLocalhost = try await curlStatus(["--cacert", ca.path, "https://localhost:\(base.port!)/__sandbox/health"])
            #expect(viaLocalhost.0 == 0)
            let untrusted = try await curlStatus([base.absoluteString + "/__sandbox/health"])
            #expect(untrusted.0 == 60)
        }
    }

    @Test("an oversized body gets 413 instead of being read")
    func bodyLimit() async throws {
        try await RunningSandbox.with(salesforceAndEcho, configure: { $0.maxBodyBytes = 1024 }) { sandbox in
            let big = try await TestHTTP.send("POST", sandbox.url("hubspot", "/x"), json: ["blob": String(repeating: "x", count: 4096)])
            #expect(big.status == 413)
        }
    }

    @Test("port order and route templates")
    func helpers() {
        #expect(SandboxConfiguration.portOrder(["aritic", "custom", "salesforce"]) == ["salesforce", "aritic", "custom"])
        #expect(SandboxConfiguration(basePort: 8400).port(offset: 2) == 8402)
        #expect(RequestLog.template("/services/data/v60.0/sobjects/Contact/003Hs000000000cIAA") == "/services/data/v60.0/sobjects/Contact/{id}")
        #expect(RequestLog.template("/services/oauth2/token") == "/services/oauth2/token")
        #expect(RequestLog.template("/api/contacts/42/edit") == "/api/contacts/{id}/edit")
    }
}
