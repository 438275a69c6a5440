import CrosswalkCore
@testable import CrosswalkSandbox
import CrosswalkTestKit
import Foundation
import Testing

/// The bulk-job endpoints of SPOTIO's swagger (tag DataObjectsBulkJobs): create a job, upload NDJSON, start, poll
/// progress, download succeeded and failed results. (They answered 501 before; the swagger documents them.)
@Suite("SPOTIO emulator: bulk jobs")
struct SpotioBulkJobTests {
    let env = WebhookRecordingEnvironment()
    let app: SpotioApp

    init() { app = SpotioApp(environment: env) }

    private func authed(_ method: String, _ path: String, _ token: String, json: Any? = nil, raw: Data? = nil) async -> JSONReply {
        await app.call(method, path, json: json, rawBody: raw,
                       headers: raw == nil ? ["Authorization": "Bearer \(token)"] : ["Authorization": "Bearer \(token)", "Content-Type": "application/octet-stream"])
    }

    private func ndjson(_ lines: [[String: Any]]) -> Data {
        Data(lines.map { String(decoding: try! JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }.joined(separator: "\n").utf8)
    }

    private func text(_ method: String, _ path: String, _ token: String) async -> [[String: Any]] {
        let response = await app.handle(SandboxRequest(method: method, path: path, headers: ["Authorization": "Bearer \(token)"]))
        return response.body.split(separator: UInt8(ascii: "\n")).compactMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }
    }

    @Test func createJobsUploadStartAndReadPerRecordResults() async throws {
        let t = await app.call("POST", "/api/users/apitoken", json: ["clientId": SpotioApp.demoCredentials.clientId,
                                                                     "secret": SpotioApp.demoCredentials.secret]).object["accessToken"] as? String ?? ""
        let bad = await authed("POST", "/api/jobs/dataObjects/bulk", t, json: ["operation": "upsert", "dataObjectTypeId": 1])
        #expect(bad.status == 400)
        let job = await authed("POST", "/api/jobs/dataObjects/bulk", t, json: ["operation": "create", "dataObjectTypeId": 1])
        #expect(job.status == 200 && job.object["state"] as? String == "Open" && job.object["dataObjectTypeId"] as? Int == 1)
        let id = try #require(job.object["id"] as? String)
        let early = await authed("POST", "/api/jobs/dataObjects/bulk/\(id)/start", t)
        #expect(early.status == 400, "a job without data cannot start")

        let given = "6650f1c0aaaaaaaaaaaaaaaa"
        let lines: [[String: Any]] = [
            ["id": given, "typeId": 1, "fields": [["fieldId": "101", "value": "Bulk One"], ["fieldId": "104", "value": "one@example.com"]]],
            ["typeId": 1, "fields": [["fieldId": "104", "value": "not an email"]]],
            ["typeId": 1, "stageId": 15, "fields": [["fieldId": "101", "value": "Bulk Two"]]],
        ]
        let file = await authed("PUT", "/api/jobs/dataObjects/bulk/\(id)/data", t, raw: ndjson(lines))
        #expect(file.status == 200 && file.object["recordCount"] as? Int == 3 && file.object["bulkJobId"] as? String == id)
        let started = await authed("POST", "/api/jobs/dataObjects/bulk/\(id)/start", t)
        #expect(started.status == 200)
        let progress = await authed("GET", "/api/jobs/dataObjects/bulk/\(id)/progress", t)
        #expect(progress.object["state"] as? String == "Completed")
        #expect(progress.object["totalRecordsToProcess"] as? Int == 3 && progress.object["recordsFailed"] as? Int == 1)

        let succeeded = await text("GET", "/api/jobs/dataObjects/bulk/\(id)/results/succeeded", t)
        #expect(succeeded.count == 2 && succeeded.first?["dataObjectId"] as? String == given)
        let failed = await text("GET", "/api/jobs/dataObjects/bulk/\(id)/results/failed", t)
        #expect(failed.count == 1 && (failed.first?["error"] as? String)?.contains("needs an e-mail address") == true)
        #expect(failed.first?["fileId"] as? String == file.object["id"] as? String)
        let record = await authed("GET", "/api/DataObjects/\(given)", t)
        #expect(record.status == 200 && (record.object["emails"] as? [String]) == ["one@example.com"])
        #expect(env.webhooks.isEmpty, "no subscriber")

        // patch: only what the line carries changes.
        let patchJob = await authed("POST", "/api/jobs/dataObjects/bulk", t, json: ["operation": "patch", "dataObjectTypeId": 1])
        let pid = try #require(patchJob.object["id"] as? String)
        _ = await authed("PUT", "/api/jobs/dataObjects/bulk/\(pid)/data", t, raw: ndjson([
            ["id": given, "typeId": 1, "stageId": 12], ["id": "6650f1c0ffffffffffffffff", "typeId": 1, "stageId": 12],
        ]))
        _ = await authed("POST", "/api/jobs/dataObjects/bulk/\(pid)/start", t)
        #expect(await text("GET", "/api/jobs/dataObjects/bulk/\(pid)/results/failed", t).count == 1)
        let patched = await authed("GET", "/api/DataObjects/\(given)", t)
        #expect(patched.object["stageId"] as? String == "12" && (patched.object["emails"] as? [String]) == ["one@example.com"])
        let again = await authed("PUT", "/api/jobs/dataObjects/bulk/\(pid)/data", t, raw: ndjson([["id": given]]))
        #expect(again.status == 400, "a started job takes no more data")
        let cleaned = await authed("DELETE", "/api/jobs/dataObjects/bulk/\(pid)/cleanup", t)
        #expect(cleaned.status == 200)
        #expect(await authed("GET", "/api/jobs/dataObjects/bulk/\(pid)", t).object["state"] as? String == "Aborted")
    }
}
