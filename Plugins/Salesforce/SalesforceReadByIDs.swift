import CrosswalkPluginKit

/// Reads exactly the records asked for ("sync this record now"): `WHERE Id IN (…)` through
/// `queryAll`, so a deleted or merged record comes back as such; ids not found are `missing`.
struct SalesforceIDReader {
    let api: SalesforceAPI
    let schema: SalesforceSchemaCache

    /// Ids per query: 200 ids of 18 characters keep the URL near 5 KB, well under Salesforce's 16 KB.
    static let chunk = 200

    func read(_ ids: [String], _ request: ReadRequest, _ describe: SalesforceObjectDescribe, _ deadline: Deadline) throws -> ReadResult {
        let plan = try SalesforceReadPlan(ReadRequest(object: request.object, fields: request.fields), describe: describe)
        var wanted: [(asked: String, id: String)] = []
        var missing: [String] = []
        var seen = Set<String>()
        for asked in ids {
            guard let id = SalesforceIDs.normalized(asked) else {
                missing.append(asked)
                continue
            }
            if seen.insert(id).inserted { wanted.append((asked, id)) }
        }
        let builder = SalesforceRecordBuilder(object: describe, schema: schema)
        var found: [String: Record] = [:]
        for start in stride(from: 0, to: wanted.count, by: Self.chunk) {
            let part = wanted[start..<min(wanted.count, start + Self.chunk)]
            let soql = plan.soql(where: ["Id IN (\(part.map { SOQL.quote($0.id) }.joined(separator: ", ")))"], ordered: false)
            var url: String? = api.data("queryAll/?q=\(SalesforceReadPlan.queryValue(soql))")
            while let next = url {
                let answer = try api.json("GET", next, idempotent: true, deadline: deadline)
                for row in answer["records"]?.arrayValue ?? [] {
                    if let fields = row.objectValue, let record = builder.record(fields) { found[record.id] = record }
                }
                url = answer["nextRecordsUrl"]?.stringValue
            }
        }
        var records: [Record] = []
        for (asked, id) in wanted {
            if let record = found[id] { records.append(record) } else { missing.append(asked) }
        }
        return ReadResult(records: records, nextCursor: request.cursor ?? .null, hasMore: false, missing: missing, filterApplied: FilterApplied.none)
    }
}
