import Foundation

/// The clocks, sleep and randomness the resilience layer uses, as closures so tests can fake them.
///
/// ``live`` is the real thing. A test passes a fake whose `sleep` advances its `now`, which
/// makes backoff, `Retry-After` and rate-limit waits exact and instant.
public struct ResilienceEnvironment: Sendable {
    /// Monotonic time since an arbitrary origin.
    public var now: @Sendable () -> Duration
    /// Wall-clock time, for `Retry-After` given as an HTTP date.
    public var wallClock: @Sendable () -> Date
    /// Suspends the task for the duration; throws `CancellationError` when the task is cancelled.
    public var sleep: @Sendable (Duration) async throws -> Void
    /// A uniform random number in `0..<1`.
    public var random: @Sendable () -> Double

    public init(
        now: @escaping @Sendable () -> Duration,
        wallClock: @escaping @Sendable () -> Date,
        sleep: @escaping @Sendable (Duration) async throws -> Void,
        random: @escaping @Sendable () -> Double
    ) {
        self.now = now
        self.wallClock = wallClock
        self.sleep = sleep
        self.random = random
    }

    /// The system's continuous clock, `Task.sleep` and the system random generator.
    public static let live: ResilienceEnvironment = {
        let origin = ContinuousClock.now
        return ResilienceEnvironment(
            now: { ContinuousClock.now - origin },
            wallClock: { Date() },
            sleep: { try await Task.sleep(for: $0) },
            random: { Double.random(in: 0..<1) }
        )
    }()
}

extension Duration {
    /// The duration in seconds as a `Double`.
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }

    /// The duration in whole nanoseconds.
    var nanoseconds: Int64 {
        let (whole, attoseconds) = components
        return whole * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
