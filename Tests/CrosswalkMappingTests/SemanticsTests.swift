import CrosswalkConnectors
import CrosswalkCore
import Testing
@testable import CrosswalkMapping

@Suite("Null semantics")
struct NullSemanticsTests {
    @Test func missingFieldsAreNullAndNullPropagates() throws {
        #expect(try MT.value("Missing") == .null)
        #expect(try MT.value("trim(Missing)") == .null)
        #expect(try MT.value("Missing + \"x\"") == .null)
        #expect(try MT.value("Missing * 2") == .null)
        #expect(try MT.value("-Missing") == .null)
        #expect(try MT.value("upper(left(Missing, 3))") == .null)
        #expect(try MT.value("left(\"abc\", Missing)") == .null)
        #expect(try MT.value("Missing.a.b[0]") == .null)
    }

    @Test func comparisonsWithNull() throws {
        #expect(try MT.value("Missing == null") == true)
        #expect(try MT.value("Missing != \"\"") == true)
        #expect(try MT.value("Missing == \"\"") == false)
        #expect(try MT.value("Missing < 5") == false)
        #expect(try MT.value("Missing >= 5") == false)
        #expect(try MT.value("!(Missing < 5)") == true)
        #expect(try MT.value("Missing in [1, null]") == true)
        #expect(try MT.value("1 in Missing") == false)
        #expect(try MT.value("N == null", ["N": .null]) == true)
    }

    @Test func nullIsFalseInConditions() throws {
        #expect(try MT.value("Missing && true") == false)
        #expect(try MT.value("Missing || true") == true)
        #expect(try MT.value("!Missing") == true)
        #expect(try MT.value("Missing ? 1 : 2") == 2)
        let c = try CriteriaProgram.compile("Flag")
        #expect(try !c.matches(record: [:]))
        #expect(try c.matches(record: ["Flag": true]))
    }

    @Test func coalesceDefaultHasEmpty() throws {
        #expect(try MT.value("A ?? \"d\"") == "d")
        #expect(try MT.value("A ?? \"d\"", ["A": ""]) == "")          // only null is replaced
        #expect(try MT.value("default(A, 3)") == 3)
        #expect(try MT.value("default(A, 3)", ["A": 0]) == 0)
        #expect(try MT.value("has(A)", ["A": .null]) == true)
        #expect(try MT.value("has(A)") == false)
        #expect(try MT.value("has(Addr.city)", ["Addr": ["city": .null]]) == true)
        #expect(try MT.value("has(Addr.zip)", ["Addr": ["city": "x"]]) == false)
        #expect(try MT.value("has($[\"x y\"])", ["x y": 1]) == true)
        #expect(try MT.value("has($.A)", ["A": 1]) == true)
        for (v, empty) in [(JSONValue.null, true), ("", true), ([], true), ([:], true), (" ", false), (0, false), (false, false)] {
            #expect(try MT.value("empty(A)", ["A": v]) == .bool(empty))
        }
        // ?? evaluates its right side only when needed.
        #expect(try MT.value("A ?? (1 / Zero)", ["A": 1, "Zero": 0]) == 1)
        #expect(try MT.value("true || (1 / Zero > 0)", ["Zero": 0]) == true)
        #expect(try MT.value("A ? 1 : (1 / Zero)", ["A": true, "Zero": 0]) == 1)
    }

    @Test func dynamicTypeErrorsAtEvaluation() {
        #expect(MT.evalError("A + 1", ["A": "x"])?.message == #"cannot add the string "x" and the number 1 (convert with string(…))"#)
        #expect(MT.evalError("A.b", ["A": "x"])?.code == .typeMismatch)
        #expect(MT.evalError("A && true", ["A": "yes"])?.message == #"an operand of && must be a boolean, not the string "yes""#)
        #expect(MT.evalError("A[\"k\"]", ["A": 3])?.code == .typeMismatch)
        #expect(MT.evalError("A[1.5]", ["A": [1, 2]])?.code == .invalidValue)
        #expect(MT.evalError("1 in A", ["A": "abc"])?.code == .typeMismatch)
        #expect(MT.evalError("A < 3", ["A": "2"]) == nil)       // ordering of different types is false, not an error
    }
}

@Suite("Exact arithmetic")
struct ArithmeticTests {
    @Test func decimalsAreExact() throws {
        #expect(try MT.value("1234567890123.45 + 0.01") == MT.number("1234567890123.46"))
        #expect(try MT.value("0.1 + 0.2") == MT.number("0.3"))
        #expect(try MT.value("0.1 + 0.2 == 0.3") == true)
        #expect(try MT.value("A + B", ["A": MT.number("1234567890123.45"), "B": MT.number("0.01")]) == MT.number("1234567890123.46"))
        #expect(try MT.value("19.99 * 3") == MT.number("59.97"))
        #expect(try MT.value("1.10 - 1.1") == 0)
        #expect(try MT.value("100 / 8") == MT.number("12.5"))
        #expect(try MT.value("10 / 4") == MT.number("2.5"))
        #expect(try MT.value("1 / 3") == MT.number("0.3333333333333333333333333333333333"))
        #expect(try MT.value("2 / 3") == MT.number("0.6666666666666666666666666666666667"))
        #expect(try MT.value("-7 % 3") == -1)
        #expect(try MT.value("7.5 % 2") == MT.number("1.5"))
        #expect(try MT.value("1 == 1.0") == true)
        #expect(try MT.value("1.5e3 + 1") == 1501)
    }

