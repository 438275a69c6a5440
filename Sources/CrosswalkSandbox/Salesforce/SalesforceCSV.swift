import Foundation

/// Bulk API 2.0 query results as CSV: a header row of the selected field names (`Account.Name` for parent
/// fields), then one row per record; every value in double quotes (inner quotes doubled), an empty field for
/// null, datetimes as `2024-05-01T09:30:00.000Z` (*Bulk API 2.0 › Valid Date Format in Records*), the job's
/// column delimiter and line ending.
enum SalesforceCSV {
    static func rows(_ job: SalesforceBulkJobs.Job, table: SalesforceStore.Table, range: Range<Int>, store: SalesforceStore) -> Data {
        let delimiter = SalesforceBulkJobs.delimiters[job.columnDelimiter] ?? 0x2C
        let newline: [UInt8] = job.lineEnding == "CRLF" ? [0x0D, 0x0A] : [0x0A]
        var out: [UInt8] = []
        out.reserveCapacity(256 + range.count * job.paths.count * 12)
        for (k, path) in job.paths.enumerated() {
            if k > 0 { out.append(delimiter) }
            quoted(&out, Array(header(path).utf8)[...])
        }
        out += newline
        var offsets = Array(repeating: Int32(-1), count: table.object.fields.count)
        for index in range {
            let row = table[Int(job.positions[index])]
            row.packed.withUnsafeBufferPointer { bytes in
                SalesforceRow.offsets(bytes, into: &offsets)
                for (k, path) in job.paths.enumerated() {
                    if k > 0 { out.append(delimiter) }
                    guard path.ordinal >= 0, offsets[path.ordinal] >= 0 else { continue }
                    if path.lookup == nil {
                        value(&out, bytes, Int(offsets[path.ordinal]))
                    } else {
                        parentValue(&out, bytes, Int(offsets[path.ordinal]), path, store: store)
                    }
                }
            }
            out += newline
        }
        return Data(out)
    }

    static func header(_ path: SOQLFieldPath) -> String {
        ((path.lookup?.relationshipName).map { $0 + "." } ?? "") + path.field.name
    }

    private static func quoted(_ out: inout [UInt8], _ bytes: ArraySlice<UInt8>) {
        out.append(0x22)
        for b in bytes {
            out.append(b)
            if b == 0x22 { out.append(0x22) }
        }
        out.append(0x22)
    }

    /// The entry at `at` as a quoted CSV value.
    private static func value(_ out: inout [UInt8], _ bytes: UnsafeBufferPointer<UInt8>, _ at: Int) {
        switch bytes[at + 1] {
        case SalesforceRow.Tag.text.rawValue:
            let range = SalesforceRow.textRange(bytes, at)
            out.append(0x22)
            for i in range {
                out.append(bytes[i])
                if bytes[i] == 0x22 { out.append(0x22) }
            }
            out.append(0x22)
        case SalesforceRow.Tag.dateTime.rawValue:
            var w = SalesforceJSONWriter(capacity: 32)
            w.dateTime(seconds: SalesforceRow.int64(bytes, at + 2))
            // `"2024-05-01T09:30:00.000+0000"` → `"2024-05-01T09:30:00.000Z"`
            out += w.bytes.dropLast(6)
            out += Array("Z\"".utf8)
        default:
            var w = SalesforceJSONWriter(capacity: 24)
            SalesforceRender.value(&w, bytes, at)
            if w.bytes.first == 0x22 { out += w.bytes } else { quoted(&out, w.bytes[...]) }
        }
    }

    private static func parentValue(_ out: inout [UInt8], _ bytes: UnsafeBufferPointer<UInt8>, _ at: Int, _ path: SOQLFieldPath,
                                    store: SalesforceStore) {
        guard bytes[at + 1] == SalesforceRow.Tag.text.rawValue else { return }
        let id = String(decoding: UnsafeBufferPointer(rebasing: bytes[SalesforceRow.textRange(bytes, at)]), as: UTF8.self)
        guard let (table, position) = store.locate(id), let ordinal = table.object.ordinal(path.field.name) else { return }
        table[position].packed.withUnsafeBufferPointer { parent in
            guard let entry = SalesforceRow.find(ordinal, in: parent) else { return }
            value(&out, parent, entry)
        }
    }
}
