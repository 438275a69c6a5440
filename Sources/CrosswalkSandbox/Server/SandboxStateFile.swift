import CrosswalkCore
import Foundation

extension CrosswalkError.Code {
    /// The sandbox state file could not be read or written.
    public static let sandboxState = CrosswalkError.Code("sandbox_state")
}

/// The `--state FILE` format: every app's `exportState()` bytes, base64-encoded, under its name.
///
/// ```json
/// {"format": "crosswalk-sandbox-state", "version": 1, "apps": {"salesforce": "eyJ2ZXJz…", "hubspot": "…"}}
/// ```
/// Base64 rather than nested JSON keeps loading fast: a nested export would have to be parsed and written
/// again before the app could import it (seconds for a large org). `base64 -d` shows an app's JSON.
enum SandboxStateFile {
    static let format = "crosswalk-sandbox-state"
    static let version = 1

    /// Reads the file into per-app state blobs; `nil` when it does not exist.
    static func load(_ url: URL) throws -> [String: Data]? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let context = ["file": url.path]
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw CrosswalkError(.sandboxState, "cannot read the sandbox state file: \(error.localizedDescription)", context: context)
        }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              root["format"] as? String == format, let apps = root["apps"] as? [String: Any] else {
            throw CrosswalkError(.sandboxState, "not a sandbox state file (expected {\"format\":\"\(format)\",…}); move it away or pick another --state path", context: context)
        }
        guard root["version"] as? Int == version else {
            throw CrosswalkError(.sandboxState, "sandbox state file version \(root["version"] ?? "?") is not supported (expected \(version))", context: context)
        }
        var result: [String: Data] = [:]
        for (name, value) in apps {
            guard let text = value as? String, let raw = Data(base64Encoded: text) else {
                throw CrosswalkError(.sandboxState, "the state file's \(name) part is not base64", context: context)
            }
            result[name] = raw
        }
        return result
    }

    /// Writes every app's state atomically.
    static func save(_ states: [String: Data], to url: URL) throws {
        let root: [String: Any] = ["format": format, "version": version, "apps": states.mapValues { $0.base64EncodedString() }]
        do {
            let data = try JSONSerialization.data(withJSONObject: root, options: [.sortedKeys])
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url, options: .atomic)
        } catch {
            throw CrosswalkError(.sandboxState, "cannot write the sandbox state file: \(error.localizedDescription)", context: ["file": url.path])
        }
    }
}
