import CWorkerProcess
import CrosswalkCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// How a child process ended.
enum ChildExit: Sendable, Hashable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    /// "SIGSEGV", "exit status 3".
    var description: String {
        switch self {
        case .exited(let code): return "exit status \(code)"
        case .signaled(let signal): return Self.signalName(signal)
        }
    }

    static func signalName(_ signal: Int32) -> String {
        let names: [Int32: String] = [
            SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP", SIGABRT: "SIGABRT",
            SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV", SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM",
            SIGTERM: "SIGTERM", SIGSYS: "SIGSYS", SIGXCPU: "SIGXCPU", SIGXFSZ: "SIGXFSZ",
        ]
        return names[signal] ?? "signal \(signal)"
    }
}

/// A child process started with `posix_spawn`: the worker executable, its socket on standard
/// input, its standard output sent to the host's standard error (a plugin's `printf` must not mix
/// with the host's output), every other descriptor closed, Swift's backtracer off (it would spend
/// seconds on a plugin's crash), in a process group of its own.
final class ChildProcess: @unchecked Sendable {
    let pid: pid_t
    private let exitState = LockedValue<ChildExit?>(nil)

    /// Starts `command` with `arguments` after its own.
    /// - Parameters:
    ///   - stdin: the descriptor the child gets as 0 (a socket end).
    ///   - stdout: the descriptor the child gets as 1; `nil`: the host's standard error.
    init(_ command: WorkerCommand, arguments: [String], stdin: Int32, stdout: Int32? = nil) throws {
        let executable = Self.resolve(command.executable)
        // A child that was started as a worker but is spawning workers itself is a program that does not
        // serve `plugin-worker` and ran its own main again: refuse, or each child would start another.
        if ProcessInfo.processInfo.environment[Self.workerMarker] != nil {
            throw CrosswalkError(.internalError, "this process was started as a plugin worker (\(executable) \(command.arguments.joined(separator: " "))) "
                + "but starts workers itself: the program does not serve `plugin-worker` — call PluginWorker.main first, "
                + "or set CROSSWALK_PLUGIN_WORKER to a crosswalk executable")
        }
        let argv = [executable] + command.arguments + arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout ?? 2, 1)
        _ = cwp_spawn_closefrom(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGPIPE, SIGINT, SIGTERM, SIGCHLD] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        // Its own process group: a Ctrl-C at the terminal reaches the host, which shuts its workers
        // down; a worker still dies with the host (PR_SET_PDEATHSIG).
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        let cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        // Swift's backtracer would spend seconds on a plugin's crash before the worker dies.
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"
        environment[Self.workerMarker] = "1"
        let cEnv: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (cArgs + cEnv).forEach { free($0) } }
        // A worker asks for SIGKILL when its parent dies, and for Linux the parent is the *thread*
        // that started it: spawn from a thread that lives as long as the process.
        var pid = pid_t()
        let status: Int32 = withUnsafeMutablePointer(to: &pid) { pidPointer in
            withUnsafePointer(to: &actions) { actionsPointer in
                withUnsafePointer(to: &attributes) { attributesPointer in
                    let job = Unchecked((pidPointer, actionsPointer, attributesPointer))
                    let result = LockedValue<Int32>(-1)
                    let done = DispatchSemaphore(value: 0)
                    Self.spawner.enqueue {
                        let (p, a, t) = job.value
                        result.withLock { $0 = posix_spawn(p, executable, a, t, cArgs, cEnv) }
                        done.signal()
                    }
                    done.wait()
                    return result.withLock { $0 }
                }
            }
        }
        guard status == 0 else {
            throw CrosswalkError(.internalError, "cannot start the plugin worker \(executable): \(String(cString: strerror(status)))")
        }
        self.pid = pid
    }

    /// Set in every worker's environment (see `init`).
    static let workerMarker = "CROSSWALK_IS_PLUGIN_WORKER"

    /// The thread every child is spawned from (see `init`).
    private static let spawner = DedicatedThread(name: "plugin worker spawner")

    /// `/proc/self/exe`, resolved; when this executable is not `crosswalk` (a test runner, a
    /// benchmark) and a `crosswalk` sits beside it, that one.
    static func resolve(_ executable: String) -> String {
        guard executable == "/proc/self/exe" else { return executable }
        let me = URL(fileURLWithPath: executable).resolvingSymlinksInPath()
        guard me.lastPathComponent != "crosswalk" else { return me.path }
        // A test runner may sit inside `<bin>/…PackageTests.xctest/…`: look a few folders up.
        var folder = me.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("crosswalk")
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isFolder), !isFolder.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate.path }
            folder.deleteLastPathComponent()
        }
        return me.path
    }

    /// How the child ended, if it has (without waiting).
    func poll() -> ChildExit? {
        exitState.withLock { state in
            if let state { return state }
            var status: Int32 = 0
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { state = Self.decode(status) } else if r < 0 { state = .exited(-1) }
            return state
        }
    }

    /// Waits for the child to end, at most `timeout`, then kills it (SIGKILL) and waits.
    func wait(timeout: Duration = .seconds(2)) -> ChildExit {
        let end = ContinuousClock.now + timeout
        var pause: UInt32 = 200
        while ContinuousClock.now < end {
            if let exit = poll() { return exit }
            usleep(pause)
            pause = min(pause * 2, 20_000)
        }
        kill()
        return exitState.withLock { state in
            if let state { return state }
            var status: Int32 = 0
            let r = waitpid(pid, &status, 0)
            state = r == pid ? Self.decode(status) : .exited(-1)
            return state!
        }
    }

    /// SIGKILL (harmless once it has ended and been reaped: the pid is not reused before that).
    func kill() {
        exitState.withLock { state in
            if state == nil { _ = Glibc.kill(pid, SIGKILL) }
        }
    }

    private static func decode(_ status: Int32) -> ChildExit {
        // WIFEXITED / WTERMSIG are macros Swift does not import.
        let signal = status & 0x7f
        if signal == 0 { return .exited((status >> 8) & 0xff) }
        return .signaled(signal)
    }
}

/// A connected pair of stream sockets, close-on-exec (the child's end is handed over by dup2).
func makeSocketPair() throws -> (Int32, Int32) {
    var fds: [Int32] = [-1, -1]
    guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
        throw CrosswalkError(.internalError, "socketpair failed: \(String(cString: strerror(errno)))")
    }
    return (fds[0], fds[1])
}
