import CCurl
import CrosswalkCore
import Foundation
import Synchronization

/// Runs every transfer of one ``CurlTransport`` on one thread it owns, through a libcurl multi handle.
///
/// Other threads only append to the inbox and call `curl_multi_wakeup` (which libcurl allows
/// from any thread); the multi handle, its easy handles and the active transfers belong to the
/// loop thread. The multi handle keeps the connection cache, so connections are reused across
/// requests and HTTP/2 streams are multiplexed on one connection.
///
/// Why one thread and a multi handle rather than a pool of threads each blocking in
/// `curl_easy_perform`: requests in flight are not bounded by a thread count (a slow 30-second
/// export does not hold a worker), HTTP/2 multiplexing only exists in the multi interface, and
/// one connection cache serves every request of the pool. The per-request cost of the two hops
/// (task → loop thread → task) is the same in both designs.
final class CurlEventLoop: @unchecked Sendable {
    private enum State { case idle, running, stopping, stopped }

    private struct Inbox {
        var state = State.idle
        var submitted: [CurlTransfer] = []
        var cancelled: [CurlTransfer] = []
    }

    private let configuration: CurlTransportConfiguration
    private let multi: UnsafeMutableRawPointer
    private let inbox = Mutex(Inbox())
    // Loop thread only:
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    private var idleHandles: [UnsafeMutableRawPointer] = []

    init(configuration: CurlTransportConfiguration) throws {
        _ = curlGlobalInit
        guard let multi = curl_multi_init() else {
            throw CrosswalkError(.internalError, "libcurl could not create a multi handle (out of memory?).")
        }
        self.configuration = configuration
        self.multi = multi
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, configuration.maxIdleConnections)
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, configuration.maxConnectionsPerHost)
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
    }

    /// Hands `transfer` to the loop thread, starting that thread on first use. Any thread.
    func submit(_ transfer: CurlTransfer) {
        let accepted = inbox.withLock { inbox -> Bool in
            switch inbox.state {
            case .stopping, .stopped: return false
            case .idle:
                inbox.state = .running
                let thread = Thread { [self] in run() }
                thread.name = "crosswalk-curl"
                thread.start()
            case .running: break
            }
            inbox.submitted.append(transfer)
            curl_multi_wakeup(multi)
            return true
        }
        if !accepted { transfer.continuation?.resume(throwing: CrosswalkError.transportShutDown) }
    }

    /// Asks the loop to abandon `transfer`; its continuation gets a `CancellationError`. Any thread.
    func cancel(_ transfer: CurlTransfer) {
        transfer.cancelled.store(true, ordering: .sequentiallyConsistent)
        inbox.withLock { inbox in
            guard inbox.state == .running else { return }
            inbox.cancelled.append(transfer)
            curl_multi_wakeup(multi)
        }
    }

    /// Fails every pending transfer and ends the loop thread. Any thread; idempotent.
    func stop() {
        let neverStarted = inbox.withLock { inbox -> Bool in
            switch inbox.state {
            case .idle: inbox.state = .stopped; return true
            case .running: inbox.state = .stopping; curl_multi_wakeup(multi); return false
            case .stopping, .stopped: return false
            }
        }
        if neverStarted { curl_multi_cleanup(multi) }
    }

    // MARK: Loop thread

    private func run() {
        while true {
            let (submitted, cancelled, stopping) = inbox.withLock { inbox in
                defer { inbox.submitted = []; inbox.cancelled = [] }
                return (inbox.submitted, inbox.cancelled, inbox.state == .stopping)
            }
            if stopping {
                for transfer in submitted { transfer.continuation?.resume(throwing: CrosswalkError.transportShutDown) }
                shutDown()
                return
            }
            for transfer in submitted { start(transfer) }
            for transfer in cancelled { abandon(transfer) }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            collectFinished()
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
    }

    private func start(_ transfer: CurlTransfer) {
        if transfer.cancelled.load(ordering: .sequentiallyConsistent) {
            transfer.continuation?.resume(throwing: CancellationError())
            return
        }
        guard let handle = idleHandles.popLast() ?? curl_easy_init() else {
            transfer.continuation?.resume(throwing: CrosswalkError(.internalError, "libcurl could not create an easy handle (out of memory?)."))
            return
        }
        let code = transfer.configure(handle, configuration)
        guard code == CURLE_OK else {
            recycle(handle)
            transfer.continuation?.resume(throwing: CrosswalkError.curl(code, detail: "", url: transfer.request.url))
            return
        }
        active[handle] = transfer
        curl_multi_add_handle(multi, handle)
    }

    private func abandon(_ transfer: CurlTransfer) {
        guard let handle = active.first(where: { $0.value === transfer })?.key else { return }
        finish(handle, with: .failure(CancellationError()))
    }

    private func collectFinished() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                  let transfer = active[handle] else { continue }
            finish(handle, with: transfer.result(of: handle, code: ccurl_msg_result(message)))
        }
    }

    private func finish(_ handle: UnsafeMutableRawPointer, with result: Result<HTTPResponse, any Error>) {
        guard let transfer = active.removeValue(forKey: handle) else { return }
        curl_multi_remove_handle(multi, handle)
        recycle(handle)
        transfer.continuation?.resume(with: result)
    }

    private func recycle(_ handle: UnsafeMutableRawPointer) {
        guard idleHandles.count < configuration.maxIdleConnections else { return curl_easy_cleanup(handle) }
        curl_easy_reset(handle)
        idleHandles.append(handle)
    }

    private func shutDown() {
        for handle in Array(active.keys) { finish(handle, with: .failure(CrosswalkError.transportShutDown)) }
        for handle in idleHandles { curl_easy_cleanup(handle) }
        idleHandles = []
        inbox.withLock { $0.state = .stopped }
        curl_multi_cleanup(multi)
    }
}

/// `curl_global_init`, run once per process before the first multi handle (Swift globals initialise once, thread-safely).
private let curlGlobalInit: Void = { _ = ccurl_global_init() }()
