import CrosswalkConnectors
import CrosswalkCore
import Testing
@testable import CrosswalkMapping

/// The seeds' own rules (the vendor help pages in shared/seeds, summarised in each test), written
/// in the mapping language.
@Suite("The seeds' rules in the mapping language")
struct SeedRuleTests {
    /// 001 (Polytomic): "Sync Salesforce Contacts to NetSuite, filtering out records with an empty
    /// LastName", mapping Email, FirstName and LastName.
    @Test func salesforceToNetSuiteFiltersOutEmptyLastName() throws {
        let salesforceContact = ObjectSchema(name: "Contact", fields: [
            FieldSchema(name: "Id", type: .id), FieldSchema(name: "Email", type: .email),
            FieldSchema(name: "FirstName", type: .string), FieldSchema(name: "LastName", type: .string),
        ])
        let netsuiteContact = ObjectSchema(name: "contact", fields: [
            FieldSchema(name: "email", type: .email), FieldSchema(name: "firstName", type: .string), FieldSchema(name: "lastName", type: .string),
        ])
        let context = CompileContext(sourceSchema: salesforceContact, targetSchema: netsuiteContact)
        let criteria = try CriteriaProgram.compile("!empty(LastName)", context: context)
        let mapping = try MappingProgram.compile("email = Email\nfirstName = FirstName\nlastName = LastName", context: context)
        #expect(criteria.pushdown == Pushdown(filter: .not(.or([.isNull(field: "LastName", true), .compare(.eq, field: "LastName", value: "")])), exact: true))
        let rejected = try criteria.evaluate(record: ["Email": "a@b.c", "LastName": ""])
        #expect(!rejected.matched && rejected.reason == "LastName is empty")
        #expect(try criteria.evaluate(record: ["Email": "a@b.c"]).reason == "LastName is null")
        let record: [String: JSONValue] = ["Email": "ada@example.com", "FirstName": "Ada", "LastName": "Lovelace"]
        #expect(try criteria.matches(record: record))
        #expect(try mapping.evaluate(record: record).fields == ["email": "ada@example.com", "firstName": "Ada", "lastName": "Lovelace"])
        #expect(mapping.sourceFields == ["Email", "FirstName", "LastName"])
    }

