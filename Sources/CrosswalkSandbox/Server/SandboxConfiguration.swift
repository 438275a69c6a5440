import Foundation

/// How `SandboxServer` listens, seeds and keeps state.
///
/// Each app gets its own port. With `basePort` P the apps listen on P, P+1, … in the order of
/// ``SandboxConfiguration/appOrder`` (salesforce, netsuite, hubspot, spotio, aritic; other names follow);
/// with `basePort` 0 every app gets any free port.
public struct SandboxConfiguration: Sendable {
    /// The usual app order, which fixes each app's port offset from `basePort`.
    public static let appOrder = ["salesforce", "netsuite", "hubspot", "spotio", "aritic"]

    /// Address to bind. Loopback by default: the sandbox is a test tool, never a public server.
    public var host: String
    /// First port (apps get `basePort + offset`), or 0 for any free port per app.
    public var basePort: Int
    /// Names of the apps served over HTTPS with a self-signed certificate (Salesforce by default:
    /// simple-salesforce speaks only `https://`).
    public var tlsApps: Set<String>
    /// Folder for the generated CA and server certificate; `nil` means a new temporary folder.
    public var certificateDirectory: URL?
    /// Top-level records generated at start when no state file was loaded.
    public var seedCount: Int
    /// RNG seed for generated data: the same seed gives the same data.
    public var randomSeed: UInt64
    /// State loaded at start (if it exists) and saved on shutdown; `nil` keeps state in memory only.
    public var stateFile: URL?
    /// Largest request body accepted; larger bodies get 413.
    public var maxBodyBytes: Int
    /// How long a request caught by an injected timeout fault hangs before it gets the app's 5xx.
    public var timeoutFaultDuration: Duration
    /// How many requests the request log keeps (oldest dropped first).
    public var requestLogCapacity: Int
    /// Whether SIGTERM / SIGINT stop the server gracefully (off for in-process tests).
    public var handlesSignals: Bool

    public init(host: String = "127.0.0.1", basePort: Int = 8400, tlsApps: Set<String> = ["salesforce"],
                certificateDirectory: URL? = nil, seedCount: Int = 100, randomSeed: UInt64 = 42, stateFile: URL? = nil,
                maxBodyBytes: Int = 32 << 20, timeoutFaultDuration: Duration = .seconds(30),
                requestLogCapacity: Int = 10_000, handlesSignals: Bool = true) {
        self.host = host
        self.basePort = basePort
        self.tlsApps = tlsApps
        self.certificateDirectory = certificateDirectory
        self.seedCount = seedCount
        self.randomSeed = randomSeed
        self.stateFile = stateFile
        self.maxBodyBytes = maxBodyBytes
        self.timeoutFaultDuration = timeoutFaultDuration
        self.requestLogCapacity = requestLogCapacity
        self.handlesSignals = handlesSignals
    }

    /// The port for the app at `offset` in the port order (0 when ports are picked freely).
    func port(offset: Int) -> Int { basePort == 0 ? 0 : basePort + offset }

    /// `names` sorted into port order: known apps in ``appOrder``, then the others as given.
    static func portOrder(_ names: [String]) -> [String] {
        let known = appOrder.filter(names.contains)
        return known + names.filter { !appOrder.contains($0) }
    }
}