    @Test func bigNumbersNeverWrapOrTrap() throws {
        #expect(try MT.value("9223372036854775807 + 1") == MT.number("9223372036854775808"))
        #expect(try MT.value("-9223372036854775808 - 1") == MT.number("-9223372036854775809"))
        #expect(try MT.value("9223372036854775807 * 9223372036854775807") == MT.number("85070591730234615847396907784232501249"))
        #expect(try MT.value("-9223372036854775808 / -1") == MT.number("9223372036854775808"))
        #expect(try MT.value("-9223372036854775808 % -1") == 0)
        #expect(try MT.value("12345678901234567890123456789 + 1") == MT.number("12345678901234567890123456790"))
        #expect(try MT.value("1e30 > 1e29") == true)
        #expect(try MT.value("0.000001 < 0.00001") == true)
        #expect(MT.evalError("A * A", ["A": MT.number("1e150")]) == nil)
        #expect(MT.evalError("A + 1", ["A": MT.number("1e300")])?.code == .numberRange)
        #expect(MT.evalError("A / B", ["A": 1, "B": 0])?.code == .divisionByZero)
        #expect(MT.evalError("A % B", ["A": 1, "B": 0])?.code == .divisionByZero)
    }

    @Test func rounding() throws {
        #expect(try MT.value("round(2.5)") == 3)
        #expect(try MT.value("round(-2.5)") == -3)
        #expect(try MT.value("round(1.005, 2)") == MT.number("1.01"))
        #expect(try MT.value("round(1234.5, -2)") == 1200)
        #expect(try MT.value("round(0.0004, 2)") == 0)
        #expect(try MT.value("floor(-1.5)") == -2)
        #expect(try MT.value("floor(1.5)") == 1)
        #expect(try MT.value("ceil(1.2)") == 2)
        #expect(try MT.value("ceil(-1.2)") == -1)
        #expect(try MT.value("int(-1.9)") == -1)
        #expect(try MT.value("int(\"42.7\")") == 42)
        #expect(try MT.value("abs(-3.25)") == MT.number("3.25"))
        #expect(try MT.value("abs(3)") == 3)
    }
}

@Suite("Type checking against a schema")
struct TypeCheckTests {
    let context = MT.schemaContext

    @Test func typeErrorsAtCompileTime() {
        func message(_ e: String) -> String? { MT.compileError("x = \(e)", context: context)?.message }
        #expect(message("trim(Amount)") == "trim: argument 1 must be a string; Amount is a number")
        #expect(message("Amount == \"100\"") == "comparing a number with a string is always false")
        #expect(message("LastName + 1") == "cannot add string and number (convert with string(…))")
        #expect(message("Amount < LastName") == "cannot order a number against a string")
        #expect(message("LastName.city") == #"LastName is a string; it has no field "city""#)
        #expect(message("IsActive && LastName") == "the operands of && must be booleans; LastName is a string")
        #expect(message("Amount ? 1 : 2") == #"the condition of "? :" must be a boolean, not a number"#)
        #expect(message("-LastName") == #""-" needs a number; LastName is a string"#)
        #expect(message("!Amount") == #""!" needs a boolean; Amount is a number"#)
        #expect(message("1 in LastName") == #""in" needs a list or an object on its right; LastName is a string"#)
        #expect(message("LastName[0]") == "LastName is a string and cannot be indexed")
        #expect(message("all(Amount, a, true)") == "all: the first argument must be a list; Amount is a number")
        #expect(message("filter(Tags, t, 1)") == "filter: the condition must be a boolean; 1 is a number")
        #expect(message("lookup(IsActive)") == "lookup: the id must be a string or a number; IsActive is a boolean")
        #expect(MT.criteriaError("LastName", context: context)?.message == "criteria must be a boolean expression; this one is a string")
    }

    @Test func wellTypedProgramsCompile() throws {
        let text = """
            a = trim(LastName) + " " + string(Amount)
            b = MailingAddress.city
            c = Amount * 2 > 10 ? upper(FirstName ?? "") : null
            d = exists(Tags, t, t == "vip")
            e = Tags[0]
            f = format_date(Birthdate, "MM/dd/yyyy")
            g = IsActive && Amount > 0
            """
        let program = try MappingProgram.compile(text, context: context)
        #expect(program.sourceFields == ["Amount", "Birthdate", "FirstName", "IsActive", "LastName", "MailingAddress", "Tags"])
        let out = try program.evaluate(record: [
            "LastName": "Lovelace", "Amount": 12, "MailingAddress": ["city": "London"], "Tags": ["vip"], "Birthdate": "1815-12-10",
            "FirstName": "Ada", "IsActive": true,
        ])
        #expect(out.fields == ["a": "Lovelace 12", "b": "London", "c": "ADA", "d": true, "e": "vip", "f": "12/10/1815", "g": true])
    }

    @Test func withoutASchemaTheSameMistakesFailAtEvaluation() {
        #expect(MT.compileError("x = trim(Amount)") == nil)
        #expect(MT.evalError("trim(Amount)", ["Amount": 5])?.code == .typeMismatch)
    }

    @Test func literalTypesAreCheckedWithoutASchema() {
        #expect(MT.compileError("x = trim(5)")?.message == "trim: argument 1 must be a string; 5 is a number")
        #expect(MT.compileError("x = \"a\" + 1")?.code == .type)
        #expect(MT.compileError("x = 1 == \"1\"")?.code == .type)
    }

    @Test func fieldTypesFromDiscover() {
        #expect(StaticType(FieldType.currency) == .number)
        #expect(StaticType(FieldType.picklist) == .string)
        #expect(StaticType(FieldType.boolean) == .bool)
        #expect(StaticType(FieldType.address) == .object)
        #expect(StaticType(FieldType.json) == .dyn)
        #expect(StaticType(FieldType.other("geolocation")) == .dyn)
    }
}
