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

/// Collects every log line (message and metadata) so tests can search it.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    var text: String { lines.withLock { $0.joined(separator: "\n") } }
    var count: Int { lines.withLock { $0.count } }

    /// A logger at trace level that writes here.
    func logger(_ label: String = "test") -> Logger {
        var logger = Logger(label: label) { _ in Handler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            let line = "\(event.level) \(event.message) " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            capture.lines.withLock { $0.append(line) }
        }
    }
}

/// A list tasks append to.
final class LockedList: Sendable {
    private let items = Mutex<[Int]>([])
    func append(_ value: Int) { items.withLock { $0.append(value) } }
    var values: [Int] { items.withLock { $0 } }
}
