@preconcurrency import CrosswalkABI
import CrosswalkCore
import Foundation
import Logging

/// Where an in-process call is: queued, running (inside the plugin), or finished (or skipped).
enum CallStage: Sendable { case queued, running, finished }

/// An instance in the host's own process (`isolation: none`): the plugin's C table called on the
/// instance's own thread.
///
/// A call past its deadline (or whose caller was cancelled) fails at once; the plugin sees it
/// cancelled. If the plugin still has not returned after the grace period, the instance is
/// quarantined: later calls are refused with a clear message and its thread is abandoned (a
/// thread stuck inside a plugin cannot be stopped from outside).
final class InProcessBackend: InstanceBackend, @unchecked Sendable {
    let library: OpenedLibrary
    let connection: String
    let configuration: PluginHostConfiguration
    private let thread: PluginThread
    private let services: LocalHostServices
    private let hostTable: HostTable
    private let handle: LockedValue<OpaquePointer?>
    /// Why the instance is out of service, once it is.
    private let quarantine: LockedValue<String?>
    /// Callers waiting for a call, by ticket: failed at once when the instance is quarantined.
    private let waiting = LockedValue<[Int: (operation: String, fail: @Sendable (CrosswalkError) -> Void)]>([:])
    private let tickets = LockedValue(0)

    private var pluginID: String { library.info.id }

    private init(library: OpenedLibrary, connection: String, configuration: PluginHostConfiguration, thread: PluginThread,
                 services: LocalHostServices, hostTable: HostTable, handle: OpaquePointer, quarantine: LockedValue<String?>) {
        self.library = library
        self.connection = connection
        self.configuration = configuration
        self.thread = thread
        self.services = services
        self.hostTable = hostTable
        self.handle = LockedValue(handle)
        self.quarantine = quarantine
    }

    static func create(library: OpenedLibrary, connection: String, settings: Data, services: HostServices, logger: Logger,
                       configuration: PluginHostConfiguration, deadline: Duration) async throws -> InProcessBackend {
        let thread = PluginThread(name: "plugin \(library.info.id) \(connection)")
        let local = LocalHostServices(logger: logger, services: services)
        let hostTable = HostTable(backend: local)
        let table = library.table, plugin = library.info.id, max = configuration.maxResultBytes
        let host = UnsafePointer(hostTable.pointer)
        let quarantine = LockedValue<String?>(nil)
        do {
            let instance: Unchecked<OpaquePointer> = try await run(
                on: thread, services: local, operation: "create", plugin: plugin, connection: connection, deadline: deadline,
                grace: configuration.cancelGrace, register: nil,
                onAbandon: { reason in quarantine.withLock { $0 = reason } }
            ) { cancellation in
                var instance: OpaquePointer?
                var out = ABIBuffers.empty()
                let status = settings.withUnsafeBytes { raw in
                    table.create(host, raw.baseAddress?.assumingMemoryBound(to: CChar.self), raw.count, &instance, &out)
                }
                // On success whatever the plugin wrote is released and ignored (ABI 1.1).
                let detail = (try? ABIBuffers.take(&out, max: max).get()) ?? Data()
                guard status == CROSSWALK_OK, let instance else {
                    return .failure(PluginErrors.fromStatus(status, detail: detail, operation: "create", plugin: plugin, connection: connection))
                }
                // Created after the caller gave up: nobody will ever use or destroy it.
                if cancellation.isCancelled {
                    table.destroy?(instance)
                    return .failure(PluginErrors.cancelled(plugin: plugin, connection: connection, operation: "create"))
                }
                return .success(Unchecked(instance))
            }
            return InProcessBackend(library: library, connection: connection, configuration: configuration, thread: thread,
                                    services: local, hostTable: hostTable, handle: instance.value, quarantine: quarantine)
        } catch {
            hostTable.unregister()
            if quarantine.withLock({ $0 }) == nil { thread.stop() }
            throw error
        }
    }

    func call(_ call: PluginCall, input: Data?, deadline: Duration) async throws -> Data {
        let operation = call.operation.rawValue, plugin = pluginID, connection = connection
        if let reason = quarantine.withLock({ $0 }) { throw quarantined(operation, reason) }
        let table = library.table, discoverV2 = library.discoverV2, handle = handle, max = configuration.maxResultBytes
        let ticket = tickets.withLock { $0 += 1; return $0 }
        defer { _ = waiting.withLock { $0.removeValue(forKey: ticket) } }
        return try await Self.run(
            on: thread, services: services, operation: operation, plugin: plugin, connection: connection, deadline: deadline,
            grace: configuration.cancelGrace, register: { [waiting] fail in waiting.withLock { $0[ticket] = (operation, fail) } },
            onAbandon: { [weak self] reason in self?.enterQuarantine(reason) }
        ) { _ in
            // The handle is read on the plugin thread, where `destroy` also runs, so a call queued
            // before `destroy` sees a live instance and one queued after it sees none.
            guard let instance = handle.withLock({ $0 }) else {
                return .failure(PluginErrors.destroyed(plugin: plugin, connection: connection, operation: operation))
            }
            var out = ABIBuffers.empty()
            let status: crosswalk_status = (input ?? Data()).withUnsafeBytes { raw in
                let p = raw.baseAddress?.assumingMemoryBound(to: CChar.self), n = raw.count
                switch call {
                case .check: return table.check(instance, &out)
                case .discover: return table.discover(instance, &out)
                case .discover2: return discoverV2!.discover(instance, p, n, &out)
                case .read: return table.read(instance, p, n, &out)
                case .write: return table.write(instance, p, n, &out)
                case .parseWebhook: return table.parse_webhook(instance, p, n, &out)
                }
            }
            let taken = ABIBuffers.take(&out, max: max)
            guard status == CROSSWALK_OK else {
                return .failure(PluginErrors.fromStatus(status, detail: (try? taken.get()) ?? Data(), operation: operation,
                                                        plugin: plugin, connection: connection))
            }
            return taken.mapError { PluginErrors.buffer($0, plugin: plugin, connection: connection, operation: operation) }
        }
    }

