import Foundation

/// The org's state as JSON for `--state FILE`: records (tombstones included, in insertion order), the id
/// counter, API usage, token digests and subscriptions. Open query cursors and pending codes are not kept.
///
/// Written with `JSONSerialization` rather than `Codable`: a seeded org holds tens of thousands of field
/// values, and this keeps loading a state file well inside the sandbox's start-up budget.
enum SalesforceStateCodec {
    static let version = 1

    static func encode(_ state: SalesforceState) -> Data {
        var rows: [[Any]] = []
        for name in SalesforceCatalog.names {
            for r in state.store.records(name, includeDeleted: true) {
                var fields: [String: Any] = [:]
                for (key, value) in r.fields { fields[key] = value.json(.string) }
                rows.append([r.type, r.id, r.isDeleted, r.deletedAt.map { $0.timeIntervalSince1970 } ?? NSNull(), r.modstamp.timeIntervalSince1970, fields])
            }
        }
        let root: [String: Any] = [
            "version": version, "sequence": state.store.sequence, "apiUsage": state.apiUsage, "records": rows,
            "accessTokens": state.sessions.access.mapValues { s in
                ["userID": s.userID, "clientID": s.clientID, "scope": s.scope, "expiresAt": s.expiresAt.timeIntervalSince1970,
                 "refreshDigest": s.refreshDigest ?? NSNull()] as [String: Any]
            },
            "refreshTokens": state.sessions.refresh.mapValues { ["userID": $0.userID, "clientID": $0.clientID, "scope": $0.scope] },
            "subscriptions": state.subscriptions.map { ["url": $0.url, "objects": $0.objects] as [String: Any] },
        ]
        return (try? JSONSerialization.data(withJSONObject: root)) ?? Data("{}".utf8)
    }

    static func decode(_ data: Data) throws -> SalesforceState {
        let invalid = SalesforceError(status: 500, code: "UNKNOWN_EXCEPTION", message: "the Salesforce part of the state file is not valid")
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw invalid }
        guard root["version"] as? Int == version else {
            throw SalesforceError(status: 500, code: "UNKNOWN_EXCEPTION", message: "Salesforce state version \(root["version"] ?? "?") is not supported (expected \(version))")
        }
        var state = SalesforceState()
        for case let row as [Any] in root["records"] as? [Any] ?? [] {
            guard row.count == 6, let type = row[0] as? String, SalesforceCatalog.object(type) != nil, let id = row[1] as? String,
                  let modstamp = SalesforceJSON.number(row[4]), let raw = row[5] as? [String: Any] else { throw invalid }
            var fields: [String: SalesforceValue] = [:]
            for (key, value) in raw {
                if let s = value as? String { fields[key] = .text(s) }
                else if SalesforceJSON.isBool(value), let b = value as? Bool { fields[key] = .bool(b) }
                else if let n = SalesforceJSON.number(value) { fields[key] = .number(n) }
            }
            state.store.put(SalesforceRecord(id: id, type: type, fields: fields, isDeleted: row[2] as? Bool ?? false,
                                             deletedAt: SalesforceJSON.number(row[3]).map(Date.init(timeIntervalSince1970:)),
                                             modstamp: Date(timeIntervalSince1970: modstamp)))
        }
        state.store.restore(sequence: root["sequence"] as? Int ?? 0)
        state.apiUsage = root["apiUsage"] as? Int ?? 0
        for (digest, value) in root["accessTokens"] as? [String: [String: Any]] ?? [:] {
            guard let user = value["userID"] as? String, let client = value["clientID"] as? String,
                  let expires = SalesforceJSON.number(value["expiresAt"] ?? NSNull()) else { continue }
            state.sessions.access[digest] = .init(userID: user, clientID: client, scope: value["scope"] as? String ?? "api",
                                                  expiresAt: Date(timeIntervalSince1970: expires), refreshDigest: value["refreshDigest"] as? String)
        }
        for (digest, value) in root["refreshTokens"] as? [String: [String: String]] ?? [:] {
            guard let user = value["userID"], let client = value["clientID"] else { continue }
            state.sessions.refresh[digest] = .init(userID: user, clientID: client, scope: value["scope"] ?? "api")
        }
        for value in root["subscriptions"] as? [[String: Any]] ?? [] {
            guard let url = value["url"] as? String else { continue }
            state.subscriptions.append(SalesforceSubscription(url: url, objects: value["objects"] as? [String] ?? []))
        }
        return state
    }
}
