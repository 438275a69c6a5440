import CrosswalkCore
import Testing
@testable import CrosswalkMapping

@Suite("Evaluation is bounded")
struct LimitTests {
    let small = CompileContext(limits: MappingLimits(maxStringBytes: 100, maxListCount: 10, maxSteps: 50))

    @Test func stringsListsAndSteps() throws {
        let long: JSONValue = .string(String(repeating: "a", count: 60))
        #expect(MT.evalError("A + A", ["A": long], context: small)?.code == .limitExceeded)
        #expect(MT.evalError("pad_left(\"x\", 1000000000000)", context: small)?.code == .limitExceeded)
        #expect(MT.evalError("replace(A, \"a\", \"bbbb\")", ["A": long], context: small)?.code == .limitExceeded)
        #expect(MT.evalError("split(A, \"\")", ["A": long], context: small)?.code == .limitExceeded)
        #expect(MT.evalError("L + L", ["L": .array(Array(repeating: 1, count: 6))], context: small)?.code == .limitExceeded)
        let list: JSONValue = .array(Array(repeating: 1, count: 10))
        // 10 × 10 iterations exceed 50 steps.
        let e = MT.evalError("map(L, x, map(L, y, x + y))", ["L": list], context: small)
        #expect(e?.code == .limitExceeded)
        #expect(e?.message == "the evaluation took more than 50 steps")
        #expect(try MT.value("size(map(L, x, x))", ["L": list], context: small) == 10)
        // Input strings may be longer than the limit; only what is built is bounded.
        #expect(try MT.value("len(A)", ["A": .string(String(repeating: "b", count: 1000))], context: small) == 1000)
    }

    @Test func stepsStartAfreshPerRecord() throws {
        let program = try MappingProgram.compile("x = size(map(L, v, v))", context: small)
        let record: [String: JSONValue] = ["L": .array(Array(repeating: 1, count: 30))]
        for _ in 0..<5 { #expect(try program.evaluate(record: record).fields["x"] == 30) }
    }

    @Test func hugeIndexesAndCountsDoNotTrap() throws {
        #expect(try MT.value("left(\"abc\", 99999999999999999999999)") == "abc")
        #expect(try MT.value("substring(\"abc\", -99999999999999999999, 2)") == "ab")
        #expect(try MT.value("L[99999999999999999999]", ["L": [1]]) == .null)
        #expect(try MT.value("L[-9223372036854775808]", ["L": [1]]) == .null)
        #expect(MT.evalError("add_days(\"2026-01-01\", 9223372036854775807)")?.code == .invalidValue)
        #expect(MT.evalError("round(1.5, 99999999999)")?.code == .invalidValue)
    }
}
