import CrosswalkCore
import CrosswalkHTTP
import CrosswalkSandbox
import Foundation

/// Salesforce: SOQL pages of 2,000 contacts with every field describe lists (67, compound addresses
/// included) — the first page, a `nextRecordsUrl` page deep in a 300,000-row cursor, queryMore page after
/// page, and a keyset page (`WHERE Id > :last ORDER BY Id LIMIT 2000`) deep in the table; an incremental
/// `SystemModstamp` window; Bulk API 2.0 query results pages; and `composite/sobjects` writes of 200 contacts
/// (create and update).
enum SalesforceBenchmark: AppBenchmark {
    static let name = "salesforce"
    static let data = "/services/data/v60.0"

    static func makeApp(_ webhooks: SandboxWebhookDispatcher) -> any SandboxApp {
        SalesforceApp(environment: webhooks.environment(for: name))
    }

    /// A query page's header fields and record count, read without decoding every record (the client's
    /// JSON decoding would otherwise be what is measured).
    struct Page {
        var total: Int
        var next: String?
        var count: Int
    }

    static func page(_ response: HTTPResponse, type: String) throws -> Page {
        let marker = Array("{\"attributes\":{\"type\":\"\(type)\"".utf8)
        let recordsKey = Array("\"records\":[".utf8)
        return try response.body.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) throws -> Page in
            guard let recordsAt = find(recordsKey, in: bytes, from: 0) else {
                throw BenchmarkError("no records in \(response.bodyText.prefix(200))")
            }
            // The header fields come before the records; decode only them.
            let header = Data(bytes[0..<recordsAt]).dropLast() + Data("}".utf8)
            guard let head = try JSONSerialization.jsonObject(with: header) as? [String: Any] else { throw BenchmarkError("bad page header") }
            var count = 0
            var from = recordsAt + recordsKey.count
            while let found = find(marker, in: bytes, from: from) {
                count += 1
                from = found + marker.count
            }
            return Page(total: head["totalSize"] as? Int ?? 0, next: head["nextRecordsUrl"] as? String, count: count)
        }
    }

    /// The offset of `needle` in `bytes` at or after `from`.
    static func find(_ needle: [UInt8], in bytes: UnsafeRawBufferPointer, from: Int) -> Int? {
        guard let first = needle.first, bytes.count >= needle.count else { return nil }
        var i = from
        let last = bytes.count - needle.count
        while i <= last {
            if bytes[i] == first {
                var k = 1
                while k < needle.count, bytes[i + k] == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    static func run(_ h: BenchmarkHarness) async throws {
        let credentials = SalesforceApp.demoCredentials
        let form = ["grant_type=password", "client_id=\(credentials.clientID)", "client_secret=\(credentials.clientSecret)",
                    "username=\(credentials.username.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
                    "password=\(credentials.password)\(credentials.securityToken)"].joined(separator: "&")
        let token = try h.object(try await h.send("POST", "/services/oauth2/token", form: form))["access_token"] as? String ?? ""
        let auth: HTTPFields = ["Authorization": "Bearer \(token)"]

        let describe = try h.object(try await h.send("GET", "\(data)/sobjects/Contact/describe", headers: auth))
        let fields = (describe["fields"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        let all = fields.joined(separator: ",")
        h.report("contact_fields", Double(fields.count), "fields")

        func query(_ soql: String) async throws -> Page {
            let q = soql.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            return try page(try await h.send("GET", "\(data)/query?q=\(q)", headers: auth), type: "Contact")
        }
        func more(_ url: String) async throws -> Page {
            try page(try await h.send("GET", url, headers: auth), type: "Contact")
        }

        // The first page of the whole table (the query runs, the cursor is made, one page is written).
        let first = try await query("SELECT \(all) FROM Contact")
        h.report("contacts", Double(first.total), "rows")
        try await h.recordsPerSecond("query_first_page_2000") { _ in try await query("SELECT \(all) FROM Contact").count }

        // A page deep in that cursor: the locator with an offset near the end.
        guard let next = first.next, let dash = next.lastIndex(of: "-") else { throw BenchmarkError("no nextRecordsUrl") }
        let deepOffset = max(2000, first.total - 2000) / 2000 * 2000
        let deepURL = String(next[..<dash]) + "-\(deepOffset)"
        try await h.recordsPerSecond("query_locator_offset_\(deepOffset)") { _ in try await more(deepURL).count }

        // queryMore: one page after another through the cursor.
        var cursor: String? = first.next
        try await h.recordsPerSecond("query_more_pages") { _ in
            if cursor == nil { cursor = first.next }
            let page = try await more(cursor!)
            cursor = page.next
            return page.count
        }

        // Keyset paging deep in the table: WHERE Id > :last ORDER BY Id LIMIT 2000.
        let deepID = try await lastID(h, auth: auth, skipping: max(0, first.total - 4000))
        try await h.recordsPerSecond("query_keyset_deep_2000") { _ in
            try await query("SELECT \(all) FROM Contact WHERE Id > '\(deepID)' ORDER BY Id LIMIT 2000").count
        }

        // Incremental window on SystemModstamp (index range, then Id order).
        try await h.recordsPerSecond("query_systemmodstamp_window_2000") { _ in
            try await query("SELECT \(all) FROM Contact WHERE SystemModstamp >= LAST_N_DAYS:30 ORDER BY SystemModstamp, Id LIMIT 2000").count
        }

        try await bulk(h, auth: auth, fields: fields)

        // composite/sobjects writes, 200 records a call.
        var serial = 0
        var created: [String] = []
        try await h.recordsPerSecond("composite_create_contacts_200") { _ in
            let records: [[String: Any]] = (0..<200).map { _ in
                serial += 1
                return ["attributes": ["type": "Contact"], "FirstName": "Bench", "LastName": "Contact \(serial)",
                        "Email": "bench\(serial)@bench.example.com", "Title": "Buyer", "MailingCity": "Lyon", "LeadSource": "Web"]
            }
            let results = try JSONSerialization.jsonObject(with: try await h.send("POST", "\(data)/composite/sobjects",
                                                                                   json: ["allOrNone": false, "records": records], headers: auth).body) as? [[String: Any]] ?? []
            created += results.compactMap { $0["id"] as? String }
            return results.filter { $0["success"] as? Bool == true }.count
        }
        var round = 0
        try await h.recordsPerSecond("composite_update_contacts_200") { _ in
            let records: [[String: Any]] = (0..<200).map { k in
                ["attributes": ["type": "Contact"], "Id": created[(round * 200 + k) % created.count], "Title": "Buyer \(round)"]
            }
            round += 1
            let results = try JSONSerialization.jsonObject(with: try await h.send("PATCH", "\(data)/composite/sobjects",
                                                                                   json: ["allOrNone": false, "records": records], headers: auth).body) as? [[String: Any]] ?? []
            return results.filter { $0["success"] as? Bool == true }.count
        }
    }

    /// The Id of the row after `skipping` rows in Id order, found by keyset pages of 2,000 ids.
    static func lastID(_ h: BenchmarkHarness, auth: HTTPFields, skipping: Int) async throws -> String {
        var last = ""
        var seen = 0
        while seen < skipping {
            let soql = last.isEmpty ? "SELECT Id FROM Contact ORDER BY Id LIMIT 2000" : "SELECT Id FROM Contact WHERE Id > '\(last)' ORDER BY Id LIMIT 2000"
            let page = try h.object(try await h.send("GET", "\(data)/query?q=" + soql.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!,
                                                     headers: auth))
            let records = page["records"] as? [[String: Any]] ?? []
            guard let id = records.last?["Id"] as? String else { break }
            last = id
            seen += records.count
        }
        return last
    }

    /// Bulk API 2.0: one query job over every contact, then results pages of `maxRecords` rows (CSV).
    static func bulk(_ h: BenchmarkHarness, auth: HTTPFields, fields: [String]) async throws {
        let compoundFree = fields.filter { !$0.hasSuffix("Address") }.joined(separator: ",")
        let job = try h.object(try await h.send("POST", "\(data)/jobs/query", json: ["operation": "query", "query": "SELECT \(compoundFree) FROM Contact"],
                                                headers: auth))
        guard let id = job["id"] as? String else { throw BenchmarkError("no job id") }
        var state = ""
        for _ in 0..<50 where state != "JobComplete" {
            state = try h.object(try await h.send("GET", "\(data)/jobs/query/\(id)", headers: auth))["state"] as? String ?? ""
        }
        guard state == "JobComplete" else { throw BenchmarkError("bulk job did not complete: \(state)") }
        var locator: String?
        try await h.recordsPerSecond("bulk_results_10000") { _ in
            var path = "\(data)/jobs/query/\(id)/results?maxRecords=10000"
            if let locator { path += "&locator=\(locator)" }
            let response = try await h.send("GET", path, headers: auth)
            let next = response.headers["Sforce-Locator"]
            locator = next == nil || next == "null" ? nil : next
            return Int(response.headers["Sforce-NumberOfRecords"] ?? "") ?? 0
        }
    }
}
