import Foundation
import CrosswalkCore

/// The host's HTTP client on libcurl: one connection pool, HTTP/1.1 and HTTP/2, TLS always verified.
///
/// All transfers of one transport run on a single thread it owns, driven by a libcurl multi
/// handle (see `CurlEventLoop`); `send` suspends its task without blocking a cooperative
/// thread and resumes when the response is complete. Idle connections stay open for reuse;
/// on HTTPS, HTTP/2 is negotiated when the server offers it and concurrent requests share its
/// connection. Bodies are decompressed (gzip, deflate, brotli, zstd) and the encoding headers
/// removed. Cancelling the awaiting task aborts the transfer.
///
/// ```swift
/// let transport = try CurlTransport(configuration: .init(caBundlePath: "sandbox-ca.pem"))
/// let response = try await transport.send(HTTPRequest(url: "https://127.0.0.1:8443/ping"))
/// ```
///
/// Errors (``CrosswalkError``): `.timeout` when the connect or total timeout passed,
/// `.unavailable` when the connection could not be made or broke, `.transport` for TLS
/// verification failures, oversized responses and a shut-down transport, `.invalidArgument`
/// for a URL that is not http(s) and for line breaks in the URL, method or headers. Any status code is a response, not an error.
public final class CurlTransport: HTTPClient {
    /// The settings this transport was made with.
    public let configuration: CurlTransportConfiguration
    private let loop: CurlEventLoop

    /// Makes a transport; its thread starts with the first request.
    /// - Throws: `.config` when `caBundlePath` names no readable file.
    public init(configuration: CurlTransportConfiguration = CurlTransportConfiguration()) throws {
        if let path = configuration.caBundlePath, !FileManager.default.isReadableFile(atPath: path) {
            throw CrosswalkError(.config, "The CA bundle file does not exist or cannot be read.", context: ["file": path])
        }
        self.configuration = configuration
        loop = try CurlEventLoop(configuration: configuration)
    }

    deinit { loop.stop() }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try Task.checkCancellation()
        try Self.validate(request)
        let transfer = CurlTransfer(request: request, maxResponseBytes: configuration.maxResponseBytes)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                transfer.continuation = continuation
                loop.submit(transfer)
            }
        } onCancel: {
            loop.cancel(transfer)
        }
    }

    /// Refuses control characters that would let a header or URL end early and smuggle another
    /// header or request onto the wire.
    static func validate(_ request: HTTPRequest) throws {
        func unsafe(_ text: String) -> Bool { text.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 } }
        if unsafe(request.url) || unsafe(request.method) || request.method.contains(" ") {
            throw CrosswalkError(.invalidArgument, "The request's URL or method contains a space or control character.",
                                 context: ["url": Redaction.url(request.url)])
        }
        if let bad = request.headers.first(where: { unsafe($0.name) || unsafe($0.value) || $0.name.contains(":") || $0.name.isEmpty }) {
            throw CrosswalkError(.invalidArgument, "A request header has an empty name, a colon in its name, or a line break.",
                                 context: ["header": bad.name.filter { !$0.isNewline }, "url": Redaction.url(request.url)])
        }
    }

    /// Fails the requests in flight with a `.transport` error, closes the connections and ends
    /// the transport's thread. Later requests fail the same way. Idempotent.
    public func shutdown() { loop.stop() }
}
