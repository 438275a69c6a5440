@preconcurrency import CrosswalkABI
import CrosswalkConnectors
import CrosswalkCore
import Foundation
import Logging
import Metrics

/// The worker process of one plugin, seen from the host: started when the first instance (or
/// mapping function) needs it, shared by all the plugin's instances, restarted with backoff when
/// it dies (its instances re-created with their settings), stopped when the last instance goes.
///
/// The instances' host services (HTTP with credentials, rate limits, state, ID map, connection
/// facts) are served here, in the host: the worker only forwards the plugin's calls to them.
final class WorkerSupervisor: @unchecked Sendable {
    let info: PluginInfo
    let configuration: PluginHostConfiguration
    let logger: Logger

    private enum State {
        case idle
        case starting
        case running(WorkerConnection)
        /// Waiting to restart after a crash.
        case restarting
        /// Given up on (it kept crashing, or its plugin no longer loads); tried again after `retryBrokenAfter`.
        case broken(CrosswalkError, since: ContinuousClock.Instant)
    }

    /// An instance as the host keeps it, to serve its host calls and re-create it after a crash.
    private final class Record: @unchecked Sendable {
        let connection: String
        let settings: Data
        let services: HostServices
        let logger: Logger
        /// Why the instance could not be re-created after a restart.
        var failure: CrosswalkError?
        /// Whether its first `create` succeeded (only those are re-created after a crash).
        var created = false
        init(connection: String, settings: Data, services: HostServices, logger: Logger) {
            self.connection = connection
            self.settings = settings
            self.services = services
            self.logger = logger
        }
    }

    private let lock = NSLock()
    private var state: State = .idle
    /// Who waits for the worker to be running (async callers and blocked threads alike).
    private var waiters: [@Sendable (Result<WorkerConnection, CrosswalkError>) -> Void] = []
    private var records: [UInt32: Record] = [:]
    private var nextInstance: UInt32 = 0
    /// Crashes in a row without a call answered in between (backoff and giving up).
    private var crashesInARow = 0
    /// Once mapping functions were called, the worker stays up without instances.
    private var keepAlive = false
    /// Instances being created: the worker must not be stopped for being idle meanwhile.
    private var creating = 0
    /// Host-service work running for the worker's calls, by call id, cancelled with the call.
    private var hostTasks: [UInt64: [Int: Task<Void, Never>]] = [:]
    private var nextTask = 0

    /// After this many crashes in a row the worker is not restarted again…
    static let maxCrashesInARow = 6
    /// …until a call needs it this long afterwards.
    static let retryBrokenAfter: Duration = .seconds(60)

    init(info: PluginInfo, configuration: PluginHostConfiguration, logger: Logger) {
        self.info = info
        self.configuration = configuration
        self.logger = logger
    }

    /// Restarts after unasked ends of the worker.
    var restarts: Int { lock.withLock { restartCount } }
    private var restartCount = 0

    var processID: Int32? {
        lock.withLock { if case .running(let c) = state { return c.processID } else { return nil } }
    }

    // MARK: - the worker's life (on threads the host owns: starting never needs Swift's pool)

    /// Calls `waiter` with the running worker, starting it (or waiting for its restart) when needed.
    private func whenRunning(_ waiter: @escaping @Sendable (Result<WorkerConnection, CrosswalkError>) -> Void) {
        lock.lock()
        switch state {
        case .running(let c):
            lock.unlock()
            waiter(.success(c))
        case .broken(let error, let since) where ContinuousClock.now - since < Self.retryBrokenAfter:
            lock.unlock()
            waiter(.failure(error))
        case .broken:
            state = .starting
            crashesInARow = 0
            waiters.append(waiter)
            lock.unlock()
            launch(after: .zero)
        case .starting, .restarting:
            waiters.append(waiter)
            lock.unlock()
        case .idle:
            state = .starting
            waiters.append(waiter)
            lock.unlock()
            launch(after: .zero)
        }
    }

