import CrosswalkCore
import CrosswalkStore
import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// A host's leases on a shared store (issue 17): a flow runs on this host only while it holds the
/// flow's lease (`flow:NAME`), taken before the run and given up after it; held leases are renewed
/// every third of their TTL. A lease that cannot be renewed (another host took it after this one
/// stalled past the TTL) is dropped and the run under it asked to stop; its commits are refused by
/// fencing in any case. `/metrics` shows `crosswalk_lease_held{name}` (1 held, 0 given up or lost).
public actor LeaseKeeper: Service {
    /// This host's name in lease rows: host name, process id and a random suffix.
    public nonisolated let holder: String
    public nonisolated let ttl: Duration
    private let store: any LeaseStore
    private let logger: Logger
    private var held: [String: (token: LeaseToken, onLost: @Sendable () -> Void)] = [:]

    init(store: any LeaseStore, ttl: Duration, logger: Logger) {
        self.store = store
        self.ttl = ttl
        self.logger = logger
        holder = "\(ProcessInfo.processInfo.hostName)-\(getpid())-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Takes the lease `name` for this host, or `nil` while another host holds it.
    func acquire(_ name: String, onLost: @escaping @Sendable () -> Void) async throws -> LeaseToken? {
        guard let token = try await store.acquireLease(name: name, holder: holder, ttl: ttl) else { return nil }
        if held[name]?.token != token { logger.info("lease taken", metadata: ["lease": "\(name)", "token": "\(token.token)"]) }
        held[name] = (token, onLost)
        Gauge(label: "crosswalk_lease_held", dimensions: [("name", name)]).record(1)
        return token
    }

    /// Gives the lease up (after the run).
    func release(_ token: LeaseToken) async {
        guard held[token.name]?.token == token else { return }
        held[token.name] = nil
        Gauge(label: "crosswalk_lease_held", dimensions: [("name", token.name)]).record(0)
        do { try await store.releaseLease(token) } catch {
            logger.warning("a lease could not be given up; it lapses after its TTL", metadata: ["lease": "\(token.name)", "error": "\(error)"])
        }
    }

    /// The leases this host holds now, by name.
    public func heldLeases() -> [LeaseToken] { held.values.map(\.token).sorted { $0.name < $1.name } }

    /// Every lease row of the store (all hosts').
    public func allLeases() async throws -> [Lease] { try await store.leases() }

    /// Renews each held lease once; drops (and stops the work of) those that were lost.
    func renewAll() async {
        for (name, entry) in held {
            do {
                if try await store.renewLease(entry.token, ttl: ttl) { continue }
                logger.warning("lease lost to another host (fenced); its run stops", metadata: ["lease": "\(name)", "token": "\(entry.token.token)"])
                if held[name]?.token == entry.token { held[name] = nil }
                Gauge(label: "crosswalk_lease_held", dimensions: [("name", name)]).record(0)
                entry.onLost()
            } catch {
                logger.warning("a lease could not be renewed; trying again", metadata: ["lease": "\(name)", "error": "\(error)"])
            }
        }
    }

    public func run() async throws {
        let period = ttl / 3
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: period)
                await self.renewAll()
            }
        }
    }
}
