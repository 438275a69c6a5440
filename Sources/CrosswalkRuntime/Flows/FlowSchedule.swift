import CrosswalkConfig
import CrosswalkFlows
import Foundation

/// When `crosswalk serve` runs a flow on its own: a fixed interval or a 5-field cron expression,
/// each with an optional random delay (jitter) so flows sharing a schedule do not all start at
/// once.
///
/// ```yaml
/// flows:
///   contacts:
///     schedule: {every: 5m, jitter: 20s}      # or {cron: "*/15 8-18 * * 1-5"} (UTC)
/// ```
///
/// A flow's `triggers: [{every_s: N}]` or `[{cron: …}]` give the same schedule without jitter.
public struct FlowSchedule: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// Every so many seconds, counted from the start of the previous run.
        case every(seconds: Double)
        /// At each minute the expression matches, in UTC.
        case cron(CronExpression)
    }

    public var kind: Kind
    /// Up to this many seconds added at random to each due time.
    public var jitterSeconds: Double

    public init(kind: Kind, jitterSeconds: Double = 0) {
        self.kind = kind
        self.jitterSeconds = jitterSeconds
    }

    /// The first due time strictly after `date`, before jitter.
    public func next(after date: Date) -> Date {
        switch kind {
        case .every(let seconds): return date.addingTimeInterval(seconds)
        case .cron(let cron): return cron.next(after: date)
        }
    }

    /// `every 300s` or `cron */5 * * * *`, with `± jitter`.
    public var description: String {
        let base: String = switch kind {
        case .every(let s): "every \(FlowSchedule.format(s))"
        case .cron(let c): "cron \(c.text)"
        }
        return jitterSeconds > 0 ? "\(base), jitter up to \(FlowSchedule.format(jitterSeconds))" : base
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? "\(Int(seconds))s" : String(format: "%.3gs", seconds)
    }

    /// `30s`, `500ms`, `5m`, `1h`, `1d` or a number of seconds.
    /// - Returns: seconds, or `nil` when the text is not a duration more than zero.
    public static func seconds(_ text: String) -> Double? {
        let text = text.trimmingCharacters(in: .whitespaces)
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            if let n = Double(text.dropLast(suffix.count)), n.isFinite, n > 0 { return n * factor }
        }
        if let n = Double(text), n.isFinite, n > 0 { return n }
        return nil
    }

    /// Reads a flow's `schedule:` (and falls back on its interval or cron trigger).
    /// - Returns: the schedule (or `nil` when the flow has none) and problems as (key path under
    ///   the flow, message).
    static func read(_ value: ConfigValue?, triggers: [FlowTrigger]) -> (FlowSchedule?, [(String, String)]) {
        guard let value, value != .null else {
            for trigger in triggers {
                switch trigger {
                case .every(let s) where s > 0: return (FlowSchedule(kind: .every(seconds: Double(s))), [])
                case .cron(let text):
                    do { return (FlowSchedule(kind: .cron(try CronExpression(text))), []) } catch {
                        return (nil, [("triggers", "\(error.message)")])
                    }
                default: continue
                }
            }
            return (nil, [])
        }
        guard case .object(let fields) = value else {
            return (nil, [("schedule", "expected a mapping such as {every: 5m} or {cron: \"*/5 * * * *\"}")])
        }
        var problems: [(String, String)] = []
        func text(_ v: ConfigValue) -> String? {
            switch v {
            case .string(let s): s
            case .int(let i): String(i)
            case .double(let d): String(d)
            default: nil
            }
        }
        var jitter = 0.0
        if let j = fields["jitter"] {
            if let t = text(j), let s = seconds(t) { jitter = s } else if text(j) == "0" { jitter = 0 } else {
                problems.append(("schedule.jitter", "expected a duration such as 30s, 2m or 1h"))
            }
        }
        var kind: Kind?
        switch (fields["every"], fields["cron"]) {
        case (let every?, nil):
            if let t = text(every), let s = seconds(t) {
                if s < 1 { problems.append(("schedule.every", "at least 1s")) } else { kind = .every(seconds: s) }
            } else {
                problems.append(("schedule.every", "expected a duration such as 30s, 5m, 1h or 1d"))
            }
        case (nil, let cron?):
            if case .string(let t) = cron {
                do { kind = .cron(try CronExpression(t)) } catch { problems.append(("schedule.cron", error.message)) }
            } else {
                problems.append(("schedule.cron", "expected a 5-field cron expression in quotes, such as \"*/5 * * * *\""))
            }
        case (.some, .some): problems.append(("schedule", "set exactly one of 'every' or 'cron', not both"))
        case (nil, nil): problems.append(("schedule", "set one of 'every' (a duration) or 'cron' (a 5-field expression)"))
        }
        guard problems.isEmpty, let kind else { return (nil, problems) }
        return (FlowSchedule(kind: kind, jitterSeconds: jitter), [])
    }
}

