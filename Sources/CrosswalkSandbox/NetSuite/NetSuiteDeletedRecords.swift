import CrosswalkCore
import Foundation

/// NetSuite's deleted-record feed as SuiteQL's `DeletedRecord` table: one row per deleted record with `type`
/// (the record type's id, `customer`), `recordid`, `name` and `deleteddate` — the same facts SOAP `getDeleted`
/// returns ("getDeleted", docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_N3497592.html; the
/// SuiteQL columns as Tim Dietrich's published query reads them:
/// `SELECT TO_CHAR(DeletedDate, …), Type, RecordID, BUILTIN.DF(DeletedBy) FROM DeletedRecord`). Rows are kept
/// as records of the pseudo type `deletedrecord` (not served by the record service, never pruned).
enum NetSuiteDeletedRecords {
    static let recordType = "deletedrecord"

    static let fields = [
        NetSuiteField(name: "id", type: .integer, title: "Internal ID", readOnly: true),
        NetSuiteField(name: "recordId", type: .integer, title: "Record ID", readOnly: true),
        NetSuiteField(name: "type", type: .text, title: "Record Type", readOnly: true),
        NetSuiteField(name: "name", type: .text, title: "Name", readOnly: true),
        NetSuiteField(name: "deletedDate", type: .datetime, title: "Deleted Date", readOnly: true),
    ]
}

extension NetSuiteState {
    /// Notes that `record` was deleted at `now` (call before removing it, so its name can be read).
    mutating func recordDeletion(_ record: NetSuiteRecord, now: Date) {
        let id = (ids(NetSuiteDeletedRecords.recordType).last ?? 0) + 1
        var fields = ["recordId": String(record.id), "type": record.type, "deletedDate": NetSuiteTime.iso(now)]
        if let name = refName(record.type, String(record.id)) { fields["name"] = name }
        store(NetSuiteRecord(type: NetSuiteDeletedRecords.recordType, id: id, fields: fields))
    }
}
