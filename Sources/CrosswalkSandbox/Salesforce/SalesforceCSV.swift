import Foundation

/// Bulk API 2.0 query results as CSV: a header row of the selected field names (`Account.Name` for parent
/// fields), then one row per record; every value in double quotes (inner quotes doubled), an empty field for
/// null, datetimes as `2024-05-01T09:30:00.000Z` (*Bulk API 2.0 › Valid Date Format in Records*), the job's
/// column delimiter and line ending.
enum SalesforceCSV {
    static func rows(_ job: SalesforceBulkJobs.Job, table: SalesforceStore.Table, range: Range<Int>, store: SalesforceStore) -> Data {
        let delimiter = SalesforceBulkJobs.delimiters[job.columnDelimiter] ?? 0x2C
        let newline: [UInt8] = job.lineEnding == "CRLF" ? [0x0D, 0x0A] : [0x0A]
        var w = SalesforceJSONWriter(capacity: 256 + range.count * job.paths.count * 12)
        for (k, path) in job.paths.enumerated() {
            if k > 0 { w.byte(delimiter) }
            quoted(&w, Array(header(path).utf8)[...])
        }
        w.bytes += newline
        var offsets = Array(repeating: Int32(-1), count: table.object.fields.count)
        for index in range {
            let row = table[Int(job.positions[index])]
            row.packed.withUnsafeBufferPointer { bytes in
                SalesforceRow.offsets(bytes, into: &offsets)
                for (k, path) in job.paths.enumerated() {
                    if k > 0 { w.byte(delimiter) }
                    guard path.ordinal >= 0, offsets[path.ordinal] >= 0 else { continue }
                    if path.lookup == nil {
                        value(&w, bytes, Int(offsets[path.ordinal]))
                    } else {
                        parentValue(&w, bytes, Int(offsets[path.ordinal]), path, store: store)
                    }
                }
            }
            w.bytes += newline
        }
        return w.data
    }

    static func header(_ path: SOQLFieldPath) -> String {
        ((path.lookup?.relationshipName).map { $0 + "." } ?? "") + path.field.name
    }

    private static func quoted(_ w: inout SalesforceJSONWriter, _ bytes: ArraySlice<UInt8>) {
        w.byte(0x22)
        for b in bytes {
            w.byte(b)
            if b == 0x22 { w.byte(0x22) }
        }
        w.byte(0x22)
    }

    /// The entry at `at` as a quoted CSV value.
    private static func value(_ w: inout SalesforceJSONWriter, _ bytes: UnsafeBufferPointer<UInt8>, _ at: Int) {
        switch bytes[at + 1] {
        case SalesforceRow.Tag.text.rawValue:
            w.byte(0x22)
            for i in SalesforceRow.textRange(bytes, at) {
                w.byte(bytes[i])
                if bytes[i] == 0x22 { w.byte(0x22) }
            }
            w.byte(0x22)
        case SalesforceRow.Tag.dateTime.rawValue:
            // `"2024-05-01T09:30:00.000+0000"` → `"2024-05-01T09:30:00.000Z"`
            w.dateTime(seconds: SalesforceRow.int64(bytes, at + 2))
            w.bytes.removeLast(6)
            w.raw("Z\"")
        case SalesforceRow.Tag.date.rawValue:
            w.quotedDate(days: Int(SalesforceRow.int32(bytes, at + 2)))
        default:
            // Numbers and booleans, quoted like every other value.
            w.byte(0x22)
            SalesforceRender.value(&w, bytes, at)
            w.byte(0x22)
        }
    }

    private static func parentValue(_ w: inout SalesforceJSONWriter, _ bytes: UnsafeBufferPointer<UInt8>, _ at: Int, _ path: SOQLFieldPath,
                                    store: SalesforceStore) {
        guard bytes[at + 1] == SalesforceRow.Tag.text.rawValue else { return }
        let id = String(decoding: UnsafeBufferPointer(rebasing: bytes[SalesforceRow.textRange(bytes, at)]), as: UTF8.self)
        guard let (table, position) = store.locate(id), let ordinal = table.object.ordinal(path.field.name) else { return }
        table[position].packed.withUnsafeBufferPointer { parent in
            guard let entry = SalesforceRow.find(ordinal, in: parent) else { return }
            value(&w, parent, entry)
        }
    }
}
