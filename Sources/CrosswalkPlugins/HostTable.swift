@preconcurrency import CrosswalkABI
import CrosswalkCore
import Foundation
import Logging

/// The host services behind one `crosswalk_host_v1`, as its C callbacks call them: synchronously,
/// on the thread of a plugin call (which the host owns and may block), `log` from any thread.
///
/// In process, ``LocalHostServices`` serves them from the instance's ``HostServices``; in a worker,
/// ``ForwardedHostServices`` sends each one to the parent and waits for its answer.
protocol HostServiceBackend: AnyObject, Sendable {
    /// Which optional services `get_extension` offers (and whether `http` has a connection).
    var offered: HostServiceSet { get }
    func log(_ level: Logger.Level, _ text: String)
    func http(_ request: HTTPRequest) -> Result<HTTPResponse, CrosswalkError>
    func stateGet(_ key: String) -> Result<Data?, CrosswalkError>
    func statePut(_ key: String, _ value: Data) -> Result<Void, CrosswalkError>
    func stateRemove(_ key: String) -> Result<Void, CrosswalkError>
    func idmapLookup(_ request: Data) -> Result<Data, CrosswalkError>
    /// The connection facts JSON.
    func facts() -> Result<Data, CrosswalkError>
    /// Whether the current call is cancelled (or past its deadline).
    func isCancelled() -> Bool
    /// Waits; `false` when the current call is cancelled meanwhile.
    func sleep(milliseconds: UInt32) -> Bool
}

/// The services a host table offers.
struct HostServiceSet: OptionSet, Sendable, Hashable {
    let rawValue: UInt8
    static let http = HostServiceSet(rawValue: 1)
    static let state = HostServiceSet(rawValue: 2)
    static let idmap = HostServiceSet(rawValue: 4)
    static let facts = HostServiceSet(rawValue: 8)
    static let cancel = HostServiceSet(rawValue: 16)

    /// What `services` offers; every instance table offers cancellation.
    init(_ services: HostServices) {
        var set: HostServiceSet = [.cancel]
        if services.http != nil { set.insert(.http) }
        if services.state != nil { set.insert(.state) }
        if services.idmap != nil { set.insert(.idmap) }
        if services.facts != nil { set.insert(.facts) }
        self = set
    }

    init(rawValue: UInt8) { self.rawValue = rawValue }
}

