import CrosswalkCore
@testable import CrosswalkSandbox
import Foundation
import Testing

/// Walks every operation of the SPOTIO swagger in the repo (Tests/Fidelity/specs/spotio, the vendor's OpenAPI
/// document): each is served, or listed in `SpotioUnsupported` with a reason and answered with a 501 naming it.
@Suite("SPOTIO swagger coverage")
struct SpotioSwaggerCoverageTests {
    let env = WebhookRecordingEnvironment()
    let app: SpotioApp

    init() { app = SpotioApp(environment: env) }

    static func spec() throws -> [String: Any] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fidelity/specs/spotio/spotio-swagger.json").standardizedFileURL
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    /// (method, template) of every operation in the swagger.
    static func operations() throws -> [(method: String, template: String)] {
        let paths = try #require(try spec()["paths"] as? [String: [String: Any]])
        return paths.flatMap { path, methods in
            methods.keys.filter { ["get", "post", "put", "patch", "delete"].contains($0) }.map { (method: $0.uppercased(), template: path) }
        }.sorted { ($0.template, $0.method) < ($1.template, $1.method) }
    }

    private func token() async -> String {
        let reply = await app.call("POST", "/api/users/apitoken",
                                   json: ["clientId": SpotioApp.demoCredentials.clientId, "secret": SpotioApp.demoCredentials.secret])
        return reply.object["accessToken"] as? String ?? ""
    }

    @Test func everySwaggerOperationIsServedOrListedWithAReason() throws {
        let served = Set(SpotioRouter.routes.map { "\($0.method) \($0.template.lowercased())" })
        var unsupported: [String: String] = [:]
        for op in SpotioUnsupported.operations {
            let reason = try #require(SpotioUnsupported.reasons[op.tag], "\(op.tag) has no reason")
            #expect(!reason.isEmpty)
            unsupported["\(op.method) \(op.template.lowercased())"] = reason
        }
        var neither: [String] = []
        for op in try Self.operations() {
            let key = "\(op.method) \(op.template.lowercased())"
            #expect(!(served.contains(key) && unsupported[key] != nil), "\(key) is both served and listed as unsupported")
            if !served.contains(key) && unsupported[key] == nil { neither.append(key) }
        }
        #expect(neither.isEmpty, "neither served nor listed with a reason: \(neither)")
        #expect(Set(unsupported.keys).isSubset(of: Set(try Self.operations().map { "\($0.method) \($0.template.lowercased())" })),
                "every unsupported entry is a swagger operation")
    }

    @Test func everySwaggerOperationAnswersAsListed() async throws {
        let t = await token()
        let reasons = Dictionary(SpotioUnsupported.operations.map { ("\($0.method) \($0.template.lowercased())", SpotioUnsupported.reasons[$0.tag]!) },
                                 uniquingKeysWith: { a, _ in a })
        for op in try Self.operations() {
            let path = op.template.replacingOccurrences(of: #"\{[^}]+\}"#, with: "5f0000000000000000000001", options: .regularExpression)
            let reply = await app.call(op.method, path, json: op.method == "GET" || op.method == "DELETE" ? nil : [String: Any](),
                                       headers: ["Authorization": "Bearer \(t)"])
            let key = "\(op.method) \(op.template.lowercased())"
            if let reason = reasons[key] {
                #expect(reply.status == 501, "\(key)")
                let message = ((reply.object["errors"] as? [String: Any])?["_"] as? String) ?? ""
                #expect(message.contains(reason), "\(key): \(message)")
            } else {
                #expect(![405, 501].contains(reply.status) && !(reply.status == 404 && reply.json == nil), "\(key) answered \(reply.status)")
            }
        }
        let anonymous = await app.call("GET", "/api/Teams/all")
        #expect(anonymous.status == 401, "unsupported operations still need a token")
    }

    /// The schema's property names for `ref` (a `#/components/schemas/…` reference).
    private func properties(_ ref: String) throws -> Set<String> {
        let name = try #require(ref.split(separator: "/").last).removingPercentEncoding!
        let schemas = try #require((try Self.spec()["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
        return Set((try #require(schemas[name]?["properties"] as? [String: Any])).keys)
    }

    /// The item schema of `method path`'s 200 answer.
    private func itemProperties(_ method: String, _ path: String) throws -> Set<String> {
        let paths = try #require(try Self.spec()["paths"] as? [String: [String: Any]])
        let op = try #require(paths[path]?[method] as? [String: Any])
        let content = try #require(((op["responses"] as? [String: Any])?["200"] as? [String: Any])?["content"] as? [String: Any])
        let result = try #require(((content["application/json"] as? [String: Any])?["schema"] as? [String: Any])?["$ref"] as? String)
        let name = try #require(result.split(separator: "/").last).removingPercentEncoding!
        let schemas = try #require((try Self.spec()["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
        let items = try #require((schemas[name]?["properties"] as? [String: Any])?["items"] as? [String: Any])
        return try properties(try #require((items["items"] as? [String: Any])?["$ref"] as? String))
    }

    @Test func simpleAndListSearchesAnswerInTheirOwnShapes() async throws {
        let t = await token()
        await app.seed(SandboxSeed(count: 30))
        let auth: HTTPFields = ["Authorization": "Bearer \(t)"]
        let list = await app.call("GET", "/api/DataObjectsSearch/list", query: [("perPage", "10"), ("singleType", "1")], headers: auth)
        #expect(list.status == 200)
        let listItems = list.object["items"] as? [[String: Any]] ?? []
        #expect(listItems.count == 10)
        #expect(list.object["scrollId"] is String)
        let listShape = try itemProperties("get", "/api/DataObjectsSearch/list")
        for item in listItems { #expect(Set(item.keys) == listShape) }

        let simple = await app.call("GET", "/api/DataObjectsSearch/simple", query: [("pageSize", "5"), ("typeId", "1")], headers: auth)
        let simpleItems = simple.object["items"] as? [[String: Any]] ?? []
        #expect(simpleItems.count == 5)
        let simpleShape = try itemProperties("get", "/api/DataObjectsSearch/simple")
        for item in simpleItems { #expect(Set(item.keys) == simpleShape) }
        let ids = simpleItems.compactMap { $0["id"] as? String }
        let byIds = await app.call("POST", "/api/DataObjectsSearch/simple", json: ["dataObjectIds": Array(ids.prefix(2)), "pageSize": 50], headers: auth)
        #expect(Set((byIds.object["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }) == Set(ids.prefix(2)))
        #expect(await app.call("POST", "/api/DataObjectsSearch/simple", json: ["dataObjectIds": "x"], headers: auth).status == 400)
    }
}
