import CrosswalkCore
import CrosswalkSandbox
import Foundation

/// NetSuite: record-list pages (ids and links, 1,000 a page) plain and with a `q` filter, SuiteQL pages of
/// 1,000 contacts with every column, at the first page and a deep one; customer creation (NetSuite's REST
/// record service has no batch write, so one record per request).
enum NetSuiteBenchmark: AppBenchmark {
    static let name = "netsuite"
    static let records = "/services/rest/record/v1"

    static func makeApp(_ webhooks: SandboxWebhookDispatcher) -> any SandboxApp {
        // A high concurrency limit: the benchmark measures the emulator's work, not the account's governance.
        NetSuiteApp(environment: webhooks.environment(for: name), configuration: .init(concurrencyLimit: 1000))
    }

    static func run(_ h: BenchmarkHarness) async throws {
        let basic = Data("\(NetSuiteDemoCredentials.clientId):\(NetSuiteDemoCredentials.clientSecret)".utf8).base64EncodedString()
        let token = try h.object(try await h.send(
            "POST", "/services/rest/auth/oauth2/v1/token",
            form: "grant_type=authorization_code&code=\(NetSuiteDemoCredentials.authorizationCode)&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb",
            headers: ["Authorization": "Basic \(basic)"]))["access_token"] as? String ?? ""
        let auth: HTTPFields = ["Authorization": "Bearer \(token)"]

        func listPage(_ type: String, offset: Int, q: String? = nil, check: Bool = true) async throws -> (count: Int, total: Int) {
            var path = "\(records)/\(type)?limit=1000&offset=\(offset)"
            if let q { path += "&q=" + q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }
            let response = try await h.send("GET", path, headers: auth)
            guard check else { return (0, 0) }
            let page = try h.object(response)
            return ((page["items"] as? [Any])?.count ?? 0, page["totalResults"] as? Int ?? 0)
        }
        for (type, q) in [("contact", nil), ("customer", nil), ("contact", #"lastModifiedDate ON_OR_AFTER "1/1/2000""#)] as [(String, String?)] {
            let kind = q == nil ? "list_\(type)" : "list_\(type)_q"
            let total = try await listPage(type, offset: 0, q: q).total
            let deep = max(0, min(total, 100_000) - 1000) / 1000 * 1000
            try await h.recordsPerSecond("\(kind)_first_page") { try await listPage(type, offset: 0, q: q, check: $0).count }
            try await h.recordsPerSecond("\(kind)_offset_\(deep)") { try await listPage(type, offset: deep, q: q, check: $0).count }
        }

        var suiteQLHeaders = auth
        suiteQLHeaders["Prefer"] = "transient"
        func suiteQL(_ sql: String, offset: Int, check: Bool = true) async throws -> (count: Int, total: Int) {
            let response = try await h.send("POST", "/services/rest/query/v1/suiteql?limit=1000&offset=\(offset)",
                                            json: ["q": sql], headers: suiteQLHeaders)
            guard check else { return (0, 0) }
            let page = try h.object(response)
            return ((page["items"] as? [Any])?.count ?? 0, page["totalResults"] as? Int ?? 0)
        }
        for (kind, sql) in [("suiteql_contact", "SELECT * FROM contact ORDER BY id"),
                            ("suiteql_contact_where", "SELECT id, firstname, lastname, email, company, lastmodifieddate FROM contact WHERE lastmodifieddate >= TO_DATE('2000-01-01', 'YYYY-MM-DD') ORDER BY lastmodifieddate, id")] {
            let total = try await suiteQL(sql, offset: 0).total
            let deep = max(0, min(total, 100_000) - 1000) / 1000 * 1000
            try await h.recordsPerSecond("\(kind)_first_page") { try await suiteQL(sql, offset: 0, check: $0).count }
            try await h.recordsPerSecond("\(kind)_offset_\(deep)") { try await suiteQL(sql, offset: deep, check: $0).count }
        }

        var serial = 0
        try await h.recordsPerSecond("create_customer_single", calls: h.options.requests * 50) { _ in
            serial += 1
            try await h.send("POST", "\(records)/customer", json: [
                "companyName": "Benchmark Company \(serial)", "email": "ap\(serial)@bench.example.com", "phone": "+1 555 0100",
                "subsidiary": ["id": "1"], "currency": ["id": "1"], "creditLimit": 5000, "comments": "created by sandbox-benchmark",
            ], headers: auth, expect: 204)
            return 1
        }
    }
}
