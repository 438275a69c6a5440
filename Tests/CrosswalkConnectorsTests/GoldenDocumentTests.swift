import CrosswalkConnectors
import CrosswalkCore
import CrosswalkTestKit
import Foundation
import Testing

/// The golden documents of `sdk/fixtures/abi-1.1`, read by the host's types.
enum Golden {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("sdk/fixtures/abi-1.1")

    static func data(_ name: String) throws -> Data { try Data(contentsOf: folder.appendingPathComponent(name)) }
    static func value(_ name: String) throws -> JSONValue { try JSONParser.parse(try data(name)) }

    /// Decodes `name` as `T`, encodes it again, and checks that nothing of the file was lost.
    static func roundTrip<T: Codable & Equatable>(_ type: T.Type, _ name: String) throws -> T {
        let decoded = try JSONValueDecoder().decode(T.self, from: try data(name))
        let encoded = try JSONValueEncoder().encodeValue(decoded)
        #expect(try JSONValueDecoder().decode(T.self, from: encoded) == decoded, "\(name): decode(encode(x)) != x")
        expectCovers(try value(name), encoded, path: name)
        return decoded
    }

    /// Every non-null member of `original` appears, equal, in `encoded`.
    static func expectCovers(_ original: JSONValue, _ encoded: JSONValue, path: String) {
        switch (original, encoded) {
        case (.object(let o), .object(let e)):
            for (key, value) in o where !value.isNull {
                guard let other = e[key] else {
                    Issue.record("\(path).\(key) was lost")
                    continue
                }
                expectCovers(value, other, path: "\(path).\(key)")
            }
        case (.array(let o), .array(let e)):
            guard o.count == e.count else { Issue.record("\(path): \(o.count) elements became \(e.count)"); return }
            for (i, pair) in zip(o, e).enumerated() { expectCovers(pair.0, pair.1, path: "\(path)[\(i)]") }
        default:
            #expect(original == encoded, "\(path): \(original) became \(encoded)")
        }
    }
}

@Suite("ABI 1.1 golden documents, host side")
struct GoldenDocumentTests {
    @Test("the manifest parses with every 1.1 block")
    func manifest() throws {
        let text = String(decoding: try Golden.data("manifest.json"), as: UTF8.self)
        let m = try ConnectorManifest.parse(text)
        #expect(m.object("Contact")?.read?.orderKeys == ["SystemModstamp", "Id"])
        #expect(m.object("Contact")?.read?.boundary == .exclusive)
        #expect(m.object("Contact")?.read?.deletes == .flag)
        #expect(m.object("Contact")?.externalIDFields == ["NetSuite_Id__c"])
        #expect(m.functions.first?.signature == "string(string)")
        #expect(m.functionSupport?.lastError == "crosswalk_fn_last_error")
        #expect(m.webhooks?.ack?.contentType == "text/xml")
        #expect(m.settings.first { $0.name == "api_version" }?.default == "60.0")
        let hubspot = try ConnectorManifest.parse(String(decoding: try Golden.data("manifest-hubspot-webhooks.json"), as: UTF8.self))
        #expect(hubspot.webhooks?.signature?.signed == ["method", "url", "body", "timestamp"])
        #expect(hubspot.webhooks?.signature?.urlUnescape?.first == "%3A")
        #expect(hubspot.rateLimits?.windowRequests == 190)
        #expect(hubspot.object("contacts")?.read?.indexLagMilliseconds == 10_000)
    }

    @Test("read documents: filter AST, exact numbers, 1.1 record members")
    func read() throws {
        let request = try Golden.roundTrip(ReadRequest.self, "read-request.json")
        guard case .and(let parts)? = request.filter else { Issue.record("filter is not an and"); return }
        #expect(parts.count == 4)
        #expect(parts[3] == .compare(.ge, field: "Annual_Value__c", value: .number(try JSONNumber(text: "12345678901234567890.5"))))
        #expect(request.deadlineMilliseconds == 30_000)
        #expect(try Golden.roundTrip(ReadRequest.self, "read-request-start-now.json").start == "now")

        let result = try Golden.roundTrip(ReadResult.self, "read-result.json")
        #expect(result.records[0].fields["Annual_Value__c"]?.numberValue?.text == "12345678901234567890.5")
        #expect(result.records[0].links == [RecordLink(object: "Account", id: "001Hs00000XyZaBIAV", type: "AccountId")])
        #expect(result.records[1].effectiveChange == .delete)
        #expect(result.records[2].mergedInto == "003Hs00000AbCdFIAZ")
        #expect(result.filterApplied == .partial)

        let old = try Golden.roundTrip(ReadResult.self, "read-result-1.0.json")
        #expect(old.records[0].effectiveChange == .upsert)
        #expect(old.filterApplied == nil)
    }

