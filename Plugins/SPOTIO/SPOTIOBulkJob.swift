import CrosswalkPluginKit
import Foundation

/// One bulk job of `/api/jobs/dataObjects/bulk` for a batch: create the job, upload the lines as one NDJSON file,
/// start it, poll its progress until it is done, then download the succeeded and failed results and match them to
/// the records by DataObject id (creates carry an id made here).
struct SPOTIOBulkJob {
    let api: SPOTIOAPI
    let host: ConnectorHost
    let settings: SPOTIOSettings
    let fields: SPOTIOLeadFields

    static let finished: Set<String> = ["completed", "failed", "aborted", "jobcomplete", "processed"]

    func run(operation: String, lines: [(item: WriteRequest.Item, id: String, line: JSONValue)],
             deadline: SPOTIODeadline) throws -> [WriteItemResult] {
        // Nothing is written until the job starts: failures before that are the batch's.
        let job = try api.json("POST", "/api/jobs/dataObjects/bulk",
                               json: ["operation": .string(operation), "dataObjectTypeId": SPOTIOJSON.id(fields.type.id)], deadline: deadline)
        guard let jobID = job["id"]?.stringValue else { throw ConnectorError(.internalError, "SPOTIO created a bulk job without an id") }
        let base = "/api/jobs/dataObjects/bulk/\(SPOTIOQuery.encode(jobID))"
        var ndjson = Data()
        for line in lines {
            ndjson.append(line.line.data())
            ndjson.append(UInt8(ascii: "\n"))
        }
        let upload = try api.send("PUT", base + "/data", raw: ndjson, contentType: "application/octet-stream", idempotent: false, deadline: deadline)
        _ = try SPOTIOAPI.decode(upload, "PUT /api/jobs/dataObjects/bulk/{id}/data")

        let unknown = { (why: String) in lines.map { WriteItemResult.unknown($0.item.ref, why) } }
        do {
            _ = try api.json("POST", base + "/start", deadline: deadline)
        } catch let error as ConnectorError where [.timeout, .unavailable].contains(error.code) {
            return unknown("the bulk job \(jobID) was started but SPOTIO gave no answer: \(error.message)")
        }
        var wait = UInt32(settings.bulkPollMilliseconds)
        while true {
            let progress: JSONValue
            do {
                progress = try api.json("GET", base + "/progress", deadline: deadline)
            } catch let error as ConnectorError where [.timeout, .unavailable, .cancelled].contains(error.code) {
                return unknown("bulk job \(jobID) is processing; its results could not be read: \(error.message)")
            }
            if Self.finished.contains((progress["state"]?.stringValue ?? "").lowercased()) { break }
            do { try host.sleep(milliseconds: wait) } catch { return unknown("cancelled while bulk job \(jobID) was processing") }
            wait = min(wait * 2, 5_000)
        }
        var results: [String: WriteItemResult] = [:]
        let byID = Dictionary(lines.map { ($0.id.lowercased(), $0.item) }, uniquingKeysWith: { first, _ in first })
        let created = operation == "create"
        for line in try ndjsonLines(base + "/results/succeeded") {
            guard let id = line["dataObjectId"]?.stringValue ?? line["data"]?["id"]?.stringValue, let item = byID[id.lowercased()] else { continue }
            results[item.ref] = .success(item.ref, id: id, outcome: created ? .created : .updated)
        }
        for line in try ndjsonLines(base + "/results/failed") {
            guard let id = line["data"]?["id"]?.stringValue, let item = byID[id.lowercased()] else { continue }
            let text = line["error"]?.stringValue ?? "failed"
            let error = Self.errorItem(text)
            let offending = fields.offendingFields([error])
            results[item.ref] = .failure(item.ref, ConnectorError(.conflict, text, fields: offending.isEmpty ? nil : offending),
                                         fields: offending.isEmpty ? nil : offending)
        }
        return lines.map { results[$0.item.ref] ?? .unknown($0.item.ref, "bulk job \(jobID) reported no result for this record") }
    }

    /// `stageId: Stage '99' does not exist…` → field `stageId`; a message without a property prefix → `_`.
    static func errorItem(_ text: String) -> SPOTIOErrorItem {
        if let colon = text.range(of: ": "), !text[..<colon.lowerBound].contains(" ") {
            return SPOTIOErrorItem(field: String(text[..<colon.lowerBound]), message: String(text[colon.upperBound...]))
        }
        return SPOTIOErrorItem(field: "_", message: text)
    }

    private func ndjsonLines(_ path: String) throws -> [JSONValue] {
        let response = try api.send("GET", path)
        guard (200..<300).contains(response.status) else { throw SPOTIOAPI.failure(response, "GET \(SPOTIOAPI.shown(path))") }
        return response.body.split(separator: UInt8(ascii: "\n")).compactMap { try? JSONParser.parse(Data($0)) }
    }
}
