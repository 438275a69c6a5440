import CrosswalkCore
import Testing
@testable import CrosswalkMapping

@Suite("Mapping grammar")
struct GrammarTests {
    @Test func theBriefsMappingCompilesAndMaps() throws {
        var functions = InMemoryFunctionProvider()
        try functions.add(pluginID: "dev.crosswalk.salesforce", name: "sf_id18", signature: "string(string)") { args in
            .string((args[0].stringValue ?? "") + "XYZ")
        }
        let text = """
            email      = Email
            firstName  = FirstName ?? ""
            lastName   = trim(LastName)
            company    = lookup(AccountId)                 # the id of AccountId's twin in the target app, via the ID map
            status     = {"Open": "1", "Closed": "2"}[Status] ?? "1"
            phone      = Phone ?? MobilePhone
            subsidiary = 1
            label      = upper(left(Name, 3)) + "-" + string(Number)
            done       = Status == "Done" ? "Completed" : "Not Started"
            sfid       = salesforce.sf_id18(Id)            # a plugin function
            address.city = BillingCity                      # nested target path
            """
        let program = try MappingProgram.compile(text, context: CompileContext(functions: functions))
        let record: [String: JSONValue] = [
            "Email": "ada@example.com", "LastName": "  Lovelace ", "AccountId": "001A", "Status": "Closed", "MobilePhone": "555",
            "Name": "ada", "Number": 7, "Id": "003000000000001", "BillingCity": "London",
        ]
        let out = try program.evaluate(record: record, environment: EvaluationEnvironment(lookups: LookupTable([LookupKey(id: "001A"): "17"])))
        #expect(out.fields == [
            "email": "ada@example.com", "firstName": "", "lastName": "Lovelace", "company": "17", "status": "2", "phone": "555",
            "subsidiary": 1, "label": "ADA-7", "done": "Not Started", "sfid": "003000000000001XYZ", "address": ["city": "London"],
        ])
        #expect(program.targets == ["email", "firstName", "lastName", "company", "status", "phone", "subsidiary", "label", "done", "sfid", "address.city"])
        #expect(program.sourceFields.contains("BillingCity") && !program.readsWholeRecord)
    }

    @Test func literals() throws {
        #expect(try MT.value("12") == 12)
        #expect(try MT.value("-12.50") == MT.number("-12.5"))
        #expect(try MT.value("1e3") == 1000)
        #expect(try MT.value("2.5E-3") == MT.number("0.0025"))
        #expect(try MT.value("007") == 7)
        #expect(try MT.value(#""a\"b\\c\n\t\u00e9\u{1F600}\ud83d\ude00""#) == .string("a\"b\\c\n\té😀😀"))
        #expect(try MT.value("'it\\'s'") == "it's")
        #expect(try MT.value("true") == true)
        #expect(try MT.value("null") == .null)
        #expect(try MT.value("[1, \"a\", null,]") == [1, "a", nil])
        #expect(try MT.value(#"{"a": 1, "b": [true]}"#) == ["a": 1, "b": [true]])
        #expect(try MT.value("{}") == [:])
    }

    @Test func precedenceAndAssociativity() throws {
        #expect(try MT.value("1 + 2 * 3") == 7)
        #expect(try MT.value("(1 + 2) * 3") == 9)
        #expect(try MT.value("10 - 4 - 3") == 3)
        #expect(try MT.value("2 * 3 % 4") == 2)
        #expect(try MT.value("-2 * -3") == 6)
        #expect(try MT.value("!false && false") == false)
        #expect(try MT.value("true || false && false") == true)
        #expect(try MT.value("A ?? 0 > 100", ["A": 150]) == true)   // (A ?? 0) > 100
        #expect(try MT.value("A ?? 0 > 100") == false)
        #expect(try MT.value("A ?? B ?? 3", ["B": 2]) == 2)
        #expect(try MT.value("A ?? 1 + 2") == 3)                     // A ?? (1 + 2)
        #expect(try MT.value("true ? 1 : false ? 2 : 3") == 1)
        #expect(try MT.value("false ? 1 : false ? 2 : 3") == 3)
        #expect(try MT.value("1 + 2 == 3 && \"a\" < \"b\"") == true)
    }

    @Test func fieldsPathsQuotingAndIndexing() throws {
        let record: [String: JSONValue] = [
            "Billing City": "Paris", "Address": ["city": "Lyon", "geo": ["lat": 45]], "Items": ["a", "b", "c"],
            "in": "keyword-named", "x y": 1,
        ]
        #expect(try MT.value("`Billing City`", record) == "Paris")
        #expect(try MT.value(#"$["Billing City"]"#, record) == "Paris")
        #expect(try MT.value(#"$["x" + " y"]"#, record) == 1)
        #expect(try MT.value("$.Address.city", record) == "Lyon")
        #expect(try MT.value("Address.geo.lat", record) == 45)
        #expect(try MT.value(#"Address["city"]"#, record) == "Lyon")
        #expect(try MT.value("Items[0]", record) == "a")
        #expect(try MT.value("Items[-1]", record) == "c")
        #expect(try MT.value("Items[3]", record) == .null)
        #expect(try MT.value("`in`", record) == "keyword-named")
        #expect(try MT.value("Missing.deep.path", record) == .null)
        #expect(try MT.value("$", ["a": 1]) == ["a": 1])
        let program = try MappingProgram.compile("x = $")
        #expect(program.readsWholeRecord)
    }

    @Test func commentsBlankLinesAndContinuations() throws {
        let out = try MT.map("""

            # a comment line
            a = 1   # trailing comment
               
            b = (1 +
                 2)
            c = {
                "Open": "1",   # inside braces newlines are spaces
                "Closed": "2",
            }[S] ?? "0"
            d = "# not a comment"
            """, ["S": "Closed"])
        #expect(out == ["a": 1, "b": 3, "c": "2", "d": "# not a comment"])
    }

    @Test func targets() throws {
        let out = try MT.map("""
            address.city = "Paris"
            address.zip = "75001"
            address.geo.lat = 48
            `odd name` = 1
            null = 2
            """)
        #expect(out == ["address": ["city": "Paris", "zip": "75001", "geo": ["lat": 48]], "odd name": 1, "null": 2])
    }

    @Test func criteriaSpanLines() throws {
        let c = try CriteriaProgram.compile("""
            LastName != null   # must be there
              && LastName != ""
            """)
        #expect(try c.matches(record: ["LastName": "x"]))
        #expect(try !c.matches(record: ["LastName": ""]))
    }
}
