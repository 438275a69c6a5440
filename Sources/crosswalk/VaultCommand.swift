import ArgumentParser
import CrosswalkConfig
import CrosswalkCore
import CrosswalkRuntime
import Foundation

struct VaultCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vault",
        abstract: "Manage the key that encrypts stored credentials.",
        subcommands: [Init.self])

    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a new vault key: a key file (mode 0600) or, with --print, a key for CROSSWALK_VAULT_KEY.",
            discussion: "Keep the key apart from the database: whoever holds both can read every credential.")
        @Option(help: "Where to write the key (default: the config's vault.key_file).") var keyFile: String?
        @Flag(help: "Print a new base64 key instead of writing a file.") var print = false
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            if print {
                Swift.print(VaultKeys.newKeyBase64())
                return
            }
            var path = keyFile
            if path == nil, case .keyFile(let p) = try options.deployment().config.vault { path = p }
            guard let path else {
                throw ValidationError("the config keeps the key in an environment variable; use --print, or --key-file PATH")
            }
            try VaultKeys.writeNewKey(toFile: path)
            Swift.print("wrote a new vault key to \(path) (mode 0600)")
        }
    }
}
