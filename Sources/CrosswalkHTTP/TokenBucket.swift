/// A token bucket with reservations and pauses: the pure arithmetic behind ``RateLimiter``.
///
/// Each request takes one token. Tokens refill at `rate` per second up to `burst`. A request
/// that finds none reserves one anyway (the count goes negative) and is told how long to wait,
/// so waiting requests leave in order, `1/rate` apart. A pause (from `Retry-After` or an
/// exhausted window) stops refilling until it ends; then one request may go at once and the
/// rest follow at `rate`. All times are monotonic `Duration`s since one origin.
public struct TokenBucket: Sendable, Equatable {
    /// Requests per second, or `nil` for no limit (only pauses apply).
    public private(set) var rate: Double?
    /// Most tokens the bucket holds.
    public private(set) var burst: Double
    /// Tokens now; negative when requests hold reservations.
    public private(set) var tokens: Double
    /// Nothing is sent before this time.
    public private(set) var pausedUntil: Duration
    private var refilledAt: Duration
    private let configuredRate: Double?
    private let configuredBurst: Double?
    private let quotaPause: Duration

    /// - Parameters:
    ///   - rate: requests per second from the connection's configuration, `nil` for none.
    ///   - burst: tokens the bucket starts with and holds at most.
    ///   - quotaPause: the pause when a quota without a known reset reports nothing left.
    public init(rate: Double?, burst: Int, quotaPause: Duration = .seconds(300), now: Duration) {
        self.rate = rate.map { max($0, 1e-9) }
        configuredRate = self.rate
        configuredBurst = rate == nil ? nil : Double(max(1, burst))
        self.burst = configuredBurst ?? 1
        tokens = self.burst
        self.quotaPause = quotaPause
        pausedUntil = now
        refilledAt = now
    }

    /// Takes a token and returns how long the caller must wait before sending (zero: send now).
    public mutating func reserve(now: Duration) -> Duration {
        refill(now: now)
        let start = max(now, pausedUntil)
        guard let rate else { return start - now }
        tokens -= 1
        return start - now + (tokens < 0 ? .nanoseconds(Int64(-tokens / rate * 1e9)) : .zero)
    }

    /// Gives back a token taken by ``reserve(now:)`` whose request was not sent.
    public mutating func release() {
        if rate != nil { tokens = min(burst, tokens + 1) }
    }

    /// How much of a pause is left at `now`.
    public func pauseRemaining(now: Duration) -> Duration { max(.zero, pausedUntil - now) }

    /// Sends nothing before `until`; afterwards one request may go at once.
    public mutating func pause(until: Duration) {
        pausedUntil = max(pausedUntil, until)
        if tokens >= 0 { tokens = 1 }  // reservations already waiting keep their place after the pause
    }

    /// Adjusts to what the app said: a window's limit lowers the rate (never above the
    /// configured one), the remaining count caps the tokens, nothing remaining pauses until the
    /// window (or ``quotaPause`` for a quota) has passed, and `Retry-After` pauses.
    public mutating func observe(_ signal: RateLimitSignal, now: Duration) {
        refill(now: now)
        if let limit = signal.limit, let window = signal.window, limit > 0 {
            let windowRate = Double(limit) / window.seconds
            let wasUnlimited = rate == nil
            rate = min(configuredRate ?? windowRate, windowRate)
            burst = min(configuredBurst ?? Double(limit), Double(limit))
            tokens = wasUnlimited ? burst : min(tokens, burst)
        }
        if let remaining = signal.remaining {
            tokens = min(tokens, Double(remaining))
            if remaining <= 0 { pause(until: now + (signal.window ?? quotaPause)) }
        }
        if let retryAfter = signal.retryAfter { pause(until: now + retryAfter) }
    }

    private mutating func refill(now: Duration) {
        let from = max(refilledAt, pausedUntil)
        if let rate, now > from { tokens = min(burst, tokens + (now - from).seconds * rate) }
        refilledAt = max(refilledAt, now)
    }
}
