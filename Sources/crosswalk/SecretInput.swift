#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Reads a secret from standard input: at a terminal with echo off (the prompt on standard error),
/// otherwise the whole input.
enum SecretInput {
    static func read(prompt: String) -> Data {
        guard isatty(STDIN_FILENO) == 1 else { return trimmed(FileHandle.standardInput.readDataToEndOfFile()) }
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        let haveTerminal = tcgetattr(STDIN_FILENO, &saved) == 0
        if haveTerminal {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        }
        let line = readLine(strippingNewline: true) ?? ""
        if haveTerminal { _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved) }
        FileHandle.standardError.write(Data("\n".utf8))
        return Data(line.utf8)
    }

    /// The bytes without one trailing newline (`\n` or `\r\n`).
    static func trimmed(_ data: Data) -> Data {
        var data = data
        if data.last == UInt8(ascii: "\n") { data.removeLast() }
        if data.last == UInt8(ascii: "\r") { data.removeLast() }
        return data
    }
}
