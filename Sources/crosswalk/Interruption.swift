import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A one-shot command stopped by SIGTERM or SIGINT says so on standard error before it exits
/// (status 128 + the signal, as a shell reports it) instead of vanishing without a word. Plugin
/// workers die with the host (they ask for `PR_SET_PDEATHSIG`), so nothing is left running.
///
/// Long-running commands that stop gracefully on their own (`sandbox`, `plugin-worker`) do not
/// install it.
enum Interruption {
    private nonisolated(unsafe) static var sources: [any DispatchSourceSignal] = []

    /// Installs the handlers for `command` (the words of the command line that name it).
    static func report(for command: String) {
        for signo in [SIGTERM, SIGINT] {
            signal(signo, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signo, queue: .global())
            source.setEventHandler {
                let name = signo == SIGTERM ? "SIGTERM" : "SIGINT"
                FileHandle.standardError.write(Data("crosswalk \(command): stopped by \(name)\n".utf8))
                Foundation.exit(128 + signo)
            }
            source.resume()
            sources.append(source)
        }
    }

    /// The command's name from the arguments (`connections test`), without options and values.
    static func commandName(_ arguments: [String]) -> String {
        Array(arguments.prefix { !$0.hasPrefix("-") }.prefix(2)).joined(separator: " ")
    }
}
