import Foundation
import Synchronization

/// Merges as a user makes them in Salesforce (the SOAP API's `merge()`, or Merge Accounts/Contacts/Leads in
/// the UI; *SOAP API Developer Guide › merge()*, *Object Reference › MasterRecordId*): up to two records
/// merged into a master of the same object; the related records of the merged ones (a contact's AccountId,
/// a task's WhoId/WhatId…) move to the master; the merged records are deleted with `MasterRecordId` set to
/// the master, so `queryAll` shows `IsDeleted = true` and who absorbed them.
extension SalesforceApp {
    /// The objects Salesforce merges (those with a MasterRecordId field in the catalog).
    static func mergeable(_ object: SalesforceObject) -> Bool { object.field("MasterRecordId") != nil }

    /// Control `merge`: `{"object":"Account","master":"001…","merged":["001…"]}`; answers the master and the
    /// ids of the related records moved to it.
    func mergeControl(_ request: SandboxRequest) -> SandboxResponse {
        let usage = "merge takes {\"object\": \"Account|Contact|Lead\", \"master\": \"<id>\", \"merged\": [\"<id>\", …up to 2]}"
        guard let body = request.jsonBody() as? [String: Any], let name = body["object"] as? String,
              let object = SalesforceCatalog.object(name), Self.mergeable(object),
              let master = (body["master"] as? String).flatMap(SalesforceID.normalize),
              let mergedRaw = body["merged"] as? [String], (1...2).contains(mergedRaw.count) else {
            return Self.controlError(usage)
        }
        let merged = mergedRaw.compactMap(SalesforceID.normalize)
        guard merged.count == mergedRaw.count, !merged.contains(master), Set(merged).count == merged.count else {
            return Self.controlError(usage)
        }
        let now = SalesforceDates.wholeSeconds(environment.now())
        let context = SalesforceWriteContext(now: now, userID: Self.apiUserID)
        return state.withLock { state in
            do throws(SalesforceError) {
                _ = try state.store.live(object, id: master)
                for id in merged { _ = try state.store.live(object, id: id) }
                var moved: [String] = []
                for id in merged {
                    for child in SalesforceCatalog.names.compactMap(SalesforceCatalog.object) {
                        for field in child.fields where field.type == .reference && field.referenceTo.contains(object.name) && field.updateable {
                            for record in state.store.records(child.name, where: field.name, equals: id) {
                                _ = try state.store.update(child, id: record.id, [field.name: master], context)
                                moved.append(record.id)
                            }
                        }
                    }
                    var loser = try state.store.delete(object, id: id, context)
                    loser.fields["MasterRecordId"] = .text(master)
                    state.store.put(loser)
                }
                // The master is saved by the merge too.
                _ = try state.store.update(object, id: master, [:], context)
                return .json(200, ["object": object.name, "master": master, "merged": merged, "moved": moved])
            } catch {
                return .json(400, ["error": error.message, "errorCode": error.code])
            }
        }
    }
}
