/// Bulk API 2.0 query results (RFC 4180 CSV as Salesforce writes it): a header row, then one row
/// per record; values in double quotes with inner quotes doubled, newlines allowed inside quotes,
/// an unquoted empty cell for null (`nil`) and `""` for an empty string.
struct SalesforceCSV {
    /// The header and the rows; a cell is `nil` when it was empty and unquoted.
    var header: [String]
    var rows: [[String?]]

    /// - Parameter delimiter: the job's column delimiter byte (`,` by default).
    static func parse(_ bytes: [UInt8], delimiter: UInt8 = 0x2C) throws -> SalesforceCSV {
        var rows: [[String?]] = []
        var row: [String?] = []
        var cell: [UInt8] = []
        var quoted = false
        var wasQuoted = false
        var i = 0
        let n = bytes.count
        func endCell() {
            row.append(cell.isEmpty && !wasQuoted ? nil : String(decoding: cell, as: UTF8.self))
            cell.removeAll(keepingCapacity: true)
            wasQuoted = false
        }
        func endRow() {
            endCell()
            rows.append(row)
            row = []
        }
        while i < n {
            let b = bytes[i]
            if quoted {
                if b == 0x22 {
                    if i + 1 < n, bytes[i + 1] == 0x22 {
                        cell.append(0x22)
                        i += 2
                        continue
                    }
                    quoted = false
                } else {
                    cell.append(b)
                }
                i += 1
                continue
            }
            switch b {
            case 0x22 where cell.isEmpty && !wasQuoted:
                quoted = true
                wasQuoted = true
            case delimiter:
                endCell()
            case 0x0D where i + 1 < n && bytes[i + 1] == 0x0A:
                endRow()
                i += 1
            case 0x0A:
                endRow()
            default:
                cell.append(b)
            }
            i += 1
        }
        if quoted { throw CSVError(message: "the CSV ends inside a quoted value") }
        if !cell.isEmpty || wasQuoted || !row.isEmpty { endRow() }
        guard let first = rows.first else { return SalesforceCSV(header: [], rows: []) }
        let header = first.map { $0 ?? "" }
        let body = Array(rows.dropFirst())
        if let bad = body.firstIndex(where: { $0.count != header.count }) {
            throw CSVError(message: "row \(bad + 2) has \(body[bad].count) values for \(header.count) columns")
        }
        return SalesforceCSV(header: header, rows: body)
    }

    struct CSVError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
