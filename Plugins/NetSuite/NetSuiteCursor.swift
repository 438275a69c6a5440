import CrosswalkPluginKit
import Foundation

/// A position in a record type's changes and in its deleted-record feed, each `(time, id)` in NetSuite's
/// order `lastModifiedDate, id` (`deletedDate, recordId`), and the upper bound of the run in progress.
///
/// `{"v":1,"m":"2026-11-30T10:00:00Z","i":"107","dm":…,"di":…,"u":"2026-11-30T10:05:00Z","p":"c"}`:
/// - `m`/`i`: the last change read; `m` without `i` means every change up to and at `m` was read; no `m`
///   means from the beginning.
/// - `dm`/`di`: the same for deletions; no `dm` means the first run (its start is where deletions begin).
/// - `u`: the run's upper bound (NetSuite's clock at the start of the run, less a second); none when caught up.
/// - `p`: the phase of the run, `c` (changes) then `d` (deletions).
struct NetSuiteCursor: Codable, Sendable, Equatable {
    var v = 1
    var m: String?
    var i: String?
    var dm: String?
    var di: String?
    var u: String?
    var p: String?

    static let changes = "c", deletions = "d"

    /// The cursor of `value`; `nil` for JSON null (from the beginning).
    static func decode(_ value: JSONValue?) throws -> NetSuiteCursor? {
        guard let value, !value.isNull else { return nil }
        let cursor: NetSuiteCursor
        do { cursor = try JSONValueDecoder().decode(NetSuiteCursor.self, from: value) } catch {
            throw ConnectorError(.invalidArgument, "this cursor was not written by the NetSuite connector: \(value.text)")
        }
        guard cursor.v == 1 else { throw ConnectorError(.invalidArgument, "cursor version \(cursor.v) is not one this connector writes (1)") }
        for time in [cursor.m, cursor.dm, cursor.u].compactMap({ $0 }) where NetSuiteClock.parseRFC3339(time) == nil {
            throw ConnectorError(.invalidArgument, "cursor time \"\(time)\" is not RFC 3339")
        }
        for id in [cursor.i, cursor.di].compactMap({ $0 }) where SuiteQLText.id(id) == nil {
            throw ConnectorError(.invalidArgument, "cursor id \"\(id)\" is not a NetSuite internal id")
        }
        if let p = cursor.p, p != changes, p != deletions { throw ConnectorError(.invalidArgument, "cursor phase \"\(p)\" is unknown") }
        return cursor
    }

    var json: JSONValue { (try? JSONValueEncoder().encodeValue(self)) ?? .null }
}
