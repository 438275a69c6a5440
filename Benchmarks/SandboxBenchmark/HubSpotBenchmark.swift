import CrosswalkCore
import CrosswalkSandbox
import Foundation

/// HubSpot: contact list pages of 100 (first page, and a page near the end through `after`), search pages of 200
/// (an incremental read: `lastmodifieddate ≥ T` sorted by it, first page and the last page before the 10,000 cap;
/// and the same with a filter no index covers), all with 25 properties; batch create, update and upsert of 100.
/// Rate limits are lifted (a real portal allows 190 calls per 10 s and 5 searches per second).
enum HubSpotBenchmark: AppBenchmark {
    static let name = "hubspot"

    static func makeApp(_ webhooks: SandboxWebhookDispatcher) -> any SandboxApp {
        HubSpotApp(environment: webhooks.environment(for: name),
                   configuration: .init(burstPerTenSeconds: 1 << 40, oauthBurstPerTenSeconds: 1 << 40, dailyLimit: 1 << 40, searchPerSecond: 1 << 40))
    }

    static let properties = ["email", "firstname", "lastname", "phone", "mobilephone", "company", "jobtitle", "website", "address", "city",
                             "state", "zip", "country", "lifecyclestage", "hs_lead_status", "hubspot_owner_id", "hs_language", "createdate",
                             "lastmodifieddate", "hs_object_id", "hs_analytics_source", "num_associated_deals", "notes_last_updated",
                             "associatedcompanyid", "hs_email_optout"]

    static func run(_ h: BenchmarkHarness) async throws {
        let auth: HTTPFields = ["Authorization": "Bearer \(HubSpotDemoCredentials.privateAppToken)"]
        let selection = properties.map { "properties=\($0)" }.joined(separator: "&")
        func list(after: String?) async throws -> Int {
            let path = "/crm/v3/objects/contacts?limit=100&\(selection)" + (after.map { "&after=\($0)" } ?? "")
            return (try h.object(try await h.send("GET", path, headers: auth))["results"] as? [Any])?.count ?? 0
        }
        try await h.recordsPerSecond("list_contacts_first_page") { _ in try await list(after: nil) }
        // Ids are one sequence over every type: contacts sit between the companies, deals and invoices.
        let deep = String(10_001 + h.options.seed * 6 - 600)
        try await h.recordsPerSecond("list_contacts_deep_page") { _ in try await list(after: deep) }

        let since = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-300 * 86_400))
        var total = 0
        func search(_ filters: [[String: Any]], after: Int) async throws -> Int {
            let body: [String: Any] = ["filterGroups": [["filters": filters]], "properties": properties, "limit": 200, "after": String(after),
                                       "sorts": [["propertyName": "lastmodifieddate", "direction": "ASCENDING"]]]
            let page = try h.object(try await h.send("POST", "/crm/v3/objects/contacts/search", json: body, headers: auth))
            total = page["total"] as? Int ?? 0
            return (page["results"] as? [Any])?.count ?? 0
        }
        let incremental: [[String: Any]] = [["propertyName": "lastmodifieddate", "operator": "GTE", "value": since]]
        let narrowed = incremental + [["propertyName": "lifecyclestage", "operator": "EQ", "value": "customer"]]
        for (kind, filters) in [("search_modified_since", incremental), ("search_modified_since_and_stage", narrowed)] {
            try await h.recordsPerSecond("\(kind)_first_page") { _ in try await search(filters, after: 0) }
            // The deepest page search serves (10,000 results at most), or the last one of a smaller portal.
            let deep = max(0, min(9_800, (total - 200) / 200 * 200))
            try await h.recordsPerSecond("\(kind)_deep_page") { _ in try await search(filters, after: deep) }
            // A paging loop: page n resumes where page n−1 stopped.
            var offset = 0
            try await h.recordsPerSecond("\(kind)_paging_loop") { _ in
                defer { offset = offset + 200 > deep ? 0 : offset + 200 }
                return try await search(filters, after: offset)
            }
        }

        var batch = 0
        var created: [String] = []
        try await h.recordsPerSecond("batch_create_100") { _ in
            batch += 1
            let inputs = (0..<100).map { i in ["properties": ["email": "bench-\(batch)-\(i)@example.com", "firstname": "Bench", "lastname": "\(i)",
                                                              "lifecyclestage": "lead", "jobtitle": "Engineer", "city": "Lyon"]] }
            let results = try h.object(try await h.send("POST", "/crm/v3/objects/contacts/batch/create", json: ["inputs": inputs], headers: auth))["results"]
                as? [[String: Any]] ?? []
            created += results.compactMap { $0["id"] as? String }
            return results.count
        }
        var round = 0
        try await h.recordsPerSecond("batch_update_100") { _ in
            round += 1
            let ids = created[(round * 100) % max(1, created.count - 100)..<((round * 100) % max(1, created.count - 100) + 100)]
            let inputs = ids.map { ["id": $0, "properties": ["jobtitle": "Engineer \(round)", "city": "Paris"]] }
            let body = try h.object(try await h.send("POST", "/crm/v3/objects/contacts/batch/update", json: ["inputs": inputs], headers: auth))
            return (body["results"] as? [Any])?.count ?? 0
        }
        try await h.recordsPerSecond("batch_upsert_100_by_email") { _ in
            round += 1
            let inputs = (0..<100).map { i in
                ["id": "bench-\(1 + (round + i) % max(1, batch))-\(i)@example.com", "idProperty": "email", "properties": ["lastname": "Upserted \(round)"]]
            }
            let body = try h.object(try await h.send("POST", "/crm/v3/objects/contacts/batch/upsert", json: ["inputs": inputs], headers: auth))
            return (body["results"] as? [Any])?.count ?? 0
        }
    }
}
