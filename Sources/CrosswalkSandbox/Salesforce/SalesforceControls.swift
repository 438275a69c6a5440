import Foundation
import Synchronization

/// The Salesforce emulator's own test controls, `POST /__sandbox/app/<name>` (see `Salesforce/README.md`).
extension SalesforceApp {
    public var controlNames: [String] { ["bulk_create"] }

    public func control(_ name: String, _ request: SandboxRequest) async -> SandboxResponse? {
        switch name {
        case "bulk_create": return bulkCreate(request)
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
}