/// A `crosswalk_host_v1` the host allocated for one plugin instance (or one library's entry).
///
/// The callbacks find their services by the table's address in a registry, never by reading
/// `host_ctx`: a table that is not the host's, or one whose instance was destroyed (unregistered),
/// answers CROSSWALK_E_INVALID_ARGUMENT instead of crashing. The C struct itself is never freed,
/// so a plugin that keeps a stale pointer still reads valid function pointers.
final class HostTable: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<crosswalk_host_v1>
    let backend: any HostServiceBackend

    nonisolated(unsafe) static let hostVersion = UnsafePointer(strdup(CrosswalkVersion.current)!)

    /// Allocates and registers a table over `backend`.
    init(backend: any HostServiceBackend) {
        self.backend = backend
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: crosswalk_host_v1(
            struct_size: UInt32(MemoryLayout<crosswalk_host_v1>.size),
            abi_major: UInt16(CROSSWALK_ABI_MAJOR), abi_minor: UInt16(CROSSWALK_ABI_MINOR),
            host_version: HostTable.hostVersion, host_ctx: nil,
            log: HostTable.logCallback, http: HostTable.httpCallback, get_extension: HostTable.extensionCallback))
        HostTable.registry.withLock { $0[UnsafeRawPointer(pointer)] = backend }
    }

    /// Later calls with this table answer CROSSWALK_E_INVALID_ARGUMENT (`log` does nothing).
    func unregister() { _ = HostTable.registry.withLock { $0.removeValue(forKey: UnsafeRawPointer(pointer)) } }

    deinit { unregister() }

    private static let registry = LockedValue<[UnsafeRawPointer: any HostServiceBackend]>([:])

    private static func backend(_ host: UnsafePointer<crosswalk_host_v1>?) -> (any HostServiceBackend)? {
        guard let host else { return nil }
        return registry.withLock { $0[UnsafeRawPointer(host)] }
    }

    // MARK: - extensions: one struct each for the process (the host argument says which table)

    nonisolated(unsafe) static let stateExtension: UnsafeMutablePointer<crosswalk_host_state_v1> = {
        let p = UnsafeMutablePointer<crosswalk_host_state_v1>.allocate(capacity: 1)
        p.initialize(to: crosswalk_host_state_v1(struct_size: UInt32(MemoryLayout<crosswalk_host_state_v1>.size),
                                                 get: stateGet, put: statePut, remove: stateRemove))
        return p
    }()
    nonisolated(unsafe) static let idmapExtension: UnsafeMutablePointer<crosswalk_host_idmap_v1> = {
        let p = UnsafeMutablePointer<crosswalk_host_idmap_v1>.allocate(capacity: 1)
        p.initialize(to: crosswalk_host_idmap_v1(struct_size: UInt32(MemoryLayout<crosswalk_host_idmap_v1>.size), lookup: idmapLookup))
        return p
    }()
    nonisolated(unsafe) static let cancelExtension: UnsafeMutablePointer<crosswalk_host_cancel_v1> = {
        let p = UnsafeMutablePointer<crosswalk_host_cancel_v1>.allocate(capacity: 1)
        p.initialize(to: crosswalk_host_cancel_v1(struct_size: UInt32(MemoryLayout<crosswalk_host_cancel_v1>.size),
                                                  is_cancelled: isCancelled, sleep: sleepCallback))
        return p
    }()
    nonisolated(unsafe) static let connectionExtension: UnsafeMutablePointer<crosswalk_host_connection_v1> = {
        let p = UnsafeMutablePointer<crosswalk_host_connection_v1>.allocate(capacity: 1)
        p.initialize(to: crosswalk_host_connection_v1(struct_size: UInt32(MemoryLayout<crosswalk_host_connection_v1>.size),
                                                      facts: factsCallback))
        return p
    }()

    // MARK: - callbacks (C calling conventions; nothing may throw out of them)

    static let logLevels: [Logger.Level] = [.trace, .debug, .info, .warning, .error]

    static let logCallback: @convention(c) (UnsafePointer<crosswalk_host_v1>?, Int32, UnsafePointer<CChar>?, Int) -> Void = {
        host, level, message, len in
        guard let backend = backend(host), let message else { return }
        let text = String(decoding: UnsafeRawBufferPointer(start: message, count: len), as: UTF8.self)
        backend.log(logLevels[Int(max(0, min(4, level)))], text)
    }

    /// Writes `error` as the ABI's error JSON into `out` and returns its status.
    private static func fail(_ error: CrosswalkError, _ out: UnsafeMutablePointer<crosswalk_buffer_v1>?) -> crosswalk_status {
        ABIBuffers.giveError(error, to: out)
        return ABIStatus.status(for: error.code)
    }

    static let httpCallback: @convention(c) (UnsafePointer<crosswalk_host_v1>?, UnsafePointer<crosswalk_http_request_v1>?,
                                             UnsafeMutablePointer<crosswalk_http_response_v1>?, UnsafeMutablePointer<crosswalk_buffer_v1>?) -> crosswalk_status = {
        host, request, response, error in
        guard let backend = backend(host), let request, let response, ABIHTTP.fits(response) else { return CROSSWALK_E_INVALID_ARGUMENT }
        guard backend.offered.contains(.http) else {
            return fail(CrosswalkError(.unsupported, "no connection: HTTP is not available here"), error)
        }
        let swiftRequest: HTTPRequest
        do { swiftRequest = try ABIHTTP.request(from: request) } catch let e as CrosswalkError {
            return fail(e, error)
        } catch { return CROSSWALK_E_INTERNAL }
        switch backend.http(swiftRequest) {
        case .success(let r):
            ABIHTTP.fill(response, from: r)
            return CROSSWALK_OK
        case .failure(let e):
            return fail(e, error)
        }
    }

    static let extensionCallback: @convention(c) (UnsafePointer<crosswalk_host_v1>?, UnsafePointer<CChar>?) -> UnsafeRawPointer? = { host, id in
        guard let id, let backend = backend(host) else { return nil }
        let offered = backend.offered
        switch String(cString: id) {
        case CROSSWALK_EXT_STATE_V1 where offered.contains(.state): return UnsafeRawPointer(stateExtension)
        case CROSSWALK_EXT_IDMAP_V1 where offered.contains(.idmap): return UnsafeRawPointer(idmapExtension)
        case CROSSWALK_EXT_CANCEL_V1 where offered.contains(.cancel): return UnsafeRawPointer(cancelExtension)
        case CROSSWALK_EXT_CONNECTION_V1 where offered.contains(.facts): return UnsafeRawPointer(connectionExtension)
        default: return nil
        }
    }

    static let stateGet: @convention(c) (UnsafePointer<crosswalk_host_v1>?, UnsafePointer<CChar>?, UnsafeMutablePointer<crosswalk_buffer_v1>?) -> crosswalk_status = {
        host, key, out in
        guard let backend = backend(host), backend.offered.contains(.state), let key, ABIBuffers.fits(out) else { return CROSSWALK_E_INVALID_ARGUMENT }
        switch backend.stateGet(String(cString: key)) {
        case .success(nil): return CROSSWALK_E_NOT_FOUND
        case .success(let data?):
            ABIBuffers.give(data, to: out)
            return CROSSWALK_OK
        case .failure(let e): return fail(e, out)
        }
    }

    static let statePut: @convention(c) (UnsafePointer<crosswalk_host_v1>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?, Int) -> crosswalk_status = {
        host, key, value, len in
        guard let backend = backend(host), backend.offered.contains(.state), let key, value != nil || len == 0 else { return CROSSWALK_E_INVALID_ARGUMENT }
        let data = value.map { Data(bytes: $0, count: len) } ?? Data()
        switch backend.statePut(String(cString: key), data) {
        case .success: return CROSSWALK_OK
        case .failure(let e): return ABIStatus.status(for: e.code)
        }
    }

    static let stateRemove: @convention(c) (UnsafePointer<crosswalk_host_v1>?, UnsafePointer<CChar>?) -> crosswalk_status = { host, key in
        guard let backend = backend(host), backend.offered.contains(.state), let key else { return CROSSWALK_E_INVALID_ARGUMENT }
        switch backend.stateRemove(String(cString: key)) {
        case .success: return CROSSWALK_OK
        case .failure(let e): return ABIStatus.status(for: e.code)
        }
    }

    static let idmapLookup: @convention(c) (UnsafePointer<crosswalk_host_v1>?, UnsafePointer<CChar>?, Int, UnsafeMutablePointer<crosswalk_buffer_v1>?) -> crosswalk_status = {
        host, request, len, out in
        guard let backend = backend(host), backend.offered.contains(.idmap), let request, ABIBuffers.fits(out) else { return CROSSWALK_E_INVALID_ARGUMENT }
        switch backend.idmapLookup(Data(bytes: request, count: len)) {
        case .success(let result):
            ABIBuffers.give(result, to: out)
            return CROSSWALK_OK
        case .failure(let e): return fail(e, out)
        }
    }

    static let isCancelled: @convention(c) (UnsafePointer<crosswalk_host_v1>?) -> Int32 = { host in
        guard let backend = backend(host), backend.offered.contains(.cancel) else { return 0 }
        return backend.isCancelled() ? 1 : 0
    }

    static let sleepCallback: @convention(c) (UnsafePointer<crosswalk_host_v1>?, UInt32) -> crosswalk_status = { host, ms in
        guard let backend = backend(host), backend.offered.contains(.cancel) else { return CROSSWALK_E_INVALID_ARGUMENT }
        return backend.sleep(milliseconds: ms) ? CROSSWALK_OK : CROSSWALK_E_CANCELLED
    }

    static let factsCallback: @convention(c) (UnsafePointer<crosswalk_host_v1>?, UnsafeMutablePointer<crosswalk_buffer_v1>?) -> crosswalk_status = {
        host, out in
        guard let backend = backend(host), backend.offered.contains(.facts), ABIBuffers.fits(out) else { return CROSSWALK_E_INVALID_ARGUMENT }
        switch backend.facts() {
        case .success(let data):
            ABIBuffers.give(data, to: out)
            return CROSSWALK_OK
        case .failure(let e): return fail(e, out)
        }
    }
}

