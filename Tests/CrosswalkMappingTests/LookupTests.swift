import CrosswalkConnectors
import CrosswalkCore
import Testing
@testable import CrosswalkMapping

@Suite("ID-map lookups are batched per page")
struct LookupTests {
    @Test func keysOfAPageThenOneTable() throws {
        let program = try MappingProgram.compile("""
            company = lookup(AccountId)
            owner   = lookup(OwnerId, "employee", "User")
            name    = Name
            """)
        #expect(program.usesLookups)
        let page: [[String: JSONValue]] = [
            ["AccountId": "001A", "OwnerId": "005X", "Name": "a"],
            ["AccountId": "001B", "OwnerId": "005X", "Name": "b"],
            ["AccountId": "001A", "Name": "c"],
            ["AccountId": 17, "Name": "d"],
            ["AccountId": "", "Name": "e"],
        ]
        let keys = program.lookupKeys(for: page)
        #expect(keys == [
            LookupKey(id: "001A"), LookupKey(id: "001B"), LookupKey(id: "17"),
            LookupKey(sourceObject: "User", id: "005X", targetObject: "employee"),
        ])
        #expect(program.lookupKeys(for: page[0]) == [LookupKey(id: "001A"), LookupKey(sourceObject: "User", id: "005X", targetObject: "employee")])
        let table = LookupTable([LookupKey(id: "001A"): "9001", LookupKey(sourceObject: "User", id: "005X", targetObject: "employee"): "-5"])
        let env = EvaluationEnvironment(lookups: table)
        let first = try program.evaluate(record: page[0], environment: env)
        #expect(first.fields == ["company": "9001", "owner": "-5", "name": "a"])
        #expect(first.unresolvedLookups.isEmpty)
        let second = try program.evaluate(record: page[1], environment: env)
        #expect(second.fields["company"] == .null)
        #expect(second.unresolvedLookups == [LookupKey(id: "001B")])
        let third = try program.evaluate(record: page[2], environment: env)
        #expect(third.unresolvedLookups.isEmpty)    // a null id asks nothing
        #expect(third.fields["owner"] == .null)
    }

    @Test func theSchemaNamesTheSourceObject() throws {
        let program = try MappingProgram.compile("a = lookup(AccountId)\nb = lookup(WhatId)\nc = lookup(AccountId, \"customer\")",
                                                 context: MT.schemaContext)
        #expect(Set(program.lookupKeys(for: ["AccountId": "001", "WhatId": "006"])) == [
            LookupKey(sourceObject: "Account", id: "001"), LookupKey(id: "006"),   // polymorphic: no single object
            LookupKey(sourceObject: "Account", id: "001", targetObject: "customer"),
        ])
    }

    @Test func lookupsInsideBranchesAndMacros() throws {
        let program = try MappingProgram.compile("""
            a = Kind == "x" ? lookup(A) : "none"
            contacts = map(ContactIds, c, lookup(c, "contact"))
            """)
        let record: [String: JSONValue] = ["Kind": "y", "A": "1", "ContactIds": ["c1", "c2"]]
        // Every lookup's key, even in a branch not taken (over-asking is harmless), and in macros.
        #expect(Set(program.lookupKeys(for: record)) == [LookupKey(id: "1"), LookupKey(id: "c1", targetObject: "contact"),
                                                          LookupKey(id: "c2", targetObject: "contact")])
        let out = try program.evaluate(record: record, environment: EvaluationEnvironment(lookups: LookupTable([
            LookupKey(id: "c1", targetObject: "contact"): "501"])))
        #expect(out.fields["contacts"] == ["501", nil])
        #expect(out.unresolvedLookups == [LookupKey(id: "c2", targetObject: "contact")])
    }

    @Test func collectingDoesNoHarm() throws {
        // Collecting keys on a record that fails to evaluate still finds the keys it can.
        let program = try MappingProgram.compile("a = lookup(A)\nb = trim(B)")
        #expect(program.lookupKeys(for: ["A": "1", "B": 5]) == [LookupKey(id: "1")])
        #expect(MT.evalError("lookup(A)", ["A": [1]])?.code == .typeMismatch)
        let none = try MappingProgram.compile("a = A")
        #expect(none.lookupKeys(for: [["A": 1]]).isEmpty && !none.usesLookups)
    }

    @Test func criteriaLookups() throws {
        let c = try CriteriaProgram.compile(#"lookup(company, "Account") != null"#)
        #expect(c.lookupKeys(for: [["company": "17"], ["company": .null]]) == [LookupKey(id: "17", targetObject: "Account")])
        let outcome = try c.evaluate(record: ["company": "17"])
        #expect(!outcome.matched)
        #expect(outcome.unresolvedLookups == [LookupKey(id: "17", targetObject: "Account")])
        #expect(outcome.reason == #"lookup(company, "Account") is null (not synced yet: 17 → Account)"#)
        #expect(try c.matches(record: ["company": "17"], environment: EvaluationEnvironment(lookups: LookupTable([
            LookupKey(id: "17", targetObject: "Account"): "001X"]))))
        #expect(c.pushdown == Pushdown(filter: nil, exact: false))
    }
}

