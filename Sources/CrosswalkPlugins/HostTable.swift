@preconcurrency import CrosswalkABI
import CrosswalkCore
import Foundation
import Logging

/// The Swift state behind one `crosswalk_host_v1` (reached through `host_ctx`).
final class HostContext: @unchecked Sendable {
    let logger: Logger
    let services: HostServices
    init(logger: Logger, services: HostServices) {
        self.logger = logger
        self.services = services
    }
}

/// A `crosswalk_host_v1` the host allocated, with the context it points to.
///
/// The table and its context stay alive as long as this object; instances keep theirs until
/// after `destroy`, the process-wide tables of loaded plugins are never freed.
final class HostTable: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<crosswalk_host_v1>
    private let context: HostContext
    private let stateExtension: UnsafeMutablePointer<crosswalk_host_state_v1>
    private let idmapExtension: UnsafeMutablePointer<crosswalk_host_idmap_v1>

    nonisolated(unsafe) static let hostVersion = UnsafePointer(strdup(CrosswalkVersion.current)!)

    init(logger: Logger, services: HostServices) {
        context = HostContext(logger: logger, services: services)
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: crosswalk_host_v1(
            struct_size: UInt32(MemoryLayout<crosswalk_host_v1>.size),
            abi_major: UInt16(CROSSWALK_ABI_MAJOR), abi_minor: UInt16(CROSSWALK_ABI_MINOR),
            host_version: HostTable.hostVersion,
            host_ctx: Unmanaged.passUnretained(context).toOpaque(),
            log: HostTable.logCallback, http: HostTable.httpCallback, get_extension: HostTable.extensionCallback))
        stateExtension = .allocate(capacity: 1)
        stateExtension.initialize(to: crosswalk_host_state_v1(
            struct_size: UInt32(MemoryLayout<crosswalk_host_state_v1>.size),
            get: HostTable.stateGet, put: HostTable.statePut, remove: HostTable.stateRemove))
        idmapExtension = .allocate(capacity: 1)
        idmapExtension.initialize(to: crosswalk_host_idmap_v1(
            struct_size: UInt32(MemoryLayout<crosswalk_host_idmap_v1>.size), lookup: HostTable.idmapLookup))
    }

    deinit {
        pointer.deallocate()
        stateExtension.deallocate()
        idmapExtension.deallocate()
    }

    private static func context(_ host: UnsafePointer<crosswalk_host_v1>?) -> HostContext? {
        guard let ctx = host?.pointee.host_ctx else { return nil }
        return Unmanaged<HostContext>.fromOpaque(ctx).takeUnretainedValue()
    }

    private static func table(_ host: UnsafePointer<crosswalk_host_v1>?) -> HostTable? {
        // The extension lookup needs the owning table; keep a registry keyed by table address.
        guard let host else { return nil }
        return registry.withLock { $0[UnsafeRawPointer(host)]?.value }
    }

    final class Weak: @unchecked Sendable {
        weak var value: HostTable?
        init(_ value: HostTable) { self.value = value }
    }
    static let registry = LockedValue<[UnsafeRawPointer: Weak]>([:])

    /// Makes the table findable by its address (for `get_extension`).
    func register() { HostTable.registry.withLock { $0[UnsafeRawPointer(pointer)] = Weak(self) } }
    func unregister() { _ = HostTable.registry.withLock { $0.removeValue(forKey: UnsafeRawPointer(pointer)) } }

    // MARK: - callbacks (C calling conventions; nothing may throw out of them)

    static let logCallback: @convention(c) (UnsafePointer<crosswalk_host_v1>?, Int32, UnsafePointer<CChar>?, Int) -> Void = {
        host, level, message, len in
        guard let ctx = context(host), let message else { return }
        let text = String(decoding: UnsafeRawBufferPointer(start: message, count: len), as: UTF8.self)
        let levels: [Logger.Level] = [.trace, .debug, .info, .warning, .error]
        ctx.logger.log(level: levels[Int(max(0, min(4, level)))], "\(text)")
    }

    static let httpCallback: @convention(c) (UnsafePointer<crosswalk_host_v1>?, UnsafePointer<crosswalk_http_request_v1>?,
                                             UnsafeMutablePointer<crosswalk_http_response_v1>?, UnsafeMutablePointer<crosswalk_buffer_v1>?) -> crosswalk_status = {
        host, request, response, error in
        guard let ctx = context(host), let request, let response, ABIHTTP.fits(response) else { return CROSSWALK_E_INVALID_ARGUMENT }
        guard let send = ctx.services.http else {
            ABIBuffers.giveError(CrosswalkError(.unsupported, "no connection: HTTP is not available here"), to: error)
            return CROSSWALK_E_UNSUPPORTED
        }
        let swiftRequest: HTTPRequest
        do { swiftRequest = try ABIHTTP.request(from: request) } catch let e as CrosswalkError {
            ABIBuffers.giveError(e, to: error)
            return ABIStatus.status(for: e.code)
        } catch { return CROSSWALK_E_INTERNAL }
        switch blocking({ try await send(swiftRequest) }) {
        case .success(let r):
            ABIHTTP.fill(response, from: r)
            return CROSSWALK_OK
        case .failure(let e):
            let ce = (e as? CrosswalkError) ?? CrosswalkError(.internalError, e is CancellationError ? "the run was cancelled" : "\(e)")
            ABIBuffers.giveError(ce, to: error)
            return ABIStatus.status(for: ce.code)
        }
    }

    static let extensionCallback: @convention(c) (UnsafePointer<crosswalk_host_v1>?, UnsafePointer<CChar>?) -> UnsafeRawPointer? = { host, id in
        guard let id, let table = table(host) else { return nil }
        switch String(cString: id) {
        case CROSSWALK_EXT_STATE_V1 where table.context.services.state != nil: return UnsafeRawPointer(table.stateExtension)
        case CROSSWALK_EXT_IDMAP_V1 where table.context.services.idmap != nil: return UnsafeRawPointer(table.idmapExtension)
        default: return nil
        }
    }

    static let stateGet: @convention(c) (UnsafePointer<crosswalk_host_v1>?, UnsafePointer<CChar>?, UnsafeMutablePointer<crosswalk_buffer_v1>?) -> crosswalk_status = {
        host, key, out in
        guard let store = context(host)?.services.state, let key, ABIBuffers.fits(out) else { return CROSSWALK_E_INVALID_ARGUMENT }
        let k = String(cString: key)
        switch blocking({ try await store.get(k) }) {
        case .success(nil): return CROSSWALK_E_NOT_FOUND
        case .success(let data?):
            ABIBuffers.give(data, to: out)
            return CROSSWALK_OK
        case .failure(let e):
            ABIBuffers.giveError(CrosswalkError(.store, "\(e)"), to: out)
            return CROSSWALK_E_INTERNAL
        }
    }

    static let statePut: @convention(c) (UnsafePointer<crosswalk_host_v1>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?, Int) -> crosswalk_status = {
        host, key, value, len in
        guard let store = context(host)?.services.state, let key else { return CROSSWALK_E_INVALID_ARGUMENT }
        let k = String(cString: key)
        let data = value.map { Data(bytes: $0, count: len) } ?? Data()
        if case .failure = blocking({ try await store.put(k, data) }) { return CROSSWALK_E_INTERNAL }
        return CROSSWALK_OK
    }

    static let stateRemove: @convention(c) (UnsafePointer<crosswalk_host_v1>?, UnsafePointer<CChar>?) -> crosswalk_status = { host, key in
        guard let store = context(host)?.services.state, let key else { return CROSSWALK_E_INVALID_ARGUMENT }
        let k = String(cString: key)
        if case .failure = blocking({ try await store.remove(k) }) { return CROSSWALK_E_INTERNAL }
        return CROSSWALK_OK
    }

    static let idmapLookup: @convention(c) (UnsafePointer<crosswalk_host_v1>?, UnsafePointer<CChar>?, Int, UnsafeMutablePointer<crosswalk_buffer_v1>?) -> crosswalk_status = {
        host, request, len, out in
        guard let lookup = context(host)?.services.idmap, let request, ABIBuffers.fits(out) else { return CROSSWALK_E_INVALID_ARGUMENT }
        let data = Data(bytes: request, count: len)
        switch blocking({ try await lookup(data) }) {
        case .success(let result):
            ABIBuffers.give(result, to: out)
            return CROSSWALK_OK
        case .failure(let e):
            let ce = (e as? CrosswalkError) ?? CrosswalkError(.internalError, "\(e)")
            ABIBuffers.giveError(ce, to: out)
            return ABIStatus.status(for: ce.code)
        }
    }
}
