import CrosswalkCore
import CrosswalkSandbox
import Foundation

/// Aritic (Mautic API): contact and company list pages (`limit` 200, `orderBy=id`, plus a `where[]` filter
/// and a `search`) at `start=0` and a deep `start`; contacts written through `batch/new` and `batch/edit`
/// in batches of 200 (Mautic's default batch limit).
enum AriticBenchmark: AppBenchmark {
    static let name = "aritic"

    static func makeApp(_ webhooks: SandboxWebhookDispatcher) -> any SandboxApp {
        AriticApp(environment: webhooks.environment(for: name))
    }

    static func run(_ h: BenchmarkHarness) async throws {
        let credentials = AriticApp.demoCredentials
        let basic = Data("\(credentials.username):\(credentials.password)".utf8).base64EncodedString()
        let auth: HTTPFields = ["Authorization": "Basic \(basic)"]

        func list(_ kind: String, start: Int, extra: String, check: Bool = true) async throws -> (count: Int, total: Int) {
            let response = try await h.send("GET", "/api/\(kind)?start=\(start)&limit=200&orderBy=id&orderByDir=asc\(extra)", headers: auth)
            guard check else { return (0, 0) }
            let page = try h.object(response)
            let total = (page["total"] as? Int) ?? Int(page["total"] as? String ?? "") ?? 0
            return ((page[kind] as? [String: Any])?.count ?? 0, total)
        }
        let cases: [(String, String, String)] = [
            ("contacts", "list_contacts", ""),
            ("contacts", "list_contacts_where", "&where%5B0%5D%5Bcol%5D=email&where%5B0%5D%5Bexpr%5D=isNotNull"),
            ("contacts", "list_contacts_search", "&search=%25example%25"),
            ("companies", "list_companies", ""),
        ]
        for (kind, metric, extra) in cases {
            let total = try await list(kind, start: 0, extra: extra).total
            let deep = max(0, total - 200) / 200 * 200
            try await h.recordsPerSecond("\(metric)_first_page") { try await list(kind, start: 0, extra: extra, check: $0).count }
            try await h.recordsPerSecond("\(metric)_start_\(deep)") { try await list(kind, start: deep, extra: extra, check: $0).count }
        }

        var serial = 0
        var created: [Int] = []
        try await h.recordsPerSecond("batch_new_contacts_200") { check in
            let contacts: [[String: Any]] = (0..<200).map { _ in
                serial += 1
                return ["firstname": "Bench", "lastname": "Contact \(serial)", "email": "bench\(serial)@bench.example.com",
                        "company": "Bench Co \(serial % 50)", "city": "Lyon", "points": serial % 100]
            }
            let response = try await h.send("POST", "/api/contacts/batch/new", json: contacts, headers: auth)
            guard check || created.isEmpty else { return contacts.count }
            let entities = try h.object(response)["contacts"]
            let list = (entities as? [[String: Any]]) ?? (entities as? [String: Any])?.values.compactMap { $0 as? [String: Any] } ?? []
            created += list.compactMap { $0["id"] as? Int }
            return list.count
        }
        var edit = 0
        try await h.recordsPerSecond("batch_edit_contacts_200") { check in
            let ids = (0..<200).map { created[(edit * 200 + $0) % created.count] }
            edit += 1
            let response = try await h.send("PATCH", "/api/contacts/batch/edit",
                                            json: ids.map { ["id": $0, "city": "Paris \(edit)"] }, headers: auth)
            guard check else { return ids.count }
            let entities = try h.object(response)["contacts"]
            return (entities as? [Any])?.count ?? (entities as? [String: Any])?.count ?? 0
        }
    }
}
