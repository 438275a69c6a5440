import CCurl
import CrosswalkCore

extension CrosswalkError {
    /// The error for a transfer libcurl finished with `code`.
    ///
    /// Timeouts map to `.timeout` and failures to reach or keep a connection to `.unavailable`
    /// (both retryable); TLS failures, bad URLs and oversized responses to non-retryable codes.
    /// The context names the URL with its secrets redacted and libcurl's own detail, which
    /// never contains request headers or bodies.
    static func curl(_ code: CURLcode, detail: String, url: String) -> CrosswalkError {
        var context = ["url": Redaction.url(url), "curl_code": "\(code.rawValue)"]
        if !detail.isEmpty { context["detail"] = detail }
        let reason = String(cString: curl_easy_strerror(code))
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return CrosswalkError(.timeout, "The request timed out (\(reason)); the server may be slow or unreachable.", context: context)
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT, CURLE_GOT_NOTHING,
             CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            return CrosswalkError(.unavailable, "The connection failed (\(reason)); check that the server is up and reachable.", context: context)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE,
             CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return CrosswalkError(.transport, "TLS verification failed (\(reason)); for a private or self-signed certificate, add its CA with the transport's caBundlePath.", context: context)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return CrosswalkError(.invalidArgument, "The URL is not a valid http(s) URL (\(reason)).", context: context)
        default:
            return CrosswalkError(.transport, "The HTTP transfer failed (\(reason)).", context: context)
        }
    }

    /// The error for a response body over the configured limit.
    static func responseTooLarge(limit: Int, url: String) -> CrosswalkError {
        CrosswalkError(.transport, "The response body is larger than \(limit) bytes; raise maxResponseBytes or page the request.",
                       context: ["url": Redaction.url(url)])
    }

    /// The error for a request sent to, or still running in, a transport that was shut down.
    static let transportShutDown = CrosswalkError(.transport, "The HTTP transport was shut down before the request completed.")
}