/// An instance's services in the host's own process: ``HostServices`` called from the plugin
/// thread, each call giving up when the plugin call is cancelled.
final class LocalHostServices: HostServiceBackend, @unchecked Sendable {
    let logger: Logger
    let services: HostServices
    let offered: HostServiceSet
    private let current = LockedValue<CallCancellation?>(nil)

    init(logger: Logger, services: HostServices) {
        self.logger = logger
        self.services = services
        offered = HostServiceSet(services)
    }

    /// The plugin call now running on the instance's thread (`nil` between calls).
    func setCurrent(_ call: CallCancellation?) { current.withLock { $0 = call } }

    func log(_ level: Logger.Level, _ text: String) { logger.log(level: level, "\(text)") }

    private func run<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) -> Result<T, CrosswalkError> {
        let call = current.withLock { $0 } ?? CallCancellation(deadline: nil)
        switch call.blocking(work) {
        case nil: return .failure(CrosswalkError(.cancelled, "the call was cancelled"))
        case .success(let value)?: return .success(value)
        case .failure(let error)?:
            if let e = error as? CrosswalkError { return .failure(e) }
            if error is CancellationError { return .failure(CrosswalkError(.cancelled, "the call was cancelled")) }
            return .failure(CrosswalkError(.internalError, "\(error)"))
        }
    }

    func http(_ request: HTTPRequest) -> Result<HTTPResponse, CrosswalkError> {
        guard let send = services.http else { return .failure(CrosswalkError(.unsupported, "no connection: HTTP is not available here")) }
        return run { try await send(request) }
    }

    func stateGet(_ key: String) -> Result<Data?, CrosswalkError> {
        guard let store = services.state else { return .failure(CrosswalkError(.unsupported, "no state")) }
        return run { try await store.get(key) }.mapError(Self.storeError)
    }

    func statePut(_ key: String, _ value: Data) -> Result<Void, CrosswalkError> {
        guard let store = services.state else { return .failure(CrosswalkError(.unsupported, "no state")) }
        return run { try await store.put(key, value) }.mapError(Self.storeError)
    }

    func stateRemove(_ key: String) -> Result<Void, CrosswalkError> {
        guard let store = services.state else { return .failure(CrosswalkError(.unsupported, "no state")) }
        return run { try await store.remove(key) }.mapError(Self.storeError)
    }

    /// State failures are the store's (internal to the plugin), except cancellation.
    private static func storeError(_ e: CrosswalkError) -> CrosswalkError {
        e.code == .cancelled ? e : CrosswalkError(.store, e.message)
    }

    func idmapLookup(_ request: Data) -> Result<Data, CrosswalkError> {
        guard let lookup = services.idmap else { return .failure(CrosswalkError(.unsupported, "no ID map")) }
        return run { try await lookup(request) }
    }

    func facts() -> Result<Data, CrosswalkError> {
        guard let facts = services.facts else { return .failure(CrosswalkError(.unsupported, "no connection facts")) }
        return run { try JSONValueEncoder().encode(try await facts()) }
    }

    func isCancelled() -> Bool { current.withLock { $0 }?.isCancelled ?? false }

    func sleep(milliseconds: UInt32) -> Bool {
        (current.withLock { $0 } ?? CallCancellation(deadline: nil)).sleep(milliseconds: milliseconds)
    }
}

