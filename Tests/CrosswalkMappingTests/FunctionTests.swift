import CrosswalkCore
import Testing
@testable import CrosswalkMapping

@Suite("Built-in functions")
struct FunctionTests {
    @Test func strings() throws {
        #expect(try MT.value("lower(\"ÀBC\")") == "àbc")
        #expect(try MT.value("upper(\"straße\")") == "STRASSE")
        #expect(try MT.value("trim(\"  a b \\n\")") == "a b")
        #expect(try MT.value("trim(\"   \")") == "")
        #expect(try MT.value("left(\"héllo\", 2)") == "hé")
        #expect(try MT.value("left(\"ab\", 10)") == "ab")
        #expect(try MT.value("left(\"ab\", -1)") == "")
        #expect(try MT.value("right(\"hello\", 3)") == "llo")
        #expect(try MT.value("substring(\"hello\", 1, 3)") == "ell")
        #expect(try MT.value("substring(\"hello\", 3)") == "lo")
        #expect(try MT.value("substring(\"hello\", 9)") == "")
        #expect(try MT.value("replace(\"a-b-c\", \"-\", \"+\")") == "a+b+c")
        #expect(try MT.value("replace(\"aaa\", \"aa\", \"b\")") == "ba")
        #expect(try MT.value("split(\"a;b;;c\", \";\")") == ["a", "b", "", "c"])
        #expect(try MT.value("split(\"héj\", \"\")") == ["h", "é", "j"])
        #expect(try MT.value("split(\"\", \",\")") == [])
        #expect(try MT.value("join([\"a\", null, 1, true], \",\")") == "a,1,true")
        #expect(try MT.value("join([\"a\", \"b\"])") == "ab")
        #expect(try MT.value("contains(\"hello\", \"ell\")") == true)
        #expect(try MT.value("contains([1, 2], 2)") == true)
        #expect(try MT.value("contains([1, 2], \"2\")") == false)
        #expect(try MT.value("starts_with(\"hello\", \"he\")") == true)
        #expect(try MT.value("ends_with(\"hello\", \"lo\")") == true)
        #expect(try MT.value("len(\"é👍🏽\")") == 2)
        #expect(try MT.value("size([1, 2, 3])") == 3)
        #expect(try MT.value("size({\"a\": 1})") == 1)
        #expect(try MT.value("pad_left(\"7\", 3, \"0\")") == "007")
        #expect(try MT.value("pad_left(\"7\", 4, \"ab\")") == "aba7")
        #expect(try MT.value("pad_right(\"7\", 3)") == "7  ")
        #expect(try MT.value("pad_left(\"1234\", 2, \"0\")") == "1234")
        #expect(try MT.value("string(1.50)") == "1.5")
        #expect(try MT.value("string(true)") == "true")
        #expect(try MT.value("string([1, \"a\"])") == #"[1,"a"]"#)
        #expect(try MT.value("\"a\" + \"b\" + \"c\"") == "abc")
        #expect(MT.evalError("replace(\"x\", \"\", \"y\")")?.code == .invalidValue)
        #expect(MT.evalError("pad_left(\"x\", 3, \"\")")?.code == .invalidValue)
        #expect(MT.evalError("left(\"x\", 1.5)")?.code == .invalidValue)
    }

    @Test func numbersAndConversions() throws {
        #expect(try MT.value("number(\" 0042.50 \")") == MT.number("42.5"))
        #expect(try MT.value("number(\"+3\")") == 3)
        #expect(try MT.value("number(\"-.5\")") == MT.number("-0.5"))
        #expect(try MT.value("number(\"1e3\")") == 1000)
        #expect(try MT.value("number(12)") == 12)
        #expect(MT.evalError("number(\"12abc\")")?.message == #"number: "12abc" is not a number"#)
        #expect(MT.evalError("number(\"\")")?.code == .invalidValue)
        #expect(try MT.value("bool(\"TRUE\")") == true)
        #expect(try MT.value("bool(\"no\")") == false)
        #expect(try MT.value("bool(1)") == true)
        #expect(MT.evalError("bool(\"maybe\")")?.code == .invalidValue)
        #expect(try MT.value("min(3, 1, 2)") == 1)
        #expect(try MT.value("max([3, null, 7])") == 7)
        #expect(try MT.value("min(\"b\", \"a\")") == "a")
        #expect(try MT.value("max(A, 2)") == 2)
        #expect(MT.evalError("min(1, \"a\")")?.code == .typeMismatch)
        #expect(try MT.value("sum([1, 2.5, null])") == MT.number("3.5"))
    }

    @Test func listsAndMacros() throws {
        let items: JSONValue = [["Sku": "A", "Qty": 2], ["Sku": "B", "Qty": 0], ["Sku": "C", "Qty": 5]]
        let r: [String: JSONValue] = ["Items": items]
        #expect(try MT.value("first(Items).Sku", r) == "A")
        #expect(try MT.value("last(Items).Sku", r) == "C")
        #expect(try MT.value("first([])") == .null)
        #expect(try MT.value("all(Items, i, i.Qty >= 0)", r) == true)
        #expect(try MT.value("all(Items, i, i.Qty > 0)", r) == false)
        #expect(try MT.value("exists(Items, i, i.Sku == \"B\")", r) == true)
        #expect(try MT.value("map(Items, i, i.Sku)", r) == ["A", "B", "C"])
        #expect(try MT.value("map(filter(Items, i, i.Qty > 0), i, i.Qty * 10)", r) == [20, 50])
        #expect(try MT.value("join(map(Items, i, lower(i.Sku)), \",\")", r) == "a,b,c")
        #expect(try MT.value("size(filter(Items, Items, Items.Qty > 1))", r) == 2)   // the variable shadows the field
        #expect(try MT.value("map(Missing, i, i)") == .null)
        #expect(try MT.value("all([], i, false)") == true)
        #expect(try MT.value("exists([], i, true)") == false)
        #expect(try MT.value("map([[1, 2], [3]], xs, map(xs, x, x + 1))") == [[2, 3], [4]])
        #expect(try MT.value("exists(Items, i, has(i.Qty))", r) == true)
        #expect(try MT.value("[1] + [2, 3]") == [1, 2, 3])
        #expect(MT.evalError("all(A, x, x)", ["A": [1]])?.code == .typeMismatch)
    }

    @Test func valueMaps() throws {
        let map = #"{"Open": "1", "Closed": "2"}[Status] ?? "1""#
        #expect(try MT.value(map, ["Status": "Closed"]) == "2")
        #expect(try MT.value(map, ["Status": "Weird"]) == "1")
        #expect(try MT.value(map) == "1")
        #expect(try MT.value(#"{"1": "One", "2": "Two"}[Code]"#, ["Code": 2]) == "Two")
        #expect(try MT.value(#"{"true": "Y", "false": "N"}[Flag]"#, ["Flag": false]) == "N")
        #expect(try MT.value(#"{"a": A}["a"]"#, ["A": 5]) == 5)
        #expect(try MT.value(#""Open" in {"Open": 1}"#) == true)
    }

    @Test func conditionals() throws {
        #expect(try MT.value(#"Status == "Done" ? "Completed" : "Not Started""#, ["Status": "Done"]) == "Completed")
        #expect(try MT.value(#"Status == "Done" ? "Completed" : "Not Started""#) == "Not Started")
        #expect(MT.evalError("A ? 1 : 2", ["A": "yes"])?.code == .typeMismatch)
    }
}
