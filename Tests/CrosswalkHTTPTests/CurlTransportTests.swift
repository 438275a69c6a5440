import CrosswalkCore
import CrosswalkHTTP
import Foundation
import Testing

/// What `/echo` answers.
struct Echo: Decodable {
    let method: String
    let query: String
    let headers: [[String]]
    let body: String
    let peer_port: Int

    func header(_ name: String) -> String? {
        headers.first { $0[0].caseInsensitiveCompare(name) == .orderedSame }?[1]
    }

    init(_ response: HTTPResponse) throws { self = try JSONDecoder().decode(Echo.self, from: response.body) }
}

@Suite("CurlTransport against a loopback server", .localServer)
struct CurlTransportTests {
    let transport: CurlTransport

    init() throws {
        transport = try CurlTransport(configuration: CurlTransportConfiguration(caBundlePath: TestServer.certificatePath))
    }

    @Test func getSendsHeadersAndQuery() async throws {
        let response = try await transport.send(HTTPRequest(url: try server.url("/echo?a=1&b=two"), headers: ["X-Test": "yes"]))
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "application/json")
        let echo = try Echo(response)
        #expect(echo.method == "GET")
        #expect(echo.query == "a=1&b=two")
        #expect(echo.header("X-Test") == "yes")
        #expect(echo.header("User-Agent") == "Crosswalk")
        #expect(echo.header("Accept-Encoding")?.contains("gzip") == true)
        #expect(echo.header("Content-Type") == nil)
    }

    @Test(arguments: ["POST", "PUT", "PATCH", "DELETE"])
    func bodyMethodsSendBodyAndHeaders(method: String) async throws {
        let body = #"{"method":"\#(method)","name":"Zoë"}"#
        let request = HTTPRequest(method: method, url: try server.url("/echo"),
                                  headers: ["Content-Type": "application/json", "X-Request-Id": "r-1"], body: Data(body.utf8))
        let echo = try Echo(try await transport.send(request))
        #expect(echo.method == method)
        #expect(echo.body == body)
        #expect(echo.header("Content-Type") == "application/json")
        #expect(echo.header("X-Request-Id") == "r-1")
        #expect(echo.header("Expect") == nil)
    }

    @Test func emptyBodyDeleteSendsNoFormContentType() async throws {
        let echo = try Echo(try await transport.send(HTTPRequest(method: "DELETE", url: try server.url("/echo"))))
        #expect(echo.method == "DELETE")
        #expect(echo.header("Content-Type") == nil)
        #expect(echo.body.isEmpty)
    }

    @Test func gzipBodyIsDecoded() async throws {
        let response = try await transport.send(HTTPRequest(url: try server.url("/gzip")))
        #expect(response.status == 200)
        #expect(response.bodyText == String(repeating: "crosswalk gzip payload ", count: 64))
        #expect(response.headers["Content-Encoding"] == nil)
    }

    @Test func errorStatusIsAResponse() async throws {
        let response = try await transport.send(HTTPRequest(url: try server.url("/status/404")))
        #expect(response.status == 404)
    }

    @Test func timeoutIsARetryableTimeoutError() async throws {
        let request = HTTPRequest(url: try server.url("/slow?ms=3000"), timeoutMilliseconds: 200)
        let error = try await #require(throws: CrosswalkError.self) { try await transport.send(request) }
        #expect(error.code == .timeout)
        #expect(error.code.isRetryable)
    }

    @Test func refusedConnectionIsUnavailable() async throws {
        // Port 1 on loopback: privileged, and nothing listens there in a test environment.
        let error = try await #require(throws: CrosswalkError.self) {
            try await transport.send(HTTPRequest(url: "http://127.0.0.1:1/"))
        }
        #expect(error.code == .unavailable)
    }

    @Test func connectionIsReused() async throws {
        let first = try Echo(try await transport.send(HTTPRequest(url: try server.url("/echo"))))
        let second = try Echo(try await transport.send(HTTPRequest(url: try server.url("/echo"))))
        #expect(first.peer_port == second.peer_port)
    }

    @Test func concurrentRequestsRunInParallel() async throws {
        let key = UUID().uuidString
        let url = try server.url("/concurrency?key=\(key)&ms=150")
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<6 { group.addTask { try await transport.send(HTTPRequest(url: url)).status } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 200, count: 6))
        #expect(try await server.number("/concurrency/max?key=\(key)") >= 2)
    }

    @Test func httpsVerifiesWithTheAddedCABundle() async throws {
        let response = try await transport.send(HTTPRequest(url: try server.tlsURL("/echo")))
        #expect(response.status == 200)
    }

    @Test func httpsToAnUntrustedCertificateFails() async throws {
        let strict = try CurlTransport()
        let error = try await #require(throws: CrosswalkError.self) {
            try await strict.send(HTTPRequest(url: try server.tlsURL("/echo")))
        }
        #expect(error.code == .transport)
        #expect(!error.code.isRetryable)
    }

    @Test(arguments: [
        HTTPRequest(url: "http://127.0.0.1:1/", headers: ["X-A": "1\r\nX-Injected: 2"]),
        HTTPRequest(url: "http://127.0.0.1:1/", headers: ["Bad:Name": "1"]),
        HTTPRequest(url: "http://127.0.0.1:1/a\r\nHost: evil"),
        HTTPRequest(method: "GET / HTTP/1.1\r\n", url: "http://127.0.0.1:1/"),
    ])
    func headerAndURLInjectionIsRefused(request: HTTPRequest) async throws {
        let error = try await #require(throws: CrosswalkError.self) { try await transport.send(request) }
        #expect(error.code == .invalidArgument)
    }

    @Test func missingCABundleIsAConfigError() throws {
        let error = #expect(throws: CrosswalkError.self) {
            try CurlTransport(configuration: CurlTransportConfiguration(caBundlePath: "/nonexistent/ca.pem"))
        }
        #expect(error?.code == .config)
    }

    @Test func oversizedResponseFails() async throws {
        let small = try CurlTransport(configuration: CurlTransportConfiguration(maxResponseBytes: 100))
        let error = try await #require(throws: CrosswalkError.self) { try await small.send(HTTPRequest(url: try server.url("/gzip"))) }
        #expect(error.code == .transport)
    }

    @Test func cancellingTheTaskAbortsTheTransferInFlight() async throws {
        let key = UUID().uuidString
        let url = try server.url("/slow?ms=5000&key=\(key)")
        let task = Task { try await transport.send(HTTPRequest(url: url)) }
        try await server.waitForHits(key, count: 1)  // the request is in flight
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }

    @Test func cancelledTaskSendsNothing() async throws {
        let key = UUID().uuidString
        let url = try server.url("/echo?key=\(key)")
        let task = Task { try await transport.send(HTTPRequest(url: url)) }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(try await transport.send(HTTPRequest(url: try server.url("/echo"))).status == 200)  // the transport still works
    }

    @Test func requestsAfterShutdownFail() async throws {
        let transport = try CurlTransport()
        #expect(try await transport.send(HTTPRequest(url: try server.url("/echo"))).status == 200)
        transport.shutdown()
        let error = try await #require(throws: CrosswalkError.self) { try await transport.send(HTTPRequest(url: try server.url("/echo"))) }
        #expect(error.code == .transport)
    }
}