/// A 5-field cron expression: minute, hour, day of month, month, day of week, each `*`, a number,
/// a range `a-b`, a step `*/n` or `a-b/n`, or a comma list of those; day of week 0–7 (0 and 7 are
/// Sunday); month and day names (`jan`, `mon`) as in crontab. When both day fields are restricted,
/// a day matching either runs (crontab's rule). Times are UTC.
public struct CronExpression: Sendable, Hashable {
    public struct ParseError: Error, Sendable {
        public var message: String
    }

    public let text: String
    let minutes: Set<Int>, hours: Set<Int>, days: Set<Int>, months: Set<Int>, weekdays: Set<Int>
    let daysRestricted: Bool, weekdaysRestricted: Bool

    static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    /// - Throws: `ParseError` naming the field and what is wrong with it.
    public init(_ text: String) throws(ParseError) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true).map { String($0).lowercased() }
        guard parts.count == 5 else {
            throw ParseError(message: "expected 5 fields (minute hour day-of-month month day-of-week), found \(parts.count) in '\(text)'")
        }
        self.text = parts.joined(separator: " ")
        minutes = try Self.field(parts[0], "minute", 0...59, names: [])
        hours = try Self.field(parts[1], "hour", 0...23, names: [])
        days = try Self.field(parts[2], "day-of-month", 1...31, names: [])
        months = try Self.field(parts[3], "month", 1...12, names: Self.monthNames, firstName: 1)
        weekdays = Set(try Self.field(parts[4], "day-of-week", 0...7, names: Self.dayNames).map { $0 == 7 ? 0 : $0 })
        daysRestricted = parts[2] != "*" && !parts[2].hasPrefix("*/")
        weekdaysRestricted = parts[4] != "*" && !parts[4].hasPrefix("*/")
    }

    static func field(_ text: String, _ name: String, _ range: ClosedRange<Int>, names: [String], firstName: Int = 0) throws(ParseError) -> Set<Int> {
        func number(_ s: Substring) throws(ParseError) -> Int {
            if let n = Int(s) {
                guard range.contains(n) else { throw ParseError(message: "\(name) field: \(n) is out of range \(range.lowerBound)-\(range.upperBound)") }
                return n
            }
            if let i = names.firstIndex(of: String(s)) { return i + firstName }
            throw ParseError(message: "\(name) field: '\(s)' is not a number")
        }
        var values = Set<Int>()
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard !item.isEmpty else { throw ParseError(message: "\(name) field: empty item in '\(text)'") }
            let pieces = item.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else { throw ParseError(message: "\(name) field: '\(item)' has more than one '/'") }
            var step = 1
            if pieces.count == 2 {
                guard let s = Int(pieces[1]), s > 0 else { throw ParseError(message: "\(name) field: step '\(pieces[1])' must be a number more than 0") }
                step = s
            }
            var low = range.lowerBound, high = range.upperBound
            if pieces[0] != "*" {
                let bounds = pieces[0].split(separator: "-", omittingEmptySubsequences: false)
                guard bounds.count <= 2 else { throw ParseError(message: "\(name) field: '\(pieces[0])' is not a range a-b") }
                low = try number(bounds[0])
                high = bounds.count == 2 ? try number(bounds[1]) : (pieces.count == 2 ? range.upperBound : low)
                guard low <= high else { throw ParseError(message: "\(name) field: range \(low)-\(high) goes backwards") }
            }
            values.formUnion(stride(from: low, through: high, by: step))
        }
        return values
    }

    /// The first whole minute strictly after `date` that the expression matches (UTC); within
    /// five years, else `distantFuture` (`0 0 31 2 *` never matches).
    public func next(after date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = (date.timeIntervalSince1970 / 60).rounded(.down) * 60 + 60
        var t = Date(timeIntervalSince1970: start)
        let limit = date.addingTimeInterval(5 * 366 * 86400)
        while t < limit {
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: t)
            guard months.contains(c.month!) else {
                t = calendar.date(from: DateComponents(year: c.year, month: c.month! + 1, day: 1))!
                continue
            }
            let dayOK = daysRestricted && weekdaysRestricted
                ? days.contains(c.day!) || weekdays.contains(c.weekday! - 1)
                : days.contains(c.day!) && weekdays.contains(c.weekday! - 1)
            guard dayOK else {
                t = calendar.date(from: DateComponents(year: c.year, month: c.month, day: c.day! + 1))!
                continue
            }
            guard hours.contains(c.hour!) else {
                t = calendar.date(from: DateComponents(year: c.year, month: c.month, day: c.day, hour: c.hour! + 1))!
                continue
            }
            if minutes.contains(c.minute!) { return t }
            t = t.addingTimeInterval(60)
        }
        return .distantFuture
    }
}
