import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkPlugins
import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Testing

/// The daily API quota read from `Sforce-Limit-Info`: a run stops cleanly near the limit and the
/// next one resumes from the same cursor, nothing lost or read twice.
@Suite("Salesforce connector: API quota")
struct SalesforceQuotaTests {
    @Test("reads stop with rate_limited and the numbers once usage passes quota_stop_percent; the next run resumes from the cursor")
    func stopsNearTheLimitAndResumes() async throws {
        try await SalesforceHarness.with { h in
            let all = Set(try await h.bulkCreate("Contact", count: 1000, secondsAgo: 3000))
            // 0.05% of the emulator's 15,000 daily requests: the stop comes after 8 calls.
            let tight = try await h.connector("sf-tight", settings: ["quota_stop_percent": 0.05])
            var seen: [String] = []
            var cursor: JSONValue?
            var stop: (any Error)?
            while true {
                do {
                    let page = try await tight.read(ReadRequest(object: "Contact", cursor: cursor, limit: 100))
                    seen += ids(page.records)
                    cursor = page.nextCursor
                    if !page.hasMore { break }
                } catch {
                    stop = error
                    break
                }
            }
            let error = try #require(stop as? CrosswalkError)
            #expect(error.code == .rateLimited)
            #expect(error.message.contains("of 15000 daily API requests used"))
            #expect(error.message.contains("0.05%"))
            #expect(seen.count < 1000, "the run stopped before the end")
            // check still answers, and says how much is used.
            let check = try await tight.check()
            #expect(check.ok && check.message.contains("of 15000 daily API requests used"))
            // A later run (here: a connection allowed more) resumes from the stored cursor.
            let roomy = try await h.connector("sf-roomy")
            let rest = try await readAll(roomy, ReadRequest(object: "Contact", cursor: cursor, limit: 200))
            #expect(Set(seen).isDisjoint(with: ids(rest.records)))
            #expect(Set(seen).union(ids(rest.records)) == all)
            await tight.close()
            await roomy.close()
        }
    }

    @Test("Salesforce's own REQUEST_LIMIT_EXCEEDED is rate_limited with its message")
    func requestLimitExceeded() async throws {
        try await SalesforceHarness.with { h in
            let sf = try await h.connector()
            _ = try await sf.read(ReadRequest(object: "Account", ids: []))
            _ = try await h.control("faults", ["rate_limit_burst": 1])
            do {
                _ = try await sf.read(ReadRequest(object: "Account"))
                Issue.record("the read went through")
            } catch let e as CrosswalkError {
                #expect(e.code == .rateLimited && e.message.contains("REQUEST_LIMIT_EXCEEDED"))
            }
            await sf.close()
        }
    }
}
