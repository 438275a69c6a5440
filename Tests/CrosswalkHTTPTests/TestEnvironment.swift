import CrosswalkHTTP
import Foundation
import Logging
import Synchronization

/// A fake clock for the resilience layer: `sleep` records the duration and advances `now` at once.
final class FakeClock: Sendable {
    private struct State { var now: Duration = .zero; var sleeps: [Duration] = [] }
    private let state = Mutex(State())
    private let randomValue: Double
    /// 2023-11-14T22:13:20Z at `now == 0`.
    static let epoch = Date(timeIntervalSince1970: 1_700_000_000)

    /// - Parameter random: what every jitter draw returns.
    init(random: Double = 0.5) { randomValue = random }

    var now: Duration { state.withLock { $0.now } }
    /// Every sleep asked for, in order.
    var sleeps: [Duration] { state.withLock { $0.sleeps } }

    func advance(by duration: Duration) { state.withLock { $0.now += duration } }

    var environment: ResilienceEnvironment {
        ResilienceEnvironment(
            now: { self.now },
            wallClock: { Self.epoch.addingTimeInterval(self.now.seconds) },
            sleep: { duration in
                try Task.checkCancellation()
                self.state.withLock { $0.now += duration; $0.sleeps.append(duration) }
                await Task.yield()
            },
            random: { self.randomValue }
        )
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// A list tasks append to.
final class LockedList: Sendable {
    private let items = Mutex<[Int]>([])
    func append(_ value: Int) { items.withLock { $0.append(value) } }
    var values: [Int] { items.withLock { $0 } }
}
