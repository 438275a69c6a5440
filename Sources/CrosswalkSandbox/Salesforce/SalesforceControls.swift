import Foundation
import Synchronization

/// The Salesforce emulator's own test controls, `POST /__sandbox/app/<name>` (see `Salesforce/README.md`).
extension SalesforceApp {
    public var controlNames: [String] { ["account_state", "bulk_create", "bulk_query", "merge"] }

    public func control(_ name: String, _ request: SandboxRequest) async -> SandboxResponse? {
        switch name {
        case "account_state": return accountState(request)
        case "bulk_create": return bulkCreate(request)
        case "bulk_query": return bulkQueryControl(request)
        case "merge": return mergeControl(request)
        default: return nil
        }
    }

    static func controlError(_ message: String) -> SandboxResponse { .json(400, ["error": message]) }

    /// `{"object":"Contact","count":500,"systemModstamp":"2024-05-01T09:30:00.000+0000"}`: `count` records
    /// created at once that share one SystemModstamp (now when absent).
    private func bulkCreate(_ request: SandboxRequest) -> SandboxResponse {
        let usage = "bulk_create takes {\"object\": \"Account|Contact|Lead|Opportunity|Task\", \"count\": 1…50000, \"systemModstamp\": \"2024-05-01T09:30:00.000+0000\"}"
        guard let body = request.jsonBody() as? [String: Any], let objectName = body["object"] as? String,
              let object = SalesforceCatalog.object(objectName), object.createable,
              let count = body["count"] as? Int, (1...50_000).contains(count) else {
            return Self.controlError(usage)
        }
        var stamp = environment.now()
        if let raw = body["systemModstamp"] {
            guard let text = raw as? String, let parsed = SalesforceDates.parseDateTime(text) else { return Self.controlError(usage) }
            stamp = parsed
        }
        let now = environment.now()
        let ids = state.withLock { state in
            SalesforceSeeder.addSharingTimestamp(&state.store, object: object, count: count, stamp: stamp, randomSeed: 42, now: now)
        }
        return .json(200, ["object": object.name, "count": ids.count, "systemModstamp": SalesforceDates.dateTime(stamp), "ids": ids])
    }

    /// `{"pollsToComplete": N, "failNext": "message"}`: how many status reads a Bulk API 2.0 query job takes to
    /// complete (2 by default: InProgress, then JobComplete), and a failure for the next job created.
    private func bulkQueryControl(_ request: SandboxRequest) -> SandboxResponse {
        let usage = "bulk_query takes {\"pollsToComplete\": 1…100, \"failNext\": \"error message\"}"
        guard let body = request.jsonBody() as? [String: Any], !body.isEmpty,
              Set(body.keys).isSubset(of: ["pollsToComplete", "failNext"]) else { return Self.controlError(usage) }
        var polls: Int?
        if let raw = body["pollsToComplete"] {
            guard let n = raw as? Int, (1...100).contains(n) else { return Self.controlError(usage) }
            polls = n
        }
        var failure: String?
        if let raw = body["failNext"] {
            guard let text = raw as? String, !text.isEmpty else { return Self.controlError(usage) }
            failure = text
        }
        let settings = state.withLock { state in
            if let polls { state.bulk.pollsToComplete = polls }
            if let failure { state.bulk.failNext = failure }
            return (state.bulk.pollsToComplete, state.bulk.failNext)
        }
        return .json(200, ["pollsToComplete": settings.0, "failNext": settings.1 as Any? ?? NSNull()])
    }

    /// `{"state": "ok"|"api_disabled"|"user_api_disabled"|"password_expired"}`
    private func accountState(_ request: SandboxRequest) -> SandboxResponse {
        let names = SalesforceAccountState.allCases.map(\.rawValue)
        guard let body = request.jsonBody() as? [String: Any], let raw = body["state"] as? String,
              let value = SalesforceAccountState(rawValue: raw) else {
            return Self.controlError("account_state takes {\"state\": \"\(names.joined(separator: "\"|\""))\"}")
        }
        state.withLock { $0.account = value }
        return .json(200, ["state": value.rawValue])
    }
}