/// The services of the table handed to `crosswalk_plugin_entry`: log lines only (no connection).
final class EntryHostServices: HostServiceBackend, @unchecked Sendable {
    private let write: @Sendable (Logger.Level, String) -> Void
    let offered: HostServiceSet = []

    init(log: @escaping @Sendable (Logger.Level, String) -> Void) { write = log }

    func log(_ level: Logger.Level, _ text: String) { write(level, text) }
    func http(_ request: HTTPRequest) -> Result<HTTPResponse, CrosswalkError> { .failure(CrosswalkError(.unsupported, "no connection")) }
    func stateGet(_ key: String) -> Result<Data?, CrosswalkError> { .failure(CrosswalkError(.unsupported, "no state")) }
    func statePut(_ key: String, _ value: Data) -> Result<Void, CrosswalkError> { .failure(CrosswalkError(.unsupported, "no state")) }
    func stateRemove(_ key: String) -> Result<Void, CrosswalkError> { .failure(CrosswalkError(.unsupported, "no state")) }
    func idmapLookup(_ request: Data) -> Result<Data, CrosswalkError> { .failure(CrosswalkError(.unsupported, "no ID map")) }
    func facts() -> Result<Data, CrosswalkError> { .failure(CrosswalkError(.unsupported, "no connection")) }
    func isCancelled() -> Bool { false }
    func sleep(milliseconds: UInt32) -> Bool { usleep(milliseconds * 1000); return true }
}
