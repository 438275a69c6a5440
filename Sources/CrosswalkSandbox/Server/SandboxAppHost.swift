import Foundation
import Synchronization

/// What the server keeps for one app: the app, its fault injector and where it listens.
final class SandboxAppHost: Sendable {
    let app: any SandboxApp
    let faults: FaultInjector
    /// `http` or `https`.
    let scheme: String
    /// Port offset from the configuration's base port.
    let offset: Int
    private let boundAuthority = Mutex<String?>(nil)

    var name: String { app.name }

    init(app: any SandboxApp, scheme: String, offset: Int, randomSeed: UInt64) {
        self.app = app
        self.scheme = scheme
        self.offset = offset
        faults = FaultInjector(randomSeed: randomSeed &+ UInt64(offset))
    }

    /// `host:port` the app is bound to, once it is listening.
    var authority: String? {
        get { boundAuthority.withLock { $0 } }
        set { boundAuthority.withLock { $0 = newValue } }
    }
}
