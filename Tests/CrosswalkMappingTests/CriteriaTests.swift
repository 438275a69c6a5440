import CrosswalkConnectors
import CrosswalkCore
import Testing
@testable import CrosswalkMapping

@Suite("Criteria pushdown")
struct PushdownTests {
    func pushdown(_ text: String, context: CompileContext = .dynamic) throws -> Pushdown {
        try CriteriaProgram.compile(text, context: context).pushdown
    }

    @Test func theBriefsExampleIsExact() throws {
        let p = try pushdown(#"LastName != null && LastName != "" && Stage in ["Won", "Negotiation"]"#)
        #expect(p == Pushdown(filter: .and([
            .isNull(field: "LastName", false), .compare(.ne, field: "LastName", value: ""),
            .oneOf(field: "Stage", values: ["Won", "Negotiation"]),
        ]), exact: true))
    }

    @Test func comparisonsEitherWay() throws {
        #expect(try pushdown("Amount > 100").filter == .compare(.gt, field: "Amount", value: 100))
        #expect(try pushdown("100 > Amount").filter == .compare(.lt, field: "Amount", value: 100))
        #expect(try pushdown("-5 <= Amount").filter == .compare(.ge, field: "Amount", value: -5))
        #expect(try pushdown(#"CloseDate >= "2026-01-01""#).filter == .compare(.ge, field: "CloseDate", value: "2026-01-01"))
        #expect(try pushdown(#"Name == "a" + "b""#).filter == .compare(.eq, field: "Name", value: "ab"))
        #expect(try pushdown("null == Email").filter == .isNull(field: "Email", true))
        #expect(try pushdown("`Billing City` == \"Paris\"").filter == .compare(.eq, field: "Billing City", value: "Paris"))
        #expect(try pushdown(#"$["x y"] == 1"#).filter == .compare(.eq, field: "x y", value: 1))
    }

    @Test func orAndNot() throws {
        let p = try pushdown(#"Stage == "Won" || (Amount >= 1000 && !(Region in ["EU"]))"#)
        #expect(p == Pushdown(filter: .or([
            .compare(.eq, field: "Stage", value: "Won"),
            .and([.compare(.ge, field: "Amount", value: 1000), .not(.oneOf(field: "Region", values: ["EU"]))]),
        ]), exact: true))
        #expect(try pushdown("true").filter == .and([]))
    }

    @Test func residualsStayWithTheHost() throws {
        // A conjunct that does not translate is dropped: the filter is implied, not exact.
        let p = try pushdown(#"Stage == "Won" && trim(Name) != """#)
        #expect(p == Pushdown(filter: .compare(.eq, field: "Stage", value: "Won"), exact: false))
        // Under || or !, anything untranslatable drops the whole part.
        #expect(try pushdown(#"Stage == "Won" || trim(Name) != """#) == Pushdown(filter: nil, exact: false))
        #expect(try pushdown(#"!(Stage == "Won" && trim(Name) != "")"#) == Pushdown(filter: nil, exact: false))
        #expect(try pushdown(#"has(Email)"#) == Pushdown(filter: nil, exact: false))
        #expect(try pushdown(#"Address.city == "Paris""#) == Pushdown(filter: nil, exact: false))
        #expect(try pushdown("A == B") == Pushdown(filter: nil, exact: false))
        #expect(try pushdown("exists(Tags, t, t == \"x\")") == Pushdown(filter: nil, exact: false))
        #expect(try pushdown("(Amount ?? 0) > 5") == Pushdown(filter: nil, exact: false))
        #expect(try pushdown("Flag") == Pushdown(filter: nil, exact: false))        // not known to be a boolean
        #expect(try pushdown("Tags == [1]") == Pushdown(filter: nil, exact: false))
    }

    @Test func typedFieldsTranslateMore() throws {
        let context = MT.schemaContext
        #expect(try pushdown("IsActive && !empty(LastName)", context: context) == Pushdown(filter: .and([
            .compare(.eq, field: "IsActive", value: true),
            .not(.or([.isNull(field: "LastName", true), .compare(.eq, field: "LastName", value: "")])),
        ]), exact: true))
        #expect(try pushdown("empty(Amount)", context: context).filter == .isNull(field: "Amount", true))
        #expect(try pushdown("!IsActive", context: context).filter == .not(.compare(.eq, field: "IsActive", value: true)))
    }

    @Test func onlyTheOperatorsAConnectorDeclares() throws {
        let c = try CriteriaProgram.compile(#"Stage in ["Won"] && Amount > 5 && Name != null"#)
        #expect(c.pushdown(allowing: ["in", "gt", "is_null", "and"]) == c.pushdown)
        #expect(c.pushdown(allowing: ["in", "and"]) == Pushdown(filter: .oneOf(field: "Stage", values: ["Won"]), exact: false))
        #expect(c.pushdown(allowing: ["in", "gt"]) == Pushdown(filter: .oneOf(field: "Stage", values: ["Won"]), exact: false))
        #expect(c.pushdown(allowing: []) == Pushdown(filter: nil, exact: false))
        let or = try CriteriaProgram.compile(#"A == 1 || B == 2"#)
        #expect(or.pushdown(allowing: ["eq"]) == Pushdown(filter: nil, exact: false))
    }

    /// An exact pushdown and the evaluator agree record by record (with the ABI's Filter.matches).
    @Test func exactPushdownAgreesWithEvaluation() throws {
        let criteria = [
            #"LastName != null && LastName != "" && Stage in ["Won", "Negotiation"]"#,
            "Amount > 100 || Amount == null", "!(Amount <= 5)", #"Stage != "Lost""#, #"Name < "M""#, "Amount >= 1.5",
        ]
        let values: [JSONValue] = [.null, "", "Won", "Lost", "Zed", "Adam", 0, 5, 100, 101, .number(try JSONNumber(text: "1.50")), true, ["x"]]
        for text in criteria {
            let c = try CriteriaProgram.compile(text)
            let filter = try #require(c.pushdown.filter)
            #expect(c.pushdown.exact)
            for v in values {
                for record in [["LastName": v, "Stage": v, "Amount": v, "Name": v], ["Stage": "Won", "LastName": v, "Name": v], [:]] as [[String: JSONValue]] {
                    #expect(try c.matches(record: record) == filter.matches(record), "\(text) on \(JSONValue.object(record).text)")
                }
            }
        }
    }
}

@Suite("Reasons for false criteria")
struct ReasonTests {
    func reason(_ text: String, _ record: [String: JSONValue], context: CompileContext = .dynamic) throws -> String? {
        try CriteriaProgram.compile(text, context: context).evaluate(record: record).reason
    }

    @Test func familiarShapes() throws {
        let c = #"LastName != null && LastName != "" && Stage in ["Won", "Negotiation"]"#
        #expect(try reason(c, ["LastName": ""]) == "LastName is empty")
        #expect(try reason(c, [:]) == "LastName is null")
        #expect(try reason(c, ["LastName": "x", "Stage": "Lost"]) == #"Stage is "Lost", not one of ["Won", "Negotiation"]"#)
        #expect(try reason(c, ["LastName": "x", "Stage": "Won"]) == nil)
        #expect(try reason(#"Status == "Done""#, ["Status": "Open"]) == #"Status is "Open", not "Done""#)
        #expect(try reason(#"Status == "Done""#, [:]) == #"Status is null, not "Done""#)
        #expect(try reason("!empty(LastName)", ["LastName": ""]) == "LastName is empty")
        #expect(try reason("has(Email)", [:]) == "Email is missing")
        #expect(try reason("Amount > 100", ["Amount": 12]) == "Amount > 100 is false (Amount is 12)")
        #expect(try reason("Amount > 100", ["Amount": 12]) == "Amount > 100 is false (Amount is 12)")
        #expect(try reason(#"trim(Name) != """#, ["Name": "  "]) == "trim(Name) is empty")
        #expect(try reason(#"starts_with(Email, "ops@") || Vip"#, ["Email": "a@b"]) ==
            #"starts_with(Email, "ops@") is false (Email is "a@b") and Vip is false (Vip is null)"#)
        #expect(try reason("exists(Items, i, i.Qty > 0)", ["Items": [["Qty": 0]]]) == "exists(Items, i, i.Qty > 0) is false")
    }

    @Test func matchedRecordsHaveNoReason() throws {
        let outcome = try CriteriaProgram.compile("A == 1").evaluate(record: ["A": 1])
        #expect(outcome == CriteriaOutcome(matched: true, reason: nil, unresolvedLookups: []))
    }

    @Test func runtimeTypeErrorsAreErrors() {
        #expect(throws: MappingError.self) { try CriteriaProgram.compile("A").matches(record: ["A": "yes"]) }
    }
}
