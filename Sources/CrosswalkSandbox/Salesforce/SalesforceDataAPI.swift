import CrosswalkCore
import Foundation
import Synchronization

/// One authenticated REST call under `/services/data/vNN.0/`.
struct SalesforceCall {
    var request: SandboxRequest
    /// `v60.0`
    var version: String
    /// 60.0
    var versionNumber: Double
    var userID: String
    var now: Date
    /// Path segments after the version, e.g. `["sobjects", "Contact", "003…"]`.
    var segments: [String]

    var context: SalesforceWriteContext { SalesforceWriteContext(now: now, userID: userID) }
    var method: String { request.method }
}

/// `/services/data/vNN.0/…`: session check, API usage counting, then the REST resources.
extension SalesforceApp {
    func dataAPI(_ request: SandboxRequest) -> SandboxResponse {
        let rest = request.path.dropFirst("/services/data/".count)
        var segments = rest.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let versionSegment = segments.first, versionSegment.hasPrefix("v"),
              Self.versions.contains(String(versionSegment.dropFirst())), let number = Double(versionSegment.dropFirst()) else {
            return SalesforceError.notFound.response
        }
        segments.removeFirst()
        guard let token = Self.bearerToken(request) else { return SalesforceError.sessionInvalid.response }
        let now = SalesforceDates.wholeSeconds(environment.now())
        let admitted: (userID: String, usage: Int, refusal: SalesforceError?)? = state.withLock { state in
            guard let session = state.sessions.session(token, now: now) else { return nil }
            if let refusal = state.account.refusal { return (session.userID, state.apiUsage, refusal) }
            state.apiUsage += 1
            return (session.userID, state.apiUsage, nil)
        }
        guard let admitted else { return SalesforceError.sessionInvalid.response }
        // A session of an org or user without API access (or with an expired password) reaches no resource.
        if let refusal = admitted.refusal { return refusal.response }
        var response: SandboxResponse
        if admitted.usage > Self.dailyRequestLimit {
            response = SalesforceError.requestLimit.response
        } else {
            let call = SalesforceCall(request: request, version: versionSegment, versionNumber: number, userID: admitted.userID,
                                      now: now, segments: segments)
            do { response = try route(call) } catch { response = error.response }
        }
        response.headers["Sforce-Limit-Info"] = "api-usage=\(min(admitted.usage, Self.dailyRequestLimit))/\(Self.dailyRequestLimit)"
        return response
    }

    /// Answers one call (also a `composite` subrequest) by its resource.
    func route(_ call: SalesforceCall) throws(SalesforceError) -> SandboxResponse {
        let s = call.segments
        switch s.first {
        case nil:
            try Self.allow(call, ["GET", "HEAD"])
            let base = "/services/data/\(call.version)"
            return .json(200, ["sobjects", "query", "queryAll", "limits", "composite", "jobs"].reduce(into: [String: String]()) { $0[$1] = "\(base)/\($1)" })
        case "sobjects":
            return try sobjects(call)
        case "query", "queryAll":
            return try query(call, includeDeleted: s[0] == "queryAll")
        case "composite":
            if s.count == 1 { return try composite(call) }
            if s.count == 2, s[1] == "batch" { return try compositeBatch(call) }
            guard s[1] == "sobjects" else { throw SalesforceError.notFound }
            return try collections(call)
        case "jobs":
            return try bulkQuery(call)
        case "limits":
            try Self.allow(call, ["GET", "HEAD"])
            return limits()
        default:
            throw SalesforceError.notFound
        }
    }

    /// Throws 405 unless the call's method is one of `methods`.
    static func allow(_ call: SalesforceCall, _ methods: [String]) throws(SalesforceError) {
        guard methods.contains(call.method) else { throw SalesforceError.methodNotAllowed(call.method, allowed: methods) }
    }

    /// The body as a JSON object, or Salesforce's parser error.
    static func jsonObject(_ call: SalesforceCall, kind: String) throws(SalesforceError) -> [String: Any] {
        guard !call.request.body.isEmpty else {
            throw SalesforceError.jsonParser("No content to map to Object due to end of input")
        }
        // Strict JSON first, as Salesforce's parser is (Foundation's accepts trailing commas, for one).
        if let problem = SalesforceJSONErrors.message(call.request.body) { throw SalesforceError.jsonParser(problem) }
        guard let parsed = try? JSONSerialization.jsonObject(with: call.request.body, options: [.fragmentsAllowed]) else {
            throw SalesforceError.jsonParser("Unexpected character in the request body: it is not valid JSON")
        }
        guard let object = parsed as? [String: Any] else {
            throw SalesforceError.jsonParser("Cannot deserialize instance of \(kind) from \(parsed is [Any] ? "START_ARRAY" : "VALUE") value")
        }
        return object
    }

    /// `GET limits/`
    private func limits() -> SandboxResponse {
        let now = SalesforceDates.wholeSeconds(environment.now())
        let (usage, records, jobs, storedMB) = state.withLock { state in
            (state.apiUsage, state.store.totalCount, state.bulk.createdToday(now: now), state.bulk.storedMegabytesToday(now: now))
        }
        func limit(_ max: Int, used: Int = 0) -> [String: Int] { ["Max": max, "Remaining": Swift.max(0, max - used)] }
        return .json(200, [
            "DailyApiRequests": limit(Self.dailyRequestLimit, used: usage),
            "DailyAsyncApexExecutions": limit(250_000),
            "DailyBulkApiBatches": limit(15_000),
            "DailyBulkV2QueryJobs": limit(SalesforceBulkJobs.dailyJobLimit, used: jobs),
            "DailyBulkV2QueryFileStorageMB": limit(976_562, used: storedMB),
            "ConcurrentAsyncGetReportInstances": limit(200),
            "DataStorageMB": limit(1_024, used: records * 2 / 1_024),
            "FileStorageMB": limit(1_024),
            "HourlyPublishedStandardVolumePlatformEvents": limit(100_000),
            "SingleEmail": limit(5_000),
        ])
    }
}