@Suite("Plugin functions")
struct PluginFunctionTests {
    static func provider() throws -> InMemoryFunctionProvider {
        var p = InMemoryFunctionProvider()
        try p.add(pluginID: "dev.crosswalk.salesforce", name: "sf_id18", signature: "string(string)") { args in
            guard let id = args[0].stringValue, id.count == 15 else { throw CrosswalkError(.invalidArgument, "not a 15-character id") }
            return .string(id + "AAA")
        }
        try p.add(pluginID: "dev.crosswalk.netsuite", name: "scale", signature: "double(double, int64, bool)") { args in
            args[2] == true ? .number(try JSONNumber(text: "\(args[0].doubleValue! * Double(args[1].int64Value!))")) : .null
        }
        try p.add(pluginID: "dev.crosswalk.hubspot", name: "sf_id18", signature: "string(string)") { _ in "hubspot" }
        try p.add(pluginID: "dev.crosswalk.hubspot", name: "bad", signature: "int64()") { _ in "not a number" }
        try p.add(pluginID: "dev.crosswalk.hubspot", name: "upper", signature: "string(string)") { _ in "plugin upper" }
        return p
    }

    @Test func qualifiedTailAndBareNames() throws {
        let context = CompileContext(functions: try Self.provider())
        #expect(try MT.value("salesforce.sf_id18(Id)", ["Id": "003000000000001"], context: context) == "003000000000001AAA")
        #expect(try MT.value("dev.crosswalk.salesforce.sf_id18(Id)", ["Id": "003000000000001"], context: context) == "003000000000001AAA")
        #expect(try MT.value("crosswalk.hubspot.sf_id18(\"x\")", context: context) == "hubspot")
        #expect(try MT.value("scale(1.5, 4, true)", context: context) == 6)
        #expect(try MT.value("scale(1.5, 4, Missing)", context: context) == .null)    // null skips the call
        #expect(try MT.value("upper(\"a\")", context: context) == "A")                 // built-ins win
        #expect(try MT.value("hubspot.upper(\"a\")", context: context) == "plugin upper")
    }

    @Test func compileChecksAgainstTheSignature() throws {
        let context = CompileContext(functions: try Self.provider())
        #expect(MT.compileError("x = sf_id18(Id)", context: context)?.code == .ambiguousFunction)
        #expect(MT.compileError("x = salesforce.sf_id18(Id, 2)", context: context)?.message
            == "dev.crosswalk.salesforce.sf_id18 takes 1 argument (string(string)), not 2")
        #expect(MT.compileError("x = scale(\"a\", 1, true)", context: context)?.message
            == #"dev.crosswalk.netsuite.scale: argument 1 must be a double; "a" is a string"#)
        #expect(MT.compileError("x = salesforce.sf_id81(Id)", context: context)?.message
            == #"unknown function "salesforce.sf_id81" (did you mean "salesforce.sf_id18"?)"#)
        #expect(MT.compileError("x = salesforce.sf_id81(Id)", context: context)?.code == .unknownFunction)
        #expect(MT.compileError("x = salesforce.sf_id18(Id)")?.code == .unknownFunction)
    }

    @Test func failuresAreReported() throws {
        let context = CompileContext(functions: try Self.provider())
        let e = MT.evalError("salesforce.sf_id18(Id)", ["Id": "short"], context: context)
        #expect(e?.code == .functionFailed)
        #expect(e?.message == "dev.crosswalk.salesforce.sf_id18 failed: not a 15-character id")
        #expect(MT.evalError("scale(1, 2.5, true)", context: context)?.code == .invalidValue)   // int64 needs a whole number
        #expect(MT.evalError("scale(1, A, true)", ["A": "2"], context: context)?.code == .typeMismatch)
        #expect(MT.evalError("hubspot.bad()", context: context)?.message == #"dev.crosswalk.hubspot.bad returned the string "not a number", not an int64"#)
    }
}
