/// Settings of one ``CurlTransport`` (one connection pool).
///
/// TLS peer and host verification are always on; the only TLS setting is which extra
/// certificate authorities to trust.
public struct CurlTransportConfiguration: Sendable, Hashable {
    /// Longest wait for a TCP + TLS connection to be established.
    public var connectTimeout: Duration
    /// Longest time for a whole request when the request names no timeout of its own.
    public var requestTimeout: Duration
    /// A PEM file of extra certificate authorities to trust (for example the sandbox's
    /// self-signed certificate). The system's CA directory stays trusted beside it.
    public var caBundlePath: String?
    /// How many idle connections the pool keeps open for reuse.
    public var maxIdleConnections: Int
    /// Most connections opened to one host at once; `0` means no limit (excess transfers queue).
    public var maxConnectionsPerHost: Int
    /// A response body larger than this fails with a transport error instead of filling memory.
    public var maxResponseBytes: Int
    /// Sent as `User-Agent` when the request has none.
    public var userAgent: String

    public init(
        connectTimeout: Duration = .seconds(10),
        requestTimeout: Duration = .seconds(60),
        caBundlePath: String? = nil,
        maxIdleConnections: Int = 32,
        maxConnectionsPerHost: Int = 0,
        maxResponseBytes: Int = 64 << 20,
        userAgent: String = "Crosswalk"
    ) {
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.caBundlePath = caBundlePath
        self.maxIdleConnections = maxIdleConnections
        self.maxConnectionsPerHost = maxConnectionsPerHost
        self.maxResponseBytes = maxResponseBytes
        self.userAgent = userAgent
    }
}

extension Duration {
    /// Whole milliseconds, rounded up so that a positive duration never becomes zero.
    var roundedUpMilliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int((attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }
}