    /// 000 (Celigo): NetSuite contacts go to Salesforce only when the contact's company is a
    /// Salesforce account already synced to NetSuite and the Company ID is not empty; user
    /// criteria come on top.
    @Test func netSuiteToSalesforceNeedsASyncedCompany() throws {
        let criteria = try CriteriaProgram.compile("""
            !empty(company)                                # the Company ID is not empty
              && lookup(company, "Account", "customer") != null   # and the company is a synced Salesforce account
              && isInactive != true                        # user-defined qualification criteria
            """)
        let mapping = try MappingProgram.compile("""
            AccountId = lookup(company, "Account", "customer")
            LastName  = lastName
            Email     = email
            """)
        let page: [[String: JSONValue]] = [
            ["id": "101", "company": "17", "lastName": "Lovelace", "email": "ada@example.com"],
            ["id": "102", "company": "18", "lastName": "Byron"],
            ["id": "103", "company": "", "lastName": "Nobody"],
        ]
        let keys = criteria.lookupKeys(for: page).union(mapping.lookupKeys(for: page))
        #expect(keys == [LookupKey(sourceObject: "customer", id: "17", targetObject: "Account"),
                         LookupKey(sourceObject: "customer", id: "18", targetObject: "Account")])
        // The store knows only customer 17's twin.
        let env = EvaluationEnvironment(lookups: LookupTable([LookupKey(sourceObject: "customer", id: "17", targetObject: "Account"): "001000000000017"]))
        #expect(try criteria.matches(record: page[0], environment: env))
        #expect(try mapping.evaluate(record: page[0], environment: env).fields
            == ["AccountId": "001000000000017", "LastName": "Lovelace", "Email": "ada@example.com"])
        let notSynced = try criteria.evaluate(record: page[1], environment: env)
        #expect(!notSynced.matched)
        #expect(notSynced.reason == #"lookup(company, "Account", "customer") is null (not synced yet: customer/18 → Account)"#)
        #expect(notSynced.unresolvedLookups == [LookupKey(sourceObject: "customer", id: "18", targetObject: "Account")])
        #expect(try criteria.evaluate(record: page[2], environment: env).reason == "company is empty")
        // Only the user's part can be pushed to NetSuite; the lookup stays with the host.
        #expect(criteria.pushdown == Pushdown(filter: .compare(.ne, field: "isInactive", value: true), exact: false))
    }

    /// 004 (SPOTIO): selective sync by pipeline stage or field, so only leads that reached a
    /// significant stage are created in Salesforce.
    @Test func spotioSelectiveSyncByPipelineStage() throws {
        let criteria = try CriteriaProgram.compile(#"stageName in ["Qualified", "Proposal", "Won"] || leadScore >= 80"#)
        #expect(criteria.pushdown == Pushdown(filter: .or([
            .oneOf(field: "stageName", values: ["Qualified", "Proposal", "Won"]), .compare(.ge, field: "leadScore", value: 80),
        ]), exact: true))
        #expect(try criteria.matches(record: ["stageName": "Proposal"]))
        #expect(try criteria.matches(record: ["stageName": "New", "leadScore": 85]))
        let outcome = try criteria.evaluate(record: ["stageName": "New", "leadScore": 10])
        #expect(outcome.reason == #"stageName is "New", not one of ["Qualified", "Proposal", "Won"] and leadScore >= 80 is false (leadScore is 10)"#)
    }

    /// 004 (SPOTIO): activities become Salesforce Tasks with date, description, name and status;
    /// an activity marked "Done" completes the task.
    @Test func spotioActivityDoneCompletesTheTask() throws {
        let mapping = try MappingProgram.compile("""
            Subject      = title ?? "SPOTIO activity"
            Description  = notes
            ActivityDate = date(date)
            Status       = done == true || status == "Done" ? "Completed" : "Not Started"
            WhoId        = lookup(dataObjectId, "Lead")
            """)
        let env = EvaluationEnvironment(lookups: LookupTable([LookupKey(id: "do-1", targetObject: "Lead"): "00Q000000000001"]))
        let done = try mapping.evaluate(record: [
            "title": "Visit", "notes": "Met the owner", "date": "2026-11-30T15:00:00.000Z", "done": true, "dataObjectId": "do-1",
        ], environment: env)
        #expect(done.fields == ["Subject": "Visit", "Description": "Met the owner", "ActivityDate": "2026-11-30", "Status": "Completed",
                                "WhoId": "00Q000000000001"])
        let open = try mapping.evaluate(record: ["status": "Open", "date": "11/30/2026", "dataObjectId": "do-1"], environment: env)
        #expect(open.fields["Status"] == "Not Started")
        #expect(open.fields["Subject"] == "SPOTIO activity")
        #expect(open.fields["Description"] == .null)
        #expect(try mapping.evaluate(record: ["status": "Done"], environment: env).fields["Status"] == "Completed")
    }

    /// 003 (HubSpot ↔ NetSuite): date properties are midnight-UTC milliseconds.
    @Test func netSuiteCustomerToHubSpotContact() throws {
        let mapping = try MappingProgram.compile("""
            email          = email
            firstname      = firstName
            lastname       = lastName
            company        = companyName ?? entityId
            customer_since = to_millis(date(dateCreated))
            lifecyclestage = {"13": "customer", "6": "lead", "7": "opportunity"}[entityStatus] ?? "subscriber"
            """)
        let out = try mapping.evaluate(record: [
            "email": "ada@example.com", "firstName": "Ada", "lastName": "Lovelace", "entityId": "ADA-1",
            "dateCreated": "11/30/2026 2:05 pm", "entityStatus": 13,
        ])
        #expect(out.fields == ["email": "ada@example.com", "firstname": "Ada", "lastname": "Lovelace", "company": "ADA-1",
                               "customer_since": 1_795_996_800_000, "lifecyclestage": "customer"])
    }
}
