import CrosswalkCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The frames host and worker exchange over their socket pair.
///
/// Layout (little-endian): `u32 length` of what follows, `u8 kind`, three zero bytes, `u64 id`,
/// `u32 instance`, `u32 meta length`, the meta (a small JSON object, may be empty), then the body:
/// the ABI's JSON bytes (a request, a result, an HTTP body), carried as they are.
///
/// Ids: the host numbers its requests (create, call, destroy, functions), the worker answers with
/// the same id; the worker numbers its host-service calls, the host answers with theirs.
struct WorkerFrame: Sendable {
    enum Kind: UInt8, Sendable {
        // host → worker
        case create = 1, call = 2, cancel = 3, destroy = 4, hostReply = 5, functions = 6
        // worker → host
        case ready = 20, loadFailed = 21, result = 22, hostCall = 23, log = 24
    }

    var kind: Kind
    var id: UInt64 = 0
    var instance: UInt32 = 0
    var meta: JSONValue = .null
    var body: Data = Data()

    static let headerSize = 24

    /// The frame's bytes, header and meta (the body is sent after it, unchanged).
    func header() -> [UInt8] {
        let metaBytes = meta.isNull ? [] : JSONWriter.bytes(meta)
        var out: [UInt8] = []
        out.reserveCapacity(Self.headerSize + metaBytes.count)
        let length = UInt32(Self.headerSize - 4 + metaBytes.count + body.count)
        func put<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        put(length)
        out.append(kind.rawValue)
        out.append(contentsOf: [0, 0, 0])
        put(id)
        put(instance)
        put(UInt32(metaBytes.count))
        out.append(contentsOf: metaBytes)
        return out
    }
}

/// Why a frame could not be read: the other side is gone or broke the protocol.
struct FrameError: Error, CustomStringConvertible {
    var description: String
}

/// Sends frames on a socket; safe from any thread (one frame at a time). Never raises SIGPIPE.
final class FrameWriter: @unchecked Sendable {
    let fd: Int32
    private let lock = NSLock()
    private var broken = false

    init(fd: Int32) { self.fd = fd }

    /// Sends `frame`; `false` once the socket is broken.
    @discardableResult
    func send(_ frame: WorkerFrame) -> Bool {
        let header = frame.header()
        lock.lock()
        defer { lock.unlock() }
        guard !broken else { return false }
        let ok = header.withUnsafeBytes { sendAll($0) } && frame.body.withUnsafeBytes { sendAll($0) }
        if !ok { broken = true }
        return ok
    }

    private func sendAll(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard var p = bytes.baseAddress else { return true }
        var left = bytes.count
        while left > 0 {
            let n = Glibc.send(fd, p, left, Int32(MSG_NOSIGNAL))
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            p += n
            left -= n
        }
        return true
    }
}

/// Reads frames from a socket on one thread, buffered (handed to that thread, never shared).
final class FrameReader: @unchecked Sendable {
    let fd: Int32
    /// The largest frame accepted: more means a broken (or hostile) peer.
    let maxFrame: Int
    private var buffer: [UInt8] = Array(repeating: 0, count: 1 << 16)
    private var start = 0
    private var end = 0

    init(fd: Int32, maxFrame: Int) {
        self.fd = fd
        self.maxFrame = maxFrame
    }

    /// The next frame; `nil` at the end of the stream (the peer closed or died).
    /// - Throws: `FrameError` for a malformed frame.
    func next() throws -> WorkerFrame? {
        guard let prefix = try read(4) else { return nil }
        let length = Int(UInt32(littleEndian: prefix.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }))
        guard length >= WorkerFrame.headerSize - 4, length <= maxFrame else {
            throw FrameError(description: "frame of \(length) bytes (at most \(maxFrame))")
        }
        guard let rest = try read(length) else { throw FrameError(description: "the stream ended inside a frame") }
        return try rest.withUnsafeBytes { raw -> WorkerFrame in
            guard let kind = WorkerFrame.Kind(rawValue: raw[0]) else { throw FrameError(description: "unknown frame kind \(raw[0])") }
            let id = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 4, as: UInt64.self))
            let instance = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 12, as: UInt32.self))
            let metaLength = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self)))
            let bodyStart = 20 + metaLength
            guard bodyStart <= raw.count else { throw FrameError(description: "meta longer than its frame") }
            var meta = JSONValue.null
            if metaLength > 0 {
                do { meta = try JSONParser.parse(UnsafeRawBufferPointer(rebasing: raw[20..<bodyStart])) } catch {
                    throw FrameError(description: "frame meta is not JSON (\(error))")
                }
            }
            let body = bodyStart < raw.count ? Data(UnsafeRawBufferPointer(rebasing: raw[bodyStart...])) : Data()
            return WorkerFrame(kind: kind, id: id, instance: instance, meta: meta, body: body)
        }
    }

    /// Exactly `count` bytes, or `nil` at a clean end of stream before the first byte.
    private func read(_ count: Int) throws -> Data? {
        var out = Data(capacity: count)
        while out.count < count {
            if start == end {
                // Large remainders go straight into the result.
                let want = count - out.count
                if want >= buffer.count {
                    var chunk = Data(count: want)
                    let n = chunk.withUnsafeMutableBytes { recvSome($0.baseAddress!, want) }
                    if n <= 0 {
                        if n == 0 && out.isEmpty { return nil }
                        throw FrameError(description: n == 0 ? "the stream ended inside a frame" : "read failed: \(String(cString: strerror(errno)))")
                    }
                    out.append(chunk.prefix(n))
                    continue
                }
                let n = buffer.withUnsafeMutableBytes { recvSome($0.baseAddress!, $0.count) }
                if n <= 0 {
                    if n == 0 && out.isEmpty { return nil }
                    throw FrameError(description: n == 0 ? "the stream ended inside a frame" : "read failed: \(String(cString: strerror(errno)))")
                }
                start = 0
                end = n
            }
            let take = min(end - start, count - out.count)
            buffer.withUnsafeBytes { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[start..<(start + take)])) }
            start += take
        }
        return out
    }

    private func recvSome(_ p: UnsafeMutableRawPointer, _ count: Int) -> Int {
        while true {
            let n = recv(fd, p, count, 0)
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == ECONNRESET || errno == EPIPE) { return 0 }
            return n
        }
    }
}
