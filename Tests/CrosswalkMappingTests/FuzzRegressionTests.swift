import CrosswalkCore
import Foundation
import Testing
@testable import CrosswalkMapping

/// Inputs the fuzzer (Tests/Fuzz/MappingFuzz) and its seeds exercise, replayed on every test run.
/// Two libFuzzer sessions (≈3.2 M and 2.4 M inputs, 17 minutes) found no crash; these are the
/// shapes most likely to trap a parser or an evaluator.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    /// Inputs in the fuzz target's format: flags byte (1 criteria, 2 schema, 4 plugins), text, NUL, JSON record.
    static let adversarial: [(String, [UInt8])] = [
        ("deep-parens", [0] + Array("a = ".utf8) + Array(repeating: UInt8(ascii: "("), count: 5000)),
        ("deep-brackets-criteria", [1] + Array(repeating: UInt8(ascii: "["), count: 5000)),
        ("deep-unary", [0] + Array("a = ".utf8) + Array(repeating: UInt8(ascii: "-"), count: 5000) + Array("1".utf8)),
        ("long-chain", [0] + Array(("a = " + Array(repeating: "x", count: 3000).joined(separator: ".")).utf8)),
        ("huge-exponents", [0] + Array("a = 1e999999999 + 1\nb = 1e-999999999 * 3\nc = round(1e99999999, 2)\nd = 1e400 / 3".utf8)),
        ("record-numbers", [0] + Array("a = A + 1\nb = A * A\nc = A % 7\nd = string(A)\ne = from_millis(A)".utf8) + [0]
            + Array(#"{"A": 1e400}"#.utf8)),
        ("int-edges", [0] + Array("a = -9223372036854775808 / -1\nb = -9223372036854775808 % -1\nc = -(-9223372036854775808)".utf8)),
        ("strings", [0] + Array(#"a = "\u{10FFFF}\uD83D\uDE00" + `x` + $["\u0000"]"#.utf8) + [0] + Array(#"{"\u0000": "nul"}"#.utf8)),
        ("invalid-utf8", [0, 0x61, 0x20, 0x3D, 0x20, 0x22, 0xFF, 0xFE, 0x22]),
        ("macro-steps", [0] + Array("a = map(L, x, map(L, y, map(L, z, x)))".utf8) + [0] + Array("{\"L\": [\(Array(repeating: "1", count: 200).joined(separator: ","))]}".utf8)),
        ("dates", [0] + Array(#"a = format_date("9999-12-31T23:59:59.999Z", "EEEE yy SSS a")\nb = add_days("0001-01-01", -1)\nc = parse_date("12/31/0000", "MM/dd/yyyy")"#.utf8)),
        ("criteria-pushdown", [3] + Array(#"!empty(LastName) && IsActive && !(Amount < 5) && Name in [1, "a", null]"#.utf8) + [0]
            + Array(#"{"LastName": [], "IsActive": "yes", "Amount": "x", "Name": {}}"#.utf8)),
        ("plugins", [4] + Array("a = test.twice(9223372036854775807)\nb = test.fails(1.5, true)\nc = salesforce.sf_id18(null)".utf8)),
        ("comment-only", [0] + Array("# just a comment\n\n\n".utf8)),
        ("empty", [1]),
    ]

    @Test func theReplayToolRunsTheCorpusAndTheAdversarialInputs() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mapping-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var paths: [String] = []
        for (name, bytes) in Self.adversarial {
            let url = folder.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            paths.append(url.path)
        }
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fuzz/MappingFuzz/corpus")
        let seeds = try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted()
        #expect(seeds.count >= 10)
        paths += seeds.map { corpus.appendingPathComponent($0).path }

        let process = Process()
        process.executableURL = try Self.replayTool()
        process.arguments = paths
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0, "\(output)")
        #expect(output.split(separator: "\n").filter { $0.hasPrefix("ok ") }.count == paths.count)
    }

    @Test func nestingIsRefusedNotRecursedInto() {
        let deep = "a = " + String(repeating: "[", count: 100_000)
        #expect(MT.compileError(deep)?.code == .tooComplex)
        #expect(MT.criteriaError(String(repeating: "!", count: 100_000) + "x")?.code == .tooComplex)
    }

    @Test func macroCostIsBoundedPerRecord() throws {
        let list: JSONValue = .array(Array(repeating: 1, count: 100))
        let e = MT.evalError("map(L, x, map(L, y, map(L, z, x)))", ["L": list])
        #expect(e?.code == .limitExceeded)
    }

    static func replayTool() throws -> URL {
        var folder = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("mapping-fuzz")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder.deleteLastPathComponent()
        }
        throw CrosswalkError(.notFound, "mapping-fuzz was not found near the test binary; build the package's products first")
    }
}
