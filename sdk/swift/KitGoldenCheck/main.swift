// Reads every golden document of sdk/fixtures/abi-1.1 with the Swift kit's types, encodes it again
// and checks that nothing was lost: the plugin side of the golden tests. (The kit cannot be linked
// into the host's test process, which loads Swift plugins that carry their own copy of it.)
//   kit-golden-check <fixtures folder>     prints "ok NAME" or "FAIL NAME: why", exits 1 on a failure
import CrosswalkPluginKit
import Foundation

let folder = URL(fileURLWithPath: CommandLine.arguments.dropFirst().first ?? "sdk/fixtures/abi-1.1")
var failures = 0

func covers(_ original: JSONValue, _ encoded: JSONValue, _ path: String) -> String? {
    switch (original, encoded) {
    case (.object(let o), .object(let e)):
        for (key, value) in o where !value.isNull {
            guard let other = e[key] else { return "\(path).\(key) was lost" }
            if let why = covers(value, other, "\(path).\(key)") { return why }
        }
        return nil
    case (.array(let o), .array(let e)):
        guard o.count == e.count else { return "\(path): \(o.count) elements became \(e.count)" }
        for (i, pair) in zip(o, e).enumerated() { if let why = covers(pair.0, pair.1, "\(path)[\(i)]") { return why } }
        return nil
    default:
        return original == encoded ? nil : "\(path): \(original) became \(encoded)"
    }
}

@MainActor func check<T: Codable & Sendable>(_ type: T.Type, _ name: String, _ extra: @MainActor (T) -> String? = { _ in nil }) {
    do {
        let data = try Data(contentsOf: folder.appendingPathComponent(name))
        let original = try JSONParser.parse(data)
        let decoded = try JSONValueDecoder().decode(T.self, from: original)
        let encoded = try JSONValueEncoder().encodeValue(decoded)
        if let why = covers(original, encoded, name) ?? extra(decoded) {
            failures += 1
            print("FAIL \(name): \(why)")
        } else {
            print("ok \(name)")
        }
    } catch {
        failures += 1
        print("FAIL \(name): \(error)")
    }
}

check(ReadRequest.self, "read-request.json") { r in
    guard case .and(let parts)? = r.filter, parts.count == 4 else { return "filter is not an and of 4" }
    guard case .compare("ge", "Annual_Value__c", let v) = parts[3], v.numberValue?.text == "12345678901234567890.5" else {
        return "the exact number was not kept"
    }
    return nil
}
check(ReadRequest.self, "read-request-start-now.json") { $0.start == "now" ? nil : "start is not now" }
check(ReadResult.self, "read-result.json") { r in
    r.records[2].change == .merge && r.records[2].mergedInto != nil && r.records[0].links?.count == 1 && r.filterApplied == .partial
        ? nil : "1.1 record members were not read"
}
check(ReadResult.self, "read-result-1.0.json")
check(WriteRequest.self, "write-request.json") { $0.records[0].links?.first?.type == "contact_to_company" ? nil : "links lost" }
check(WriteResult.self, "write-result.json") { r in
    r.results.map(\.outcome) == [.created, .failed, .unknown] && r.results[1].error?.fields == ["email"] ? nil : "outcomes lost"
}
check(WriteResult.self, "write-result-1.0.json")
check(DiscoverRequest.self, "discover-request.json")
check(DiscoverResult.self, "discover-result.json") { r in
    r.objects[0].fields.first { $0.name == "WhoId" }?.referenceTo == ["Contact", "Lead"] ? nil : "reference_to lost"
}
check(WebhookRequest.self, "webhook-request.json") { r in String(decoding: r.bodyData, as: UTF8.self) == r.body ? nil : "raw body differs" }
check(WebhookResult.self, "webhook-result.json")
check(CheckResult.self, "check-result.json")
check(ConnectionFacts.self, "connection-facts.json")

// The manifests must survive the kit's JSONValue (what a Swift plugin's descriptor carries).
for name in ["manifest.json", "manifest-hubspot-webhooks.json"] { check(JSONValue.self, name) }

print(failures == 0 ? "all golden documents read by the kit" : "\(failures) golden documents failed")
exit(failures == 0 ? 0 : 1)
