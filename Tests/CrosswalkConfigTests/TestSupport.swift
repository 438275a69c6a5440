import CrosswalkConfig
import Foundation

/// The folder that `parse` and `issues` resolve relative paths against.
let testBase = "/srv/crosswalk"

/// Parses `yaml` as `crosswalk.yaml` in ``testBase``.
func parse(_ yaml: String) throws -> DeploymentConfig {
    try DeploymentConfig.parse(yaml: yaml, file: "crosswalk.yaml", baseDirectory: testBase)
}

/// The problem lines `yaml` gives as `crosswalk.yaml`, or `[]` if it is valid.
func issues(_ yaml: String) -> [String] {
    switch DeploymentConfig.validate(yaml: yaml, file: "crosswalk.yaml", baseDirectory: testBase) {
    case .success: return []
    case .failure(let errors): return errors.issues.map(\.description)
    }
}

/// A fresh temporary folder, removed after `body`.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cw-config-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    return try body(dir)
}
