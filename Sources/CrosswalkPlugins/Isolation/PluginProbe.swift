import CrosswalkCore
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Runs plugins' entries in a child (`plugin-worker --probe PATH…`) before the host trusts them:
/// a file whose entry crashes or hangs is refused with one line naming the step and the signal
/// (or the time limit), and the files after it are probed again in a fresh child.
struct PluginProbe {
    let configuration: PluginHostConfiguration
    let logger: Logger

    /// The outcome for each path.
    func run(_ paths: [String]) -> [String: Result<PluginInfo, PluginRefusal>] {
        var results: [String: Result<PluginInfo, PluginRefusal>] = [:]
        var remaining = paths
        while !remaining.isEmpty {
            let round = probeOnce(remaining)
            for (path, outcome) in round.results { results[path] = outcome }
            if let stopped = round.stoppedAt {
                results[stopped.path] = .failure(PluginRefusal(path: stopped.path, reason: stopped.reason))
            }
            let done = Set(results.keys)
            let next = remaining.filter { !done.contains($0) }
            if next.count == remaining.count {
                // No progress (the worker itself cannot run): refuse what is left with the reason.
                let reason = round.failure ?? "the probe ended without reporting"
                for path in next { results[path] = .failure(PluginRefusal(path: path, reason: reason)) }
                break
            }
            remaining = next
        }
        return results
    }

    private struct Round {
        var results: [String: Result<PluginInfo, PluginRefusal>] = [:]
        /// The file the child was in when it died or hung, and why it is refused.
        var stoppedAt: (path: String, reason: String)?
        /// Why the child could not probe anything.
        var failure: String?
    }

    private func probeOnce(_ paths: [String]) -> Round {
        var round = Round()
        let pair: (Int32, Int32)
        let child: ChildProcess
        do {
            pair = try makeSocketPair()
            let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
            defer { close(null); close(pair.1) }
            child = try ChildProcess(configuration.worker, arguments: ["--probe"] + paths, stdin: null, stdout: pair.1)
        } catch {
            round.failure = (error as? CrosswalkError)?.message ?? "\(error)"
            return round
        }
        let fd = pair.0
        defer { close(fd) }
        var reader = LineReader(fd: fd)
        var current: (path: String, phase: OpenedLibrary.Phase)?
        // Starting the worker itself may take a moment on a busy machine; each step then gets the limit.
        var stepEnd = ContinuousClock.now + configuration.probeTimeout + .seconds(20)
        while true {
            switch reader.next(until: stepEnd) {
            case .line(let text):
                guard let event = try? JSONParser.parse(Data(text.utf8)) else { continue }
                if event["done"]?.boolValue == true {
                    _ = child.wait()
                    return round
                }
                guard let path = event["path"]?.stringValue else { continue }
                if let phase = event["phase"]?.stringValue.flatMap(OpenedLibrary.Phase.init(rawValue:)) {
                    current = (path, phase)
                    stepEnd = ContinuousClock.now + configuration.probeTimeout
                } else if let message = event["log"]?.stringValue {
                    var logger = self.logger
                    logger[metadataKey: "plugin_file"] = "\(path)"
                    logger.log(level: Logger.Level(rawValue: event["level"]?.stringValue ?? "info") ?? .info, "\(message)")
                } else if event["ok"]?.boolValue == true, let info = event["plugin"].flatMap(PluginInfo.init(json:)) {
                    round.results[path] = .success(info)
                    current = nil
                } else if event["ok"]?.boolValue == false {
                    round.results[path] = .failure(PluginRefusal(path: path, reason: event["reason"]?.stringValue ?? "refused"))
                    current = nil
                }
            case .end:
                let exit = child.wait()
                if let current {
                    round.stoppedAt = (current.path, "crashed \(current.phase.spoken) (\(exit))")
                } else {
                    round.failure = "the plugin worker (\(ChildProcess.resolve(configuration.worker.executable))) ended (\(exit)) before probing"
                }
                return round
            case .timeout:
                child.kill()
                _ = child.wait()
                if let current {
                    let step = current.phase == .entry ? "crosswalk_plugin_entry" : current.phase == .dlopen ? "loading the library (dlopen)" : "get_extension"
                    round.stoppedAt = (current.path, "\(step) did not return within \(configuration.probeTimeout.spoken)")
                } else {
                    round.failure = "the plugin worker did not start within \((configuration.probeTimeout + .seconds(20)).spoken)"
                }
                return round
            }
        }
    }
}

/// Lines from a descriptor, with a time limit on each wait.
struct LineReader {
    let fd: Int32
    private var buffer: [UInt8] = []
    private var ended = false

    init(fd: Int32) { self.fd = fd }

    enum Event { case line(String), end, timeout }

    mutating func next(until end: ContinuousClock.Instant) -> Event {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return .line(line)
            }
            if ended { return .end }
            let left = ContinuousClock.now.duration(to: end)
            if left <= .zero { return .timeout }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let r = poll(&p, 1, Int32(clamping: max(1, left.milliseconds)))
            if r < 0 && errno == EINTR { continue }
            if r == 0 { continue }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = read(fd, &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { ended = true; continue }
            buffer.append(contentsOf: chunk[..<n])
        }
    }
}
