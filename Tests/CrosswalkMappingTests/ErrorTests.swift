import CrosswalkCore
import Testing
@testable import CrosswalkMapping

@Suite("Mapping errors point at line and column")
struct ErrorTests {
    /// `code@line:column` of a mapping's compile error, or "compiles".
    func at(_ text: String, context: CompileContext = .dynamic) -> String {
        MT.compileError(text, context: context).map { "\($0.code.rawValue)@\($0.line):\($0.column)" } ?? "compiles"
    }

    @Test func rendersLikeACompiler() throws {
        let e = try #require(MT.compileError("a = 1\nb = 2\nc = trim(x) + uper(y)"))
        #expect(e.description == #"mapping:3:15: unknown function "uper" (did you mean "upper"?)"#)
        #expect(e.code == .unknownFunction)
        #expect(e.crosswalkError.code == .config)
        #expect(e.crosswalkError.context["line"] == "3")
        let named = try #require(MT.compileError("x = (", context: CompileContext(sourceName: "flows.yaml", firstLine: 40)))
        #expect(named.description.hasPrefix("flows.yaml:40:6: "))
    }

    @Test func syntaxErrors() {
        #expect(at("a = ") == "syntax@1:5")
        #expect(at("a 1") == "syntax@1:3")
        #expect(at("a == 1") == "syntax@1:3")
        #expect(at("a = 1 2") == "syntax@1:7")
        #expect(at("a = (1 + 2") == "syntax@1:11")
        #expect(at("a = [1, 2") == "syntax@1:10")
        #expect(at("a = {\"k\" 1}") == "syntax@1:10")
        #expect(at("a = \"abc") == "syntax@1:5")
        #expect(at("a = 'x\\q'") == "syntax@1:7")
        #expect(at("a = \"\\u12\"") == "syntax@1:6")
        #expect(at("a = \"\\ud800\"") == "syntax@1:6")
        #expect(at("a = 1e") == "syntax@1:6")
        #expect(at("a = 12abc") == "syntax@1:7")
        #expect(at("a = b & c") == "syntax@1:7")
        #expect(at("a = b | c") == "syntax@1:7")
        #expect(at("a = b @ c") == "syntax@1:7")
        #expect(at("a = é") == "syntax@1:5")
        #expect(at("a = 1 < 2 < 3") == "syntax@1:11")
        #expect(at("a = b = c") == "syntax@1:7")
        #expect(at("a = x.") == "syntax@1:7")
        #expect(at("a = `unterminated") == "syntax@1:5")
        #expect(at("a = ``") == "syntax@1:5")
        #expect(at("a = x[0](1)") == "syntax@1:9")
        #expect(at("a = true ? 1") == "syntax@1:13")
        #expect(at("= 1") == "syntax@1:1")
        #expect(at("a = 1\n\n  b = (\n 1 +\n)") == "syntax@5:1")
        #expect(at("x = \"é\" + ") == "syntax@1:11")        // columns count characters, not bytes
        #expect(at("a = map(Items, 1, 2)") == "syntax@1:16")
        #expect(MT.criteriaError("")?.code == .syntax)
        #expect(MT.criteriaError("a == 1 b")?.column == 8)
    }

    @Test func messagesSayWhatIsExpected() throws {
        #expect(MT.compileError("a = (1 + 2")?.message == #"expected ")" to close "(", found end of text"#)
        #expect(MT.compileError("a == 1")?.message == #"write "=" to assign, not "==""#)
        #expect(MT.compileError("a = 1 < 2 < 3")?.message == "comparisons do not chain: join them with && (a < b && b < c)")
        #expect(MT.compileError("a = b & c")?.message == #""&" is not an operator (did you mean "&&"?)"#)
        #expect(MT.compileError("a = 1 +\n 2")?.message.contains("wrap long expressions in parentheses") == true)
    }

    @Test func semanticErrors() {
        let schema = MT.schemaContext
        #expect(at("a = Emial", context: schema) == "unknown_field@1:5")
        #expect(MT.compileError("a = Emial", context: schema)?.message == #"unknown field "Emial" (did you mean "Email"?)"#)
        #expect(MT.compileError("a = lastname", context: schema)?.message == #"unknown field "lastname" (did you mean "LastName"?)"#)
        #expect(MT.compileError("a = Zzzzzz", context: schema)?.message == #"unknown field "Zzzzzz""#)
        #expect(at("a = frobnicate(1)") == "unknown_function@1:5")
        #expect(at("a = trim(1, 2)") == "arity@1:5")
        #expect(MT.compileError("a = trim()")?.message == "trim takes 1 argument, not 0: trim(s)")
        #expect(MT.compileError("a = substring(\"x\")")?.message == "substring takes 2 to 3 arguments, not 1: substring(s, n, [n])")
        #expect(at("a = has(1)") == "type@1:9")
        #expect(at("a = 1\nb = 2\na = 3") == "duplicate_target@3:1")
        #expect(MT.compileError("a = 1\nb = 2\na = 3")?.message == "a is assigned twice (first on line 1)")
        #expect(at("a = 1\na.b = 2") == "duplicate_target@2:1")
        #expect(at("a.b = 1\na = 2") == "duplicate_target@2:1")
        #expect(at("a = 1 / 0") == "division_by_zero@1:9")
        #expect(at("a = lookup(Id, Type)") == "type@1:16")
        #expect(at("a = run_time(1)") == "arity@1:5")
        #expect(at("a = {\"k\": 1, \"k\": 2}") == "duplicate_target@1:14")
    }

    @Test func targetSchema() {
        let context = CompileContext(targetSchema: MT.contact)
        #expect(MT.compileError("LastName = 1\nFirstname = 2", context: context)?.description
            == #"mapping:2:1: unknown target field "Firstname" (did you mean "FirstName"?)"#)
        #expect(MT.compileError("MailingAddress.city = 1", context: context) == nil)
    }

    @Test func tooComplex() {
        let deep = String(repeating: "(", count: 200) + "1" + String(repeating: ")", count: 200)
        #expect(MT.compileError("a = \(deep)")?.code == .tooComplex)
        let long = "a = " + Array(repeating: "1", count: 500).joined(separator: " + ")
        #expect(MT.compileError(long)?.code == .tooComplex)
        let nots = "a = " + String(repeating: "!", count: 500) + "true"
        #expect(MT.compileError(nots)?.code == .tooComplex)
        let coalesce = "a = " + Array(repeating: "x", count: 500).joined(separator: " ?? ")
        #expect(MT.compileError(coalesce)?.code == .tooComplex)
        // Long && / || chains are flat, not deep.
        let chain = (0..<300).map { "S == \"\($0)\"" }.joined(separator: " || ")
        #expect(MT.criteriaError(chain) == nil)
        let small = CompileContext(limits: MappingLimits(maxSourceBytes: 10))
        #expect(MT.compileError("a = 12345678901", context: small)?.code == .tooComplex)
        let few = CompileContext(limits: MappingLimits(maxAssignments: 2))
        #expect(MT.compileError("a = 1\nb = 2\nc = 3", context: few).map { "\($0.code)@\($0.line)" } == "too_complex@3")
    }

    @Test func evaluationErrorsNameTheTargetAndPlace() throws {
        let program = try MappingProgram.compile("a = 1\nlastName = trim(LastName)")
        do {
            _ = try program.evaluate(record: ["LastName": 12])
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "mapping:2:12: lastName: trim: argument 1 must be a string, not the number 12")
            #expect(error.code == .typeMismatch)
            #expect(error.target == "lastName")
            #expect(error.crosswalkError.code == .invalidArgument)
        }
    }
}

