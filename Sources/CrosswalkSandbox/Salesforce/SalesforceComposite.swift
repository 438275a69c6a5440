import CrosswalkCore
import Foundation
import Synchronization

/// `composite` (subrequests in order, `@{ref.field}` references, `allOrNone`) and `composite/batch` (independent
/// subrequests, `haltOnError`), each counted as one API call (*REST API Developer Guide › Composite*, *Batch*).
extension SalesforceApp {
    static let compositeLimit = 25

    private static let halted = SalesforceError(status: 400, code: "PROCESSING_HALTED",
                                                message: "The transaction was rolled back since another operation in the same transaction failed.")

    /// A subrequest's answer: status, headers, and the body as JSON (`NSNull` when empty).
    private struct SubResponse {
        var status: Int
        var headers: [String: String]
        var body: Any
    }

    /// Runs one subrequest (`url` under `/services/data/vNN.0/`) inside the calling session.
    private func subrequest(_ call: SalesforceCall, method: String, url: String, body: Any?, headers: [String: String]) -> SubResponse {
        var path = url
        var rawQuery = ""
        if let q = url.firstIndex(of: "?") {
            path = String(url[..<q])
            rawQuery = String(url[url.index(after: q)...])
        }
        if !path.hasPrefix("/") { path = "/" + path }
        if !path.hasPrefix("/services/data/") { path = "/services/data" + path }
        let decoded = path.removingPercentEncoding ?? path
        let parts = decoded.dropFirst("/services/data/".count).split(separator: "/").map(String.init)
        guard let version = parts.first, version.hasPrefix("v"), Self.versions.contains(String(version.dropFirst())),
              let number = Double(version.dropFirst()) else {
            return SubResponse(status: 404, headers: [:], body: [SalesforceError.notFound.json])
        }
        var fields = call.request.headers
        for (name, value) in headers { fields[name] = value }
        let data = body.flatMap { try? JSONSerialization.data(withJSONObject: $0, options: [.fragmentsAllowed]) } ?? Data()
        let request = SandboxRequest(method: method.uppercased(), path: decoded, query: SandboxRequest.parseForm(rawQuery), rawQuery: rawQuery,
                                     headers: fields, body: data, baseURL: call.request.baseURL)
        let sub = SalesforceCall(request: request, version: version, versionNumber: number, userID: call.userID, now: call.now,
                                 segments: Array(parts.dropFirst()))
        let response: SandboxResponse
        do { response = try route(sub) } catch { response = error.response }
        let json = response.body.isEmpty ? NSNull() : ((try? JSONSerialization.jsonObject(with: response.body, options: [.fragmentsAllowed])) ?? NSNull())
        var out: [String: String] = [:]
        if response.status == 201, let id = (json as? [String: Any])?["id"] as? String, parts.count >= 3, parts[1] == "sobjects" {
            out["Location"] = "/services/data/\(version)/sobjects/\(parts[2])/\(id)"
        }
        return SubResponse(status: response.status, headers: out, body: json)
    }

    // MARK: composite

