import CWorkerProcess
import CrosswalkCore
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// The two jobs of `crosswalk plugin-worker` (a hidden subcommand: the host starts it, never a
/// user). The command line only parses arguments and calls these.
public enum PluginWorker {
    /// `plugin-worker --probe PATH…`: opens each file in turn, calls its entry, checks it, and
    /// writes one JSON line per step on standard output: `{"path":…,"phase":"dlopen"|"entry"|
    /// "extensions"}` before each step, `{"path":…,"log":…,"level":…}` for the plugin's log lines,
    /// then `{"path":…,"ok":true,"plugin":{descriptor and manifest}}` or
    /// `{"path":…,"ok":false,"reason":…}`, and `{"done":true}` at the end. The plugin's own
    /// standard output goes to standard error. A file that crashes the probe ends it; the host
    /// probes the rest again.
    /// - Returns: the exit status (0).
    public static func probe(paths: [String]) -> Int32 {
        _ = cwp_set_parent_death_signal(SIGKILL)
        let out = dup(1)
        dup2(2, 1)
        let lock = NSLock()
        @Sendable func emit(_ value: JSONValue) {
            var bytes = JSONWriter.bytes(value, sortedKeys: true)
            bytes.append(0x0A)
            lock.withLock {
                bytes.withUnsafeBytes { raw in
                    var p = raw.baseAddress!, left = raw.count
                    while left > 0 {
                        let n = write(out, p, left)
                        if n <= 0 { if errno == EINTR { continue }; return }
                        p += n
                        left -= n
                    }
                }
            }
        }
        for path in paths {
            do {
                let library = try OpenedLibrary.open(path: path, phase: { emit(["path": .string(path), "phase": .string($0.rawValue)]) },
                                                     log: { level, text in emit(["path": .string(path), "log": .string(text), "level": .string(level.rawValue)]) })
                emit(["path": .string(path), "ok": true, "plugin": library.info.json])
            } catch let refusal as PluginRefusal {
                emit(["path": .string(path), "ok": false, "reason": .string(refusal.reason)])
            } catch {
                emit(["path": .string(path), "ok": false, "reason": .string("\(error)")])
            }
        }
        emit(["done": true])
        return 0
    }

    /// Runs the worker for a program that embeds the host without ArgumentParser: call it first
    /// thing when `CommandLine.arguments[1] == "plugin-worker"`, and pass
    /// `WorkerCommand(executable: <that program>)` to the host's configuration.
    /// - Parameter arguments: what follows `plugin-worker` (`--probe PATH…` or `--serve PATH …`).
    /// - Returns: the exit status (2 for arguments it does not understand).
    public static func main(arguments: [String]) -> Int32 {
        var paths: [String] = [], serve: String?, probe = false, max = PluginHostConfiguration.defaultMaxResultBytes
        var parent: Int32?
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            func value() -> String? { i + 1 < arguments.count ? arguments[i + 1] : nil }
            switch a {
            case "--probe": probe = true
            case "--serve": serve = value(); i += 1
            case "--max-result-bytes": max = value().flatMap { Int($0) } ?? max; i += 1
            case "--parent": parent = value().flatMap { Int32($0) }; i += 1
            default: paths.append(a)
            }
            i += 1
        }
        if let serve, !probe { return self.serve(path: serve, maxResultBytes: max, parent: parent) }
        if probe, serve == nil { return self.probe(paths: paths) }
        FileHandle.standardError.write(Data("plugin-worker: give exactly one of --probe PATH… or --serve PATH\n".utf8))
        return 2
    }

    /// `plugin-worker --serve PATH --max-result-bytes N --parent PID`: serves one plugin to the
    /// host over the socket on standard input (see ``WorkerFrame``) until the host closes it. The
    /// worker dies with its parent (PR_SET_PDEATHSIG).
    /// - Returns: the exit status: 0 when the host closed the socket, 3 when the plugin did not load.
    public static func serve(path: String, maxResultBytes: Int, parent: Int32?) -> Int32 {
        _ = cwp_set_parent_death_signal(SIGKILL)
        if let parent, getppid() != parent { return 0 }
        signal(SIGPIPE, SIG_IGN)
        let writer = FrameWriter(fd: 0)
        let library: OpenedLibrary
        do {
            library = try OpenedLibrary.open(path: path, log: { level, text in
                writer.send(WorkerFrame(kind: .log, meta: ["level": .string(level.rawValue)], body: Data(text.utf8)))
            })
        } catch {
            let reason = (error as? PluginRefusal)?.reason ?? "\(error)"
            writer.send(WorkerFrame(kind: .loadFailed, meta: ["reason": .string(reason)]))
            return 3
        }
        writer.send(WorkerFrame(kind: .ready, meta: library.info.json))
        let server = WorkerServer(writer: writer, library: library, maxResultBytes: maxResultBytes)
        // The host is trusted: its requests (a large write batch, an HTTP response body) are not capped here.
        server.run(reader: FrameReader(fd: 0, maxFrame: Int(Int32.max)))
        return 0
    }
}
