import CrosswalkCore
import Foundation

/// Runs blocking work on a thread of its own, keeping the cooperative pool free.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

/// Waits until `descriptor` is readable; throws `.timeout` past `deadline`.
private func waitReadable(_ descriptor: Int32, deadline: ContinuousClock.Instant) throws {
    while true {
        let left = deadline - .now
        guard left > .zero else { throw CrosswalkError(.timeout, "nothing to read in time") }
        var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let milliseconds = left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000
        if poll(&request, 1, Int32(clamping: max(milliseconds, 1))) > 0 { return }
    }
}

/// Reads lines from a pipe, waiting for each up to a deadline.
struct LineReader {
    let fileDescriptor: Int32
    private var pending: [UInt8] = []

    init(fileDescriptor: Int32) { self.fileDescriptor = fileDescriptor }

    /// The next line without its newline; `nil` at end of file.
    mutating func next(deadline: ContinuousClock.Instant) throws -> String? {
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                return line
            }
            try waitReadable(fileDescriptor, deadline: deadline)
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = read(fileDescriptor, &chunk, chunk.count)
            if count == 0 { return nil }
            if count < 0 {
                if errno == EINTR { continue }
                throw CrosswalkError(.internalError, "reading a pipe failed: errno \(errno)")
            }
            pending += chunk[..<count]
        }
    }
}

/// Tells when a file in a folder is written to (Linux inotify), without polling the file.
final class FileModificationWatcher {
    private let descriptor: Int32

    init(folder: String) throws {
        descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0, inotify_add_watch(descriptor, folder, UInt32(IN_MODIFY)) >= 0 else {
            throw CrosswalkError(.internalError, "watching \(folder) failed: errno \(errno)")
        }
    }

    deinit { close(descriptor) }

    /// Forgets the writes seen so far.
    func discardPending() throws {
        _ = try readEvents()
    }

    /// Waits until the file `name` in the folder has been written to, seen `times` times one
    /// after another (the kernel merges writes that come before the previous one is read, so this
    /// means at least `times` writes).
    func waitForWrites(to name: String, times: Int, deadline: ContinuousClock.Instant) throws {
        var seen = 0
        while seen < times {
            try waitReadable(descriptor, deadline: deadline)
            if try readEvents().contains(name) { seen += 1 }
        }
    }

    /// The names of the files written since the last read; empty when there are none.
    private func readEvents() throws -> [String] {
        var names: [String] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            if count < 0 {
                if errno == EAGAIN { return names }
                if errno == EINTR { continue }
                throw CrosswalkError(.internalError, "reading inotify events failed: errno \(errno)")
            }
            var offset = 0
            while offset < count {
                let (nameLength, name) = buffer.withUnsafeBytes { bytes -> (Int, String) in
                    let event = bytes.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    let start = offset + MemoryLayout<inotify_event>.size
                    let raw = bytes[start..<(start + Int(event.len))].prefix { $0 != 0 }
                    return (Int(event.len), String(decoding: raw, as: UTF8.self))
                }
                names.append(name)
                offset += MemoryLayout<inotify_event>.size + nameLength
            }
        }
    }
}