    private func quarantined(_ operation: String, _ reason: String) -> CrosswalkError {
        PluginErrors.host(.pluginQuarantined, plugin: pluginID, connection: connection, operation: operation,
                          "refused: the instance for connection \(connection) is quarantined because \(reason); its thread was abandoned (restart the host, or use isolation: process)")
    }

    private func enterQuarantine(_ reason: String) {
        let first = quarantine.withLock { q -> Bool in
            guard q == nil else { return false }
            q = reason
            return true
        }
        guard first else { return }
        services.logger.error("\(pluginID): instance for connection \(connection) quarantined: \(reason)")
        let waiters = waiting.withLock { w -> [(operation: String, fail: @Sendable (CrosswalkError) -> Void)] in defer { w = [:] }; return Array(w.values) }
        waiters.forEach { $0.fail(quarantined($0.operation, reason)) }
        // Nothing more may run on the stuck thread; it ends if the plugin ever returns.
        thread.stop()
    }

    /// Runs `job` on `thread` with its cancellation installed as the instance's current call, and
    /// gives up at `deadline` or when the caller's task is cancelled. `onAbandon` runs when the
    /// job has not returned `grace` after that.
    static func run<T: Sendable>(on thread: PluginThread, services: LocalHostServices, operation: String, plugin: String, connection: String,
                                 deadline: Duration, grace: Duration, register: ((@escaping @Sendable (CrosswalkError) -> Void) -> Void)?,
                                 onAbandon: @escaping @Sendable (String) -> Void,
                                 _ job: @escaping (CallCancellation) -> Result<T, CrosswalkError>) async throws -> T {
        if Task.isCancelled { throw PluginErrors.cancelled(plugin: plugin, connection: connection, operation: operation) }
        let cancellation = CallCancellation(deadline: deadline)
        let completion = CallCompletion<T>()
        let stage = LockedValue(CallStage.queued)
        let unchecked = Unchecked(job)
        register? { error in _ = completion.complete(.failure(error)) }
        @Sendable func watch(_ why: String) {
            cancellation.cancel()
            DispatchQueue.global().asyncAfter(deadline: .now() + grace.dispatchInterval) {
                // Only a call stuck inside the plugin is abandoned; one still queued behind another is skipped.
                if stage.withLock({ $0 }) == .running { onAbandon("\(operation) \(why) and did not return within \(grace.spoken) of being cancelled") }
            }
        }
        // The deadline's timer, cancelled as soon as the call ends: a timer left to fire would keep this call's
        // closures (≈240 bytes) alive for the whole deadline, so memory grew with the calls of a long run.
        let timer = LockedValue<(any DispatchSourceTimer)?>(nil)
        @Sendable func disarm() { timer.withLock { t in t?.cancel(); t = nil } }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                completion.attach(continuation)
                if deadline > .zero {
                    let source = DispatchSource.makeTimerSource(queue: .global())
                    source.schedule(deadline: .now() + deadline.dispatchInterval)
                    source.setEventHandler {
                        disarm()
                        if completion.complete(.failure(PluginErrors.timeout(plugin: plugin, connection: connection, operation: operation, deadline: deadline))) {
                            watch("passed its deadline of \(deadline.spoken)")
                        }
                    }
                    timer.withLock { $0 = source }
                    source.resume()
                }
                let queued = thread.enqueue {
                    // A call given up on before it started does not run.
                    let run = stage.withLock { st -> Bool in
                        st = completion.isComplete ? .finished : .running
                        return st == .running
                    }
                    guard run else { return }
                    services.setCurrent(cancellation)
                    let result = unchecked.value(cancellation).mapError { error -> any Error in
                        // A plugin that stopped because its deadline passed answered "cancelled": that is a timeout.
                        if error.code == .cancelled, cancellation.deadlinePassed {
                            return PluginErrors.timeout(plugin: plugin, connection: connection, operation: operation, deadline: deadline)
                        }
                        return error
                    }
                    services.setCurrent(nil)
                    stage.withLock { $0 = .finished }
                    disarm()
                    completion.complete(result)
                }
                if !queued {
                    disarm()
                    completion.complete(.failure(PluginErrors.destroyed(plugin: plugin, connection: connection, operation: operation)))
                    return
                }
            }
        } onCancel: {
            disarm()
            if completion.complete(.failure(PluginErrors.cancelled(plugin: plugin, connection: connection, operation: operation))) {
                watch("was cancelled")
            }
        }
    }

    func destroy() async {
        let f = library.table.destroy, handle = handle
        if quarantine.withLock({ $0 }) != nil {
            // The plugin is still inside a call: calling destroy now would break the ABI's rule.
            handle.withLock { $0 = nil }
            hostTable.unregister()
            return
        }
        _ = await thread.run {
            guard let instance = handle.withLock({ h -> OpaquePointer? in defer { h = nil }; return h }) else { return }
            f?(instance)
        }
        hostTable.unregister()
        thread.stop()
    }

    /// An instance dropped without `destroy()` is destroyed on its thread, which then ends.
    deinit {
        let f = library.table.destroy, handle = handle, hostTable = hostTable
        guard quarantine.withLock({ $0 }) == nil else { return hostTable.unregister() }
        thread.enqueue {
            if let instance = handle.withLock({ h -> OpaquePointer? in defer { h = nil }; return h }) { f?(instance) }
            hostTable.unregister()
        }
        thread.stop()
    }
}
