import CrosswalkConnectors
import CrosswalkCore
import Foundation
import Testing

/// A page's records are read straight from the parsed JSON (``JSONValueReadable``), not through a `Decoder`
/// per record: the result and the errors must be what the `Decodable` path gives.
struct RecordDecodingTests {
    static let page = #"""
    {"records":[
      {"object":"Contact","id":"1","fields":{"Email":"a@x.example","Age":42,"Tags":["x"],"Nested":{"k":null}},"modified_at":"2026-01-01T00:00:00Z",
       "change":"merge","merged_into":"2","modified_by":"u1","links":[{"object":"Account","id":"9","type":"AccountId"}]},
      {"object":"Contact","id":"3","deleted":true}
    ],"has_more":false}
    """#

    @Test("the fast path reads every member init(from:) reads, and re-encodes to the same record")
    func sameAsCodable() throws {
        let fast = try JSONValueDecoder().decode(ReadResult.self, from: Data(Self.page.utf8))
        let again = try JSONValueDecoder().decode(ReadResult.self, from: try JSONValueEncoder().encode(fast))
        #expect(fast.records == again.records)
        let first = try #require(fast.records.first)
        #expect(first.object == "Contact" && first.id == "1" && first.modifiedAt == "2026-01-01T00:00:00Z")
        #expect(first.fields["Email"] == .string("a@x.example") && first.fields["Tags"] == .array([.string("x")]))
        #expect(first.fields["Age"]?.intValue == 42 && first.fields["Nested"]?["k"] == .null)
        #expect(first.change == .merge && first.mergedInto == "2" && first.modifiedBy == "u1")
        #expect(first.links == [RecordLink(object: "Account", id: "9", type: "AccountId")])
        #expect(fast.records.last?.deleted == true && fast.records.last?.fields == [:] && fast.records.last?.links == [])
    }

    @Test("a bad record names where it is: records[1].fields, records[0].id, records[0].change")
    func errorsNameThePath() throws {
        func failure(_ json: String) -> String {
            do {
                _ = try JSONValueDecoder().decode(ReadResult.self, from: Data(json.utf8))
                return "no error"
            } catch let e as DecodingError { return e.crosswalkDescription } catch { return "\(error)" }
        }
        let fields = failure(#"{"records":[{"object":"C","id":"1"},{"object":"C","id":"2","fields":[1]}],"has_more":false}"#)
        #expect(fields.contains("records[1].fields") && fields.contains("Dictionary"), "\(fields)")
        let id = failure(#"{"records":[{"object":"C","id":7}],"has_more":false}"#)
        #expect(id.contains("records[0].id") && id.contains("string"), "\(id)")
        let missing = failure(#"{"records":[{"object":"C"}],"has_more":false}"#)
        #expect(missing.contains("id"), "\(missing)")
        let change = failure(#"{"records":[{"object":"C","id":"1","change":"squash"}],"has_more":false}"#)
        #expect(change.contains("records[0].change"), "\(change)")
    }
}