    @Test("write documents: outcomes, unknown, offending fields; 1.0 results still read")
    func write() throws {
        let request = try Golden.roundTrip(WriteRequest.self, "write-request.json")
        #expect(request.records[0].links?.first?.type == "contact_to_company")
        #expect(request.records[0].fields["annualrevenue"]?.numberValue?.text == "1234567.89")
        let result = try Golden.roundTrip(WriteResult.self, "write-result.json")
        #expect(result.results.map(\.effectiveOutcome) == [.created, .failed, .unknown])
        #expect(result.results[1].error?.fields == ["email"])
        #expect(result.results[2].error?.retryAfterMilliseconds == 2000)
        let old = try Golden.roundTrip(WriteResult.self, "write-result-1.0.json")
        #expect(old.results.map(\.effectiveOutcome) == [.created, .failed])
    }

    @Test("discover: closed type list, several reference targets, 1.0's single reference")
    func discover() throws {
        let result = try Golden.roundTrip(DiscoverResult.self, "discover-result.json")
        let contact = try #require(result.object("Contact"))
        #expect(contact.field("WhoId")?.referenceTo == ["Contact", "Lead"])
        #expect(contact.field("LeadSource")?.picklist?.count == 2)
        #expect(contact.field("Annual_Value__c")?.type == .currency)
        #expect(contact.field("NetSuite_Id__c")?.externalID == true)
        _ = try Golden.roundTrip(DiscoverRequest.self, "discover-request.json")
        let old = try JSONValueDecoder().decode(DiscoverResult.self, from: try Golden.data("discover-result-1.0.json"))
        #expect(old.objects[0].field("category")?.referenceTo == ["Category"])
        #expect(old.objects[0].field("sku")?.referenceTo == [])
    }

    @Test("webhooks, check, connection facts and errors")
    func others() throws {
        let hook = try Golden.roundTrip(WebhookRequest.self, "webhook-request.json")
        #expect(Data(base64Encoded: hook.bodyBase64 ?? "").map { String(decoding: $0, as: UTF8.self) } == hook.body)
        let events = try Golden.roundTrip(WebhookResult.self, "webhook-result.json")
        #expect(events.events[1].change == .merge)
        #expect(try Golden.roundTrip(CheckResult.self, "check-result.json").ok == false)
        #expect(try Golden.roundTrip(ConnectionFacts.self, "connection-facts.json").instanceURL == "https://na1.my.salesforce.com")
        #expect(try Golden.roundTrip(ErrorDocument.self, "error.json").retryAfterMilliseconds == 2000)
    }
}

@Suite("Manifest rules")
struct ManifestRuleTests {
    static let base = #"{"version":1,"objects":[{"name":"A","operations":["read"]}],"auth":{"scheme":"none"},"capabilities":["crosswalk.read/1"]"#

    @Test("refusals name what is wrong", arguments: [
        (#","functions":[{"name":"f","symbol":"s","signature":"string(strng)"}],"function_support":{"release":"r"}}"#, "unknown parameter type"),
        (#","functions":[{"name":"f","symbol":"s","signature":"string(string)"}]}"#, "function_support"),
        (#","functions":[{"name":"Bad","symbol":"s","signature":"int64()"}],"function_support":{"release":"r"}}"#, "must match"),
        (#","webhooks":{"signature":{"scheme":"hmac-md5","header":"X"}}}"#, "hmac-md5"),
        (#","webhooks":{"signature":{"scheme":"hmac-sha256","header":"X","signed":["body","timestamp"]}}}"#, "timestamp_header"),
        (#","rate_limits":{"burst":"many"}}"#, "burst"),
    ])
    func refused(_ tail: String, _ fragment: String) {
        do {
            _ = try ConnectorManifest.parse(Self.base + tail)
            Issue.record("accepted \(tail)")
        } catch let e as CrosswalkError {
            #expect(e.code == .pluginRefused)
            #expect(e.message.contains(fragment), "\(e.message)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test("a manifest over 1 MiB is refused")
    func tooBig() {
        let huge = Self.base + #","padding":""# + String(repeating: "x", count: ConnectorManifest.maxBytes) + "\"}"
        #expect(throws: CrosswalkError.self) { try ConnectorManifest.parse(huge) }
    }

    @Test("signatures follow the grammar")
    func signatures() throws {
        #expect(try FunctionSignature(parsing: "string( string , int64 )").parameters == [.string, .int64])
        #expect(try FunctionSignature(parsing: "double()").parameters.isEmpty)
        #expect(throws: CrosswalkError.self) { try FunctionSignature(parsing: "string(string") }
        #expect(throws: CrosswalkError.self) { try FunctionSignature(parsing: "int64(" + Array(repeating: "int64", count: 9).joined(separator: ",") + ")") }
    }
}

@Suite("ABI 1.1 golden documents, plugin side")
struct KitGoldenDocumentTests {
    @Test("the Swift kit reads and writes every golden document without losing a member")
    func kitReadsGoldens() throws {
        let run = try CrosswalkProcess.run([Golden.folder.path], tool: "kit-golden-check")
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("all golden documents read by the kit"))
        #expect(!run.stdout.contains("FAIL"))
    }
}
