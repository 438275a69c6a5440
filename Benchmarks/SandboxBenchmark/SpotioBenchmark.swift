import CrosswalkCore
import CrosswalkSandbox
import Foundation

/// SPOTIO: `DataObjectsSearch` pages of 1,000 (first page, and the last page of a scroll through every
/// record), the activity feed; activities written in batches of 100 through `ActivitiesV2/many`.
enum SpotioBenchmark: AppBenchmark {
    static let name = "spotio"

    static func makeApp(_ webhooks: SandboxWebhookDispatcher) -> any SandboxApp {
        SpotioApp(environment: webhooks.environment(for: name))
    }

    /// The `scrollId` string of a search answer, read straight from its bytes; `nil` when it is `null`.
    static func scrollId(in body: Data) -> String? {
        let marker = Array(#""scrollId":""#.utf8)
        let bytes = [UInt8](body)
        guard bytes.count > marker.count else { return nil }
        for start in 0...(bytes.count - marker.count) where bytes[start] == marker[0] && Array(bytes[start..<(start + marker.count)]) == marker {
            let from = start + marker.count
            guard let end = bytes[from...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
            return String(decoding: bytes[from..<end], as: UTF8.self)
        }
        return nil
    }

    static func run(_ h: BenchmarkHarness) async throws {
        let credentials = SpotioApp.demoCredentials
        let token = try h.object(try await h.send("POST", "/api/users/apitoken",
                                                  json: ["clientId": credentials.clientId, "secret": credentials.secret]))["accessToken"] as? String ?? ""
        let auth: HTTPFields = ["Authorization": "Bearer \(token)"]

        func search(_ criteria: [String: Any], check: Bool = true) async throws -> (count: Int, scrollId: String?, ids: [String]) {
            let response = try await h.send("POST", "/api/DataObjectsSearch", json: criteria, headers: auth)
            guard check else { return (0, nil, []) }
            let page = try h.object(response)
            let items = page["items"] as? [[String: Any]] ?? []
            return (items.count, page["scrollId"] as? String, items.compactMap { $0["id"] as? String })
        }
        for (kind, criteria) in [("search", ["perPage": 1000] as [String: Any]),
                                 ("search_hasEmail_sort_updated", ["perPage": 1000, "hasEmail": true, "sortBy": "-updatedAt"])] {
            try await h.recordsPerSecond("\(kind)_first_page") { try await search(criteria, check: $0).count }
            // A deep page: scroll to the end once, timing the last full pages.
            let scroll = try await search(criteria)
            var deepPages: [(seconds: Double, count: Int)] = []
            var depth = 1
            var cursor = scroll.scrollId
            while let next = cursor {
                var c = criteria
                c["scrollId"] = next
                let started = ContinuousClock.now
                let response = try await h.send("POST", "/api/DataObjectsSearch", json: c, headers: auth)
                deepPages.append((BenchmarkHarness.seconds(ContinuousClock.now - started), 0))
                // The next cursor without decoding the page (the client shares the process with the server).
                cursor = Self.scrollId(in: response.body)
                depth += 1
            }
            // Every page but the last is full.
            deepPages = deepPages.dropLast().map { ($0.seconds, 1000) }
            let tail = deepPages.filter { $0.count == 1000 }.suffix(h.options.requests)
            if !tail.isEmpty {
                let seconds = tail.map(\.seconds).reduce(0, +)
                h.report("\(kind)_scroll_page_\(depth)", Double(tail.count * 1000) / seconds, "records/s")
                h.report("\(kind)_scroll_page_\(depth)_ms", seconds / Double(tail.count) * 1000, "ms/request")
            }
        }

        let leadIds = try await search(["perPage": 1000]).ids
        var batch = 0
        try await h.recordsPerSecond("create_activities_batch_100") { _ in
            batch += 1
            let activities: [[String: Any]] = (0..<100).map { i in
                ["dataObjectId": leadIds[(batch * 100 + i) % leadIds.count], "type": "Note", "notes": "benchmark note \(batch)-\(i)",
                 "done": true]
            }
            try await h.send("POST", "/api/ActivitiesV2/many", json: activities, headers: auth)
            return activities.count
        }
        try await h.recordsPerSecond("activity_feed_first_page") { check in
            let response = try await h.send("GET", "/api/ActivitiesV2/feed", headers: auth)
            guard check else { return 0 }
            return (try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
                .flatMap { ($0["activities"] as? [Any])?.count ?? ($0["items"] as? [Any])?.count } ?? 0
        }
    }
}
