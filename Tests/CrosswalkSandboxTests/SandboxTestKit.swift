import CrosswalkCore
@testable import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Synchronization

/// A sandbox environment for calling an app's `handle` directly: a clock tests can move, and the
/// webhooks the app asked to deliver.
final class TestEnvironment: SandboxEnvironment {
    private let clock: Mutex<Date>
    private let delivered = Mutex<[SandboxWebhook]>([])

    init(now: Date = Date()) { clock = Mutex(now) }

    func now() -> Date { clock.withLock { $0 } }
    func deliver(_ webhook: SandboxWebhook) { delivered.withLock { $0.append(webhook) } }

    /// Moves the clock forward.
    func advance(by seconds: TimeInterval) { clock.withLock { $0 = $0.addingTimeInterval(seconds) } }
    var webhooks: [SandboxWebhook] { delivered.withLock { $0 } }
}
