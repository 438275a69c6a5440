import CrosswalkPluginKit

/// Sends the records of a write in collection calls and turns each answer into per-record results:
/// Salesforce's own code, message and fields for a failed record, `unknown` for the records of a
/// call that was sent and got no answer, and a thrown error only while nothing was sent yet (so the
/// host may retry the whole batch).
struct SalesforceCallBatcher {
    let api: SalesforceAPI
    let deadline: Deadline
    /// Calls that reached Salesforce in this write.
    private(set) var sent = 0

    init(api: SalesforceAPI, deadline: Deadline) {
        self.api = api
        self.deadline = deadline
    }

    /// - Parameter outcome: what a success means (`nil`: the answer's `created` flag says).
    mutating func run(_ items: [SalesforceWriter.Prepared], chunk size: Int, outcome: WriteOutcome?,
                      _ call: ([SalesforceWriter.Prepared]) throws -> ConnectorHost.Response) throws -> [WriteItemResult] {
        var results: [WriteItemResult] = []
        for start in stride(from: 0, to: items.count, by: size) {
            let chunk = Array(items[start..<min(items.count, start + size)])
            if sent > 0, deadline.isShort(of: 1_000) {
                let e = ConnectorError(.timeout, "not sent: the write's deadline passed before this part of the batch")
                results += chunk.map { .failure($0.ref, e) }
                continue
            }
            let response: ConnectorHost.Response
            do {
                response = try call(chunk)
            } catch let e as ConnectorError {
                switch e.code {
                case .timeout, .unavailable, .cancelled:
                    // Sent (or possibly sent) and no answer: the records may or may not be written.
                    sent += 1
                    results += chunk.map { .unknown($0.ref, "sent to Salesforce, no answer: \(e.message)") }
                    continue
                default:
                    // Not sent (quota guard, no credentials, bad request): nothing is known to be written.
                    if sent == 0 { throw e }
                    results += chunk.map { .failure($0.ref, e) }
                    continue
                }
            }
            sent += 1
            results += Self.results(response, chunk, outcome: outcome)
        }
        return results
    }

    /// Per-record results of one collection answer (an array in request order).
    static func results(_ response: ConnectorHost.Response, _ chunk: [SalesforceWriter.Prepared], outcome: WriteOutcome?) -> [WriteItemResult] {
        guard (200..<300).contains(response.status) else {
            let error = SalesforceAPI.failure(response, "sObject Collections call")
            if response.status >= 500, response.status != 503 {
                return chunk.map { .unknown($0.ref, error.message) }
            }
            return chunk.map { .failure($0.ref, error) }
        }
        guard let items = response.jsonValue?.arrayValue, items.count == chunk.count else {
            return chunk.map { .unknown($0.ref, "Salesforce answered HTTP \(response.status) without one result per record") }
        }
        return zip(chunk, items).map { prepared, item in
            if item["success"]?.boolValue == true {
                let id = item["id"]?.stringValue ?? prepared.id ?? ""
                let done = outcome ?? (item["created"]?.boolValue == true ? .created : .updated)
                return .success(prepared.ref, id: id, outcome: done)
            }
            let errors = (item["errors"]?.arrayValue ?? []).compactMap(SalesforceErrorItem.init)
            guard let first = errors.first else {
                return .failure(prepared.ref, ConnectorError(.internalError, "Salesforce reported a failure without an error"))
            }
            let fields = errors.flatMap(\.fields)
            let error = ConnectorError(first.abiCode, errors.map(\.text).joined(separator: "; "), fields: fields.isEmpty ? nil : fields)
            return .failure(prepared.ref, error)
        }
    }
}
