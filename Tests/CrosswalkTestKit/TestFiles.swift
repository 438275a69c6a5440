import Foundation

/// Files and folders the tests share: temporary folders and SwiftPM's bin folder.
public enum TestFiles {
    /// The repository root (this file is Tests/CrosswalkTestKit/TestFiles.swift).
    public static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// SwiftPM's bin folder: the test runner lives there, beside the plugins and `crosswalk`.
    public static let binFolder: URL = {
        var dir = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        // The runner may be inside `<bin>/crosswalkPackageTests.xctest/…`.
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("crosswalk").path), dir.path != "/" {
            dir.deleteLastPathComponent()
        }
        return dir
    }()

    /// A built plugin's path: `lib<product>.so` in the bin folder.
    public static func builtPlugin(_ product: String) -> String { binFolder.appendingPathComponent("lib\(product).so").path }

    /// A fresh temporary folder.
    public static func temporaryFolder(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("crosswalk-tests-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