    /// `POST composite` `{"allOrNone":false,"compositeRequest":[{"method","url","referenceId","body","httpHeaders"}]}`
    func composite(_ call: SalesforceCall) throws(SalesforceError) -> SandboxResponse {
        try Self.allow(call, ["POST"])
        let body = try Self.jsonObject(call, kind: "CompositeRequest")
        guard let list = body["compositeRequest"] as? [Any], !list.isEmpty else {
            throw SalesforceError.jsonParser("compositeRequest is required and must be a non-empty array")
        }
        guard list.count <= Self.compositeLimit else {
            throw SalesforceError(status: 400, code: "LIMIT_EXCEEDED", message: "Composite request can't have more than \(Self.compositeLimit) subrequests")
        }
        var subrequests: [(method: String, url: String, reference: String, body: Any?, headers: [String: String])] = []
        var seen: Set<String> = []
        for raw in list {
            guard let item = raw as? [String: Any], let method = item["method"] as? String, let url = item["url"] as? String,
                  let reference = item["referenceId"] as? String else {
                throw SalesforceError.jsonParser("each subrequest needs method, url and referenceId")
            }
            guard ["GET", "POST", "PATCH", "PUT", "DELETE", "HEAD"].contains(method.uppercased()) else {
                throw SalesforceError(status: 400, code: "INVALID_INPUT", message: "Unsupported method in subrequest \(reference): \(method)")
            }
            guard !reference.isEmpty, reference.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }),
                  reference.first?.isLetter == true else {
                throw SalesforceError(status: 400, code: "INVALID_INPUT", message: "Invalid referenceId: \(reference). It must start with a letter and use only alphanumerics and underscores.")
            }
            guard seen.insert(reference.lowercased()).inserted else {
                throw SalesforceError(status: 400, code: "INVALID_INPUT", message: "Duplicate ReferenceId provided in the request: \(reference)")
            }
            subrequests.append((method, url, reference, item["body"], item["httpHeaders"] as? [String: String] ?? [:]))
        }
        let allOrNone = body["allOrNone"] as? Bool ?? false
        let transaction = allOrNone ? state.withLock { $0.store.begin() } : nil
        var answers: [(reference: String, response: SubResponse)] = []
        var results: [String: Any] = [:]
        var failed = false
        SalesforceTransaction.$current.withValue(transaction ?? SalesforceTransaction.current) {
            for sub in subrequests {
                if failed && allOrNone {
                    answers.append((sub.reference, SubResponse(status: 400, headers: [:], body: [Self.halted.json])))
                    continue
                }
                let resolved: (url: String, body: Any?)
                do throws(SalesforceError) {
                    resolved = (try Self.resolve(sub.url, results), try sub.body.map { b throws(SalesforceError) in try Self.resolve(any: b, results) })
                } catch {
                    failed = true
                    answers.append((sub.reference, SubResponse(status: 400, headers: [:], body: [error.json])))
                    continue
                }
                let response = subrequest(call, method: sub.method, url: resolved.url, body: resolved.body, headers: sub.headers)
                if response.status >= 400 { failed = true } else { results[sub.reference.lowercased()] = response.body }
                answers.append((sub.reference, response))
            }
        }
        if let transaction {
            state.withLock { failed ? $0.store.rollback(transaction) : $0.store.commit(transaction) }
            if failed {
                answers = answers.map { answer in
                    answer.response.status < 400 ? (answer.reference, SubResponse(status: 400, headers: [:], body: [Self.halted.json])) : answer
                }
            }
        }
        return .json(200, ["compositeResponse": answers.map { answer in
            ["body": answer.response.body, "httpHeaders": answer.response.headers, "httpStatusCode": answer.response.status,
             "referenceId": answer.reference] as [String: Any]
        }])
    }

    /// `text` with every `@{ref.path}` replaced from earlier results (`@{newAccount.id}`, `@{q.records[0].Id}`).
    static func resolve(_ text: String, _ results: [String: Any]) throws(SalesforceError) -> String {
        var out = ""
        var rest = Substring(text)
        while let start = rest.range(of: "@{") {
            out += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { out += rest[start.lowerBound...]; return out }
            let expression = String(rest[start.upperBound..<end])
            out += try value(expression, results)
            rest = rest[rest.index(after: end)...]
        }
        return out + rest
    }

    static func resolve(any value: Any, _ results: [String: Any]) throws(SalesforceError) -> Any {
        if let text = value as? String { return try resolve(text, results) }
        if let list = value as? [Any] {
            var out: [Any] = []
            for item in list { out.append(try resolve(any: item, results)) }
            return out
        }
        if let object = value as? [String: Any] {
            var out: [String: Any] = [:]
            for (key, item) in object { out[key] = try resolve(any: item, results) }
            return out
        }
        return value
    }

    private static func value(_ expression: String, _ results: [String: Any]) throws(SalesforceError) -> String {
        let parts = expression.split(separator: ".").map(String.init)
        let reference = parts.first ?? ""
        func invalid() -> SalesforceError {
            SalesforceError(status: 400, code: "PROCESSING_HALTED",
                            message: "Invalid reference specified. No value for \(expression) found in \(reference). Provided referenceId ('\(reference)') must be a valid referenceId from a previous subrequest that succeeded.")
        }
        guard var current = results[reference.lowercased()] else { throw invalid() }
        for part in parts.dropFirst() {
            var name = part
            var index: Int?
            if let open = part.firstIndex(of: "["), part.hasSuffix("]") {
                name = String(part[..<open])
                index = Int(part[part.index(after: open)..<part.index(before: part.endIndex)])
                if index == nil { throw invalid() }
            }
            guard let object = current as? [String: Any], let next = object[name] else { throw invalid() }
            current = next
            if let index {
                guard let list = current as? [Any], index >= 0, index < list.count else { throw invalid() }
                current = list[index]
            }
        }
        switch current {
        case let s as String: return s
        case let n as NSNumber: return SalesforceJSON.isBool(n) ? ((n as? Bool) == true ? "true" : "false") : "\(n)"
        default: throw invalid()
        }
    }

    // MARK: batch

    /// `POST composite/batch` `{"haltOnError":false,"batchRequests":[{"method","url","richInput"}]}`
    func compositeBatch(_ call: SalesforceCall) throws(SalesforceError) -> SandboxResponse {
        try Self.allow(call, ["POST"])
        let body = try Self.jsonObject(call, kind: "BatchRequest")
        guard let list = body["batchRequests"] as? [Any], !list.isEmpty else {
            throw SalesforceError.jsonParser("batchRequests is required and must be a non-empty array")
        }
        guard list.count <= Self.compositeLimit else {
            throw SalesforceError(status: 400, code: "LIMIT_EXCEEDED", message: "A batch request can't have more than \(Self.compositeLimit) subrequests")
        }
        let haltOnError = body["haltOnError"] as? Bool ?? false
        var results: [[String: Any]] = []
        var hasErrors = false
        for raw in list {
            if hasErrors && haltOnError {
                results.append(["statusCode": 412, "result": [["errorCode": "BATCH_PROCESSING_HALTED", "message": "Batch processing halted per request"]]])
                continue
            }
            guard let item = raw as? [String: Any], let method = item["method"] as? String, let url = item["url"] as? String else {
                hasErrors = true
                results.append(["statusCode": 400, "result": [SalesforceError.jsonParser("each batch request needs method and url").json]])
                continue
            }
            let response = subrequest(call, method: method, url: url, body: item["richInput"], headers: [:])
            if response.status >= 400 { hasErrors = true }
            results.append(["statusCode": response.status, "result": response.body])
        }
        return .json(200, ["hasErrors": hasErrors, "results": results])
    }
}