    /// The running worker.
    func connection() async throws -> WorkerConnection {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<WorkerConnection, any Error>) in
            whenRunning { continuation.resume(with: $0.mapError { $0 }) }
        }
    }

    /// The running worker, waiting on this thread.
    func connectionBlocking() -> Result<WorkerConnection, CrosswalkError> {
        let completion = CallCompletion<WorkerConnection>()
        whenRunning { completion.complete($0.mapError { $0 }) }
        return completion.wait().mapError { $0 as? CrosswalkError ?? CrosswalkError(.internalError, "\($0)") }
    }

    private func launch(after delay: Duration) {
        let thread = Thread { [self] in
            if delay > .zero { Thread.sleep(forTimeInterval: Double(delay.milliseconds) / 1000) }
            start()
        }
        thread.name = "worker start \(info.id)"
        thread.start()
    }

    /// Starts a worker, re-creates the known instances in it, then hands it to the waiters.
    private func start() {
        let connection: WorkerConnection
        do {
            connection = try WorkerConnection(info: info, configuration: configuration,
                                              onFrame: { [weak self] c, frame in self?.handle(frame, from: c) },
                                              onDeath: { [weak self] c, exit in self?.died(c, exit: exit) })
            try connection.waitReady(timeout: configuration.probeTimeout + .seconds(20))
        } catch {
            return startFailed(error as? CrosswalkError ?? CrosswalkError(.internalError, "\(error)"))
        }
        // An instance whose re-creation failed (or crashed the worker) is not re-created again.
        let recreate = lock.withLock { records.sorted { $0.key < $1.key }.filter { $0.value.failure == nil && $0.value.created } }
        for (id, record) in recreate {
            let outcome = exchangeBlocking(connection, .create, instance: id, meta: createMeta(record, deadline: configuration.deadlines.create),
                                           body: record.settings, operation: "create", connectionName: record.connection,
                                           deadline: configuration.deadlines.create)
            if case .failure(let error) = outcome {
                record.failure = error
                if connection.isDead { return startFailed(error) }
                record.logger.error("\(info.id): could not re-create the instance for connection \(record.connection) after the worker restarted: \(error.message)")
            }
        }
        lock.lock()
        guard !connection.isDead else {
            lock.unlock()
            return startFailed(CrosswalkError(.pluginCrashed, "\(info.id): the worker died while starting"))
        }
        state = .running(connection)
        let ready = waiters
        waiters = []
        lock.unlock()
        if !recreate.isEmpty { logger.notice("\(info.id): worker restarted (pid \(connection.processID)), \(recreate.count) instance(s) re-created") }
        ready.forEach { $0(.success(connection)) }
        // Restarted for instances that are gone by now: stop again.
        if ready.isEmpty { stopWhenIdle(force: false) }
    }

    private func startFailed(_ error: CrosswalkError) {
        lock.lock()
        crashesInARow += 1
        if error.code == .pluginRefused || crashesInARow >= Self.maxCrashesInARow || (records.isEmpty && !keepAlive && waiters.isEmpty) {
            let final = error.code == .pluginRefused ? error
                : CrosswalkError(.pluginCrashed, "\(info.id): the worker could not be started \(crashesInARow) times in a row; last: \(error.message)",
                                 context: ["plugin": info.id])
            state = records.isEmpty && waiters.isEmpty ? .idle : .broken(final, since: .now)
            let failed = waiters
            waiters = []
            lock.unlock()
            logger.error("\(final.message)")
            failed.forEach { $0(.failure(final)) }
            return
        }
        state = .restarting
        let delay = backoff()
        lock.unlock()
        launch(after: delay)
    }

    /// Called by the connection once its requests in flight were failed.
    private func died(_ connection: WorkerConnection, exit: ChildExit) {
        lock.lock()
        guard case .running(let current) = state, current === connection else { return lock.unlock() }
        let tasks = hostTasks.values.flatMap(\.values)
        hostTasks = [:]
        if records.isEmpty && !keepAlive && creating == 0 {
            state = .idle
            lock.unlock()
            tasks.forEach { $0.cancel() }
            return
        }
        crashesInARow += 1
        if crashesInARow >= Self.maxCrashesInARow {
            let error = CrosswalkError(.pluginCrashed, "\(info.id): the worker crashed \(crashesInARow) times in a row (last: \(exit)); not restarting it",
                                       context: ["plugin": info.id])
            state = .broken(error, since: .now)
            lock.unlock()
            tasks.forEach { $0.cancel() }
            logger.error("\(error.message)")
            return
        }
        state = .restarting
        restartCount += 1
        let delay = backoff()
        lock.unlock()
        tasks.forEach { $0.cancel() }
        Counter(label: "crosswalk_plugin_worker_restarts_total", dimensions: [("plugin", info.id)]).increment()
        logger.warning("\(info.id): the worker ended (\(exit)); restarting it in \(delay.spoken)")
        launch(after: delay)
    }

    /// No wait after a first crash, then `restartBackoff` doubling up to `maxRestartBackoff`.
    private func backoff() -> Duration {
        guard crashesInARow > 1 else { return .zero }
        let factor = 1 << min(crashesInARow - 2, 16)
        return min(configuration.restartBackoff * factor, configuration.maxRestartBackoff)
    }

    /// A call was answered: the worker works, crashes stop counting.
    private func answered() { lock.withLock { crashesInARow = 0 } }

    /// Stops the worker when no instance is left (and, unless `force`, no mapping function was used).
    func stopWhenIdle(force: Bool = true) {
        lock.lock()
        if force { keepAlive = false }
        guard records.isEmpty, !keepAlive, creating == 0, case .running(let c) = state else { return lock.unlock() }
        state = .idle
        lock.unlock()
        c.shutdown()
    }

    // MARK: - instances

    private func createMeta(_ record: Record, deadline: Duration) -> JSONValue {
        ["connection": .string(record.connection), "services": .number(JSONNumber(Int(HostServiceSet(record.services).rawValue))),
         "log_level": .string(record.logger.logLevel.rawValue), "deadline_ms": .number(JSONNumber(Int(deadline.milliseconds)))]
    }

    /// Creates an instance in the worker; it is re-created there after a crash.
    func createInstance(connection name: String, settings: Data, services: HostServices, logger: Logger,
                        deadline: Duration) async throws -> RemoteBackend {
        let record = Record(connection: name, settings: settings, services: services, logger: logger)
        let id = lock.withLock {
            nextInstance += 1
            creating += 1
            // Registered first, so that host calls made inside `create` find their services.
            records[nextInstance] = record
            return nextInstance
        }
        do {
            let connection = try await self.connection()
            _ = try await exchange(connection, .create, instance: id, meta: createMeta(record, deadline: deadline), body: settings,
                                   operation: "create", connectionName: name, deadline: deadline)
            lock.withLock {
                record.created = true
                creating -= 1
            }
        } catch {
            lock.withLock {
                _ = records.removeValue(forKey: id)
                creating -= 1
            }
            stopWhenIdle(force: false)
            throw error
        }
        return RemoteBackend(supervisor: self, instance: id, connection: name)
    }

    func call(instance: UInt32, connection name: String, _ call: PluginCall, input: Data?, deadline: Duration) async throws -> Data {
        let operation = call.operation.rawValue
        guard let record = lock.withLock({ records[instance] }) else {
            throw PluginErrors.destroyed(plugin: info.id, connection: name, operation: operation)
        }
        let connection = try await self.connection()
        if let failure = record.failure {
            throw PluginErrors.host(.pluginCrashed, plugin: info.id, connection: name, operation: operation,
                                    "refused: the instance could not be re-created after its worker restarted: \(failure.message)")
        }
        let meta: JSONValue = ["op": .string(call.rawValue), "deadline_ms": .number(JSONNumber(Int(max(0, deadline.milliseconds))))]
        return try await exchange(connection, .call, instance: instance, meta: meta, body: input ?? Data(), operation: operation,
                                  connectionName: name, deadline: deadline)
    }

    func destroy(instance: UInt32, connection name: String) async {
        guard lock.withLock({ records.removeValue(forKey: instance) }) != nil else { return }
        if case .running(let c) = lock.withLock({ state }) {
            _ = try? await exchange(c, .destroy, instance: instance, meta: .null, body: Data(), operation: "destroy",
                                    connectionName: name, deadline: configuration.deadlines.other)
        }
        stopWhenIdle(force: false)
    }

    /// Drops an instance whose backend was released without `destroy()`.
    func abandon(instance: UInt32, connection name: String) {
        Task { await self.destroy(instance: instance, connection: name) }
    }

    /// Sends one request; `deliver` gets its answer. Past the deadline (or on `giveUp`) the call
    /// fails at once and the worker is told to cancel it; if the worker still has not answered
    /// after the grace period, it is killed (and restarted).
    /// - Returns: what gives up on the call (for the caller's cancellation).
    private func startExchange(_ connection: WorkerConnection, _ kind: WorkerFrame.Kind, instance: UInt32, meta: JSONValue, body: Data,
                               operation: String, connectionName: String, deadline: Duration,
                               completion: CallCompletion<Data>) -> @Sendable (CrosswalkError, String) -> Void {
        let plugin = info.id, grace = configuration.cancelGrace
        let requestID = LockedValue<UInt64?>(nil)
        // The deadline's timer, cancelled as soon as the call ends (a timer left to fire kept the call's closures
        // for the whole deadline).
        let timer = LockedValue<(any DispatchSourceTimer)?>(nil)
        let disarm: @Sendable () -> Void = { timer.withLock { t in t?.cancel(); t = nil } }
        let giveUp: @Sendable (CrosswalkError, String) -> Void = { [weak self] error, why in
            disarm()
            guard completion.complete(.failure(error)), let id = requestID.withLock({ $0 }) else { return }
            connection.cancel(id, instance: instance)
            self?.cancelHostTasks(call: id)
            DispatchQueue.global().asyncAfter(deadline: .now() + grace.dispatchInterval) {
                if connection.isPending(id) {
                    connection.kill(reason: "\(operation) for connection \(connectionName) \(why) and did not return within \(grace.spoken) of being cancelled")
                }
            }
        }
        let end = ContinuousClock.now + deadline
        if deadline > .zero {
            let source = DispatchSource.makeTimerSource(queue: .global())
            source.schedule(deadline: .now() + deadline.dispatchInterval)
            source.setEventHandler {
                giveUp(PluginErrors.timeout(plugin: plugin, connection: connectionName, operation: operation, deadline: deadline),
                       "passed its deadline of \(deadline.spoken)")
            }
            timer.withLock { $0 = source }
            source.resume()
        }
        let id = connection.request(kind, instance: instance, meta: meta, body: body, operation: operation, connection: connectionName) { [weak self] result in
            disarm()
            completion.complete(result.flatMap { frame in
                self?.answered()
                return Self.decodeResult(frame, plugin: plugin, connection: connectionName, operation: operation)
            }.mapError { error in
                // A plugin that stopped because its deadline passed answered "cancelled": that is a timeout.
                if error.code == .cancelled, deadline > .zero, ContinuousClock.now >= end {
                    return PluginErrors.timeout(plugin: plugin, connection: connectionName, operation: operation, deadline: deadline)
                }
                return error
            })
        }
        requestID.withLock { $0 = id }
        if completion.isComplete, let id { connection.cancel(id, instance: instance) }
        return giveUp
    }

    /// One request and its answer, with the deadline and the caller's task cancellation.
    private func exchange(_ connection: WorkerConnection, _ kind: WorkerFrame.Kind, instance: UInt32, meta: JSONValue, body: Data,
                          operation: String, connectionName: String, deadline: Duration) async throws -> Data {
        let plugin = info.id
        if Task.isCancelled { throw PluginErrors.cancelled(plugin: plugin, connection: connectionName, operation: operation) }
        let completion = CallCompletion<Data>()
        let giveUp = LockedValue<(@Sendable (CrosswalkError, String) -> Void)?>(nil)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Data, any Error>) in
                completion.attach(continuation)
                let g = startExchange(connection, kind, instance: instance, meta: meta, body: body, operation: operation,
                                      connectionName: connectionName, deadline: deadline, completion: completion)
                giveUp.withLock { $0 = g }
            }
        } onCancel: {
            let error = PluginErrors.cancelled(plugin: plugin, connection: connectionName, operation: operation)
            if let g = giveUp.withLock({ $0 }) { g(error, "was cancelled") } else { completion.complete(.failure(error)) }
        }
    }

    /// One request and its answer, waiting on this thread (a thread the host owns).
    private func exchangeBlocking(_ connection: WorkerConnection, _ kind: WorkerFrame.Kind, instance: UInt32, meta: JSONValue, body: Data,
                                  operation: String, connectionName: String, deadline: Duration) -> Result<Data, CrosswalkError> {
        let completion = CallCompletion<Data>()
        _ = startExchange(connection, kind, instance: instance, meta: meta, body: body, operation: operation,
                          connectionName: connectionName, deadline: deadline, completion: completion)
        return completion.wait().mapError { $0 as? CrosswalkError ?? CrosswalkError(.internalError, "\($0)") }
    }

    /// A `result` frame: `{"status":0}` and the result bytes, `{"status":N}` and the error
    /// document, or `{"problem":"…"}` when the worker found the plugin's buffer unusable.
    static func decodeResult(_ frame: WorkerFrame, plugin: String, connection: String, operation: String) -> Result<Data, CrosswalkError> {
        if let problem = frame.meta["problem"]?.stringValue {
            return .failure(PluginErrors.host(.internalError, plugin: plugin, connection: connection, operation: operation, problem))
        }
        if let error = frame.meta["error"], let code = error["code"]?.stringValue {
            return .failure(CrosswalkError(CrosswalkError.Code(code), error["message"]?.stringValue ?? "failed",
                                           context: PluginErrors.context(plugin: plugin, connection: connection, operation: operation)))
        }
        let status = Int32(frame.meta["status"]?.intValue ?? Int(CROSSWALK_E_INTERNAL))
        guard status == 0 else {
            return .failure(PluginErrors.fromStatus(status, detail: frame.body, operation: operation, plugin: plugin, connection: connection))
        }
        return .success(frame.body)
    }

    // MARK: - mapping functions

    /// Calls a batch of mapping functions in the worker (one frame each way), blocking the caller
    /// (the worker is started, if needed, on a thread of its own: never on Swift's pool).
    func callFunctions(_ calls: [(name: String, arguments: [JSONValue])], deadline: Duration) -> [Result<JSONValue, CrosswalkError>] {
        lock.withLock { keepAlive = true }
        let plugin = info.id
        func all(_ e: CrosswalkError) -> [Result<JSONValue, CrosswalkError>] { calls.map { _ in .failure(e) } }
        let meta: JSONValue = ["calls": .array(calls.map { ["name": .string($0.name), "args": .array($0.arguments)] })]
        let answer = connectionBlocking().flatMap { connection in
            exchangeBlocking(connection, .functions, instance: 0, meta: meta, body: Data(), operation: "functions",
                             connectionName: "-", deadline: deadline)
        }
        switch answer {
        case .failure(let error):
            return all(error)
        case .success(let data):
            guard let results = (try? JSONParser.parse(data))?["results"]?.arrayValue, results.count == calls.count else {
                return all(PluginErrors.host(.internalError, plugin: plugin, connection: nil, operation: "functions", "answered an unreadable batch"))
            }
            return results.map { r in
                if r["ok"]?.boolValue == true { return .success(r["value"] ?? .null) }
                var context = ["plugin": plugin]
                context["function"] = r["function"]?.stringValue
                return .failure(CrosswalkError(CrosswalkError.Code(r["code"]?.stringValue ?? "internal"), r["message"]?.stringValue ?? "failed",
                                               context: context))
            }
        }
    }

    // MARK: - host services and log lines from the worker

    private func handle(_ frame: WorkerFrame, from connection: WorkerConnection) {
        let record = lock.withLock { records[frame.instance] }
        switch frame.kind {
        case .log:
            let level = Logger.Level(rawValue: frame.meta["level"]?.stringValue ?? "info") ?? .info
            let text = String(decoding: frame.body, as: UTF8.self)
            (record?.logger ?? logger).log(level: level, "\(text)")
        case .hostCall:
            guard let record else {
                return connection.send(HostCallCodec.reply(to: frame.id, .failure(CrosswalkError(.invalidArgument, "no such instance"))))
            }
            let call = UInt64(frame.meta["call"]?.intValue ?? 0)
            let services = record.services, connectionName = record.connection
            lock.lock()
            nextTask += 1
            let token = nextTask
            let task = Task {
                let reply = await HostCallCodec.serve(frame, services: services, connection: connectionName)
                connection.send(reply)
                self.lock.withLock { _ = self.hostTasks[call]?.removeValue(forKey: token) }
            }
            hostTasks[call, default: [:]][token] = task
            lock.unlock()
        default:
            break
        }
    }

    private func cancelHostTasks(call: UInt64) {
        let tasks = lock.withLock { hostTasks.removeValue(forKey: call) }
        tasks?.values.forEach { $0.cancel() }
    }
}

/// An instance in the plugin's worker process.
final class RemoteBackend: InstanceBackend, @unchecked Sendable {
    let supervisor: WorkerSupervisor
    let instance: UInt32
    let connection: String
    private let destroyed = LockedValue(false)

    init(supervisor: WorkerSupervisor, instance: UInt32, connection: String) {
        self.supervisor = supervisor
        self.instance = instance
        self.connection = connection
    }

    func call(_ call: PluginCall, input: Data?, deadline: Duration) async throws -> Data {
        try await supervisor.call(instance: instance, connection: connection, call, input: input, deadline: deadline)
    }

    func destroy() async {
        guard destroyed.withLock({ d -> Bool in defer { d = true }; return !d }) else { return }
        await supervisor.destroy(instance: instance, connection: connection)
    }

    deinit {
        if !destroyed.withLock({ $0 }) { supervisor.abandon(instance: instance, connection: connection) }
    }
}
