import CrosswalkStore
import Foundation

/// Records synced and failed per hour per flow, and its drawing as a server-side SVG bar chart
/// (pure: runs in, text out; no clock but the `now` it is given).
///
/// A run's counts go to the hour (UTC) it started in: synced = created + updated + deleted,
/// failed = failed (skipped records are not drawn). The window is the `hours` whole hours ending
/// with the hour of `now`. Each flow gets one panel: a stacked bar per hour (synced at the bottom
/// in ``syncedColor``, failed on top in ``failedColor``), a y axis from 0 to a round maximum, hour
/// labels every few hours, and the legend above the panels.
///
/// ```swift
/// let chart = SyncChart(runs: runs, now: Date(), hours: 24)
/// let svg = chart.svg()   // <svg …>…</svg>, safe to inline in HTML
/// ```
public struct SyncChart: Sendable, Equatable {
    /// One flow's counts, one element per hour of the window (oldest first).
    public struct Series: Sendable, Equatable {
        public var flow: String
        public var synced: [Int]
        public var failed: [Int]
    }

    /// The colour of synced records' bars (also the legend's).
    public static let syncedColor = "#1f9d55"
    /// The colour of failed records' bars.
    public static let failedColor = "#d93025"

    /// The first hour of the window (UTC, on the hour).
    public var start: Date
    /// How many hours the window has.
    public var hours: Int
    /// One series per flow, by flow name.
    public var series: [Series]

    /// Buckets `runs` into the `hours` hours ending with the hour of `now`.
    /// - Parameter flows: the flows to draw, in order (a flow with no runs gets an empty panel);
    ///   `nil` draws the flows that have runs, sorted by name.
    public init(runs: [Run], now: Date, hours: Int = 24, flows: [String]? = nil) {
        let hours = max(1, hours)
        let hour = 3600.0
        let currentHour = (now.timeIntervalSince1970 / hour).rounded(.down) * hour
        start = Date(timeIntervalSince1970: currentHour - Double(hours - 1) * hour)
        self.hours = hours
        let names = flows ?? Array(Set(runs.map(\.flow))).sorted()
        var byFlow: [String: Series] = [:]
        for name in names { byFlow[name] = Series(flow: name, synced: Array(repeating: 0, count: hours), failed: Array(repeating: 0, count: hours)) }
        for run in runs where byFlow[run.flow] != nil {
            let index = Int(((run.startedAt.timeIntervalSince1970 - start.timeIntervalSince1970) / hour).rounded(.down))
            guard (0..<hours).contains(index) else { continue }
            let c = run.counts
            byFlow[run.flow]!.synced[index] += c.created + c.updated + c.deleted
            byFlow[run.flow]!.failed[index] += c.failed
        }
        series = names.compactMap { byFlow[$0] }
    }

    /// Synced and failed records in the whole window, all flows.
    public var totals: (synced: Int, failed: Int) {
        (series.reduce(0) { $0 + $1.synced.reduce(0, +) }, series.reduce(0) { $0 + $1.failed.reduce(0, +) })
    }

    /// The smallest 1, 2 or 5 × 10ⁿ at or above `value` (at least 1): the y axis's top.
    public static func niceMaximum(_ value: Int) -> Int {
        guard value > 1 else { return 1 }
        var scale = 1
        while true {
            for step in [1, 2, 5] where step * scale >= value { return step * scale }
            scale *= 10
        }
    }

    // MARK: Drawing

    /// The chart as one `<svg>` element, `width` pixels wide.
    public func svg(width: Int = 760, panelHeight: Int = 150) -> String {
        let left = 48, right = 12, top = 34, panelGap = 28, titleHeight = 18, axisHeight = 18
        let plotWidth = width - left - right
        let plotHeight = panelHeight - titleHeight - axisHeight
        let panels = max(series.count, 1)
        let height = top + panels * panelHeight + (panels - 1) * panelGap + 6
        var out = ""
        out += #"<svg xmlns="http://www.w3.org/2000/svg" class="sync-chart" width="\#(width)" height="\#(height)" viewBox="0 0 \#(width) \#(height)" role="img" aria-label="Records synced and failed per hour">"#
        out += "<title>Records synced and failed per hour, \(Self.hourLabel(start)) to \(Self.hourLabel(start.addingTimeInterval(Double(hours) * 3600))) UTC</title>"
        out += #"<style>text{font:11px sans-serif;fill:#444}.title{font-weight:bold;fill:#222}</style>"#
        // Legend.
        out += #"<g class="legend"><rect x="\#(left)" y="8" width="12" height="12" fill="\#(Self.syncedColor)"/><text x="\#(left + 17)" y="18">synced</text>"#
        out += #"<rect x="\#(left + 80)" y="8" width="12" height="12" fill="\#(Self.failedColor)"/><text x="\#(left + 97)" y="18">failed</text>"#
        out += #"<text x="\#(width - right)" y="18" text-anchor="end">per hour (UTC), last \#(hours) h</text></g>"#
        if series.isEmpty {
            out += #"<text x="\#(left)" y="\#(top + panelHeight / 2)">no flows</text></svg>"#
            return out
        }
        let slot = Double(plotWidth) / Double(hours)
        let barWidth = max(1.0, slot * 0.7)
        let labelEvery = hours <= 12 ? 1 : hours <= 24 ? 3 : Int((Double(hours) / 8).rounded(.up))
        for (p, s) in series.enumerated() {
            let y0 = top + p * (panelHeight + panelGap)
            let plotTop = y0 + titleHeight
            let plotBottom = plotTop + plotHeight
            let peak = zip(s.synced, s.failed).map { $0 + $1 }.max() ?? 0
            let maximum = Self.niceMaximum(peak)
            out += #"<g class="panel" data-flow="\#(Self.escape(s.flow))">"#
            let total = (s.synced.reduce(0, +), s.failed.reduce(0, +))
            out += #"<text class="title" x="\#(left)" y="\#(y0 + 12)">\#(Self.escape(s.flow)) — \#(total.0) synced, \#(total.1) failed</text>"#
            // Axes and gridline at the top value.
            out += #"<line x1="\#(left)" y1="\#(plotTop)" x2="\#(left)" y2="\#(plotBottom)" stroke="rgb(136,136,136)"/>"#
            out += #"<line x1="\#(left)" y1="\#(plotBottom)" x2="\#(left + plotWidth)" y2="\#(plotBottom)" stroke="rgb(136,136,136)"/>"#
            out += #"<line x1="\#(left)" y1="\#(plotTop)" x2="\#(left + plotWidth)" y2="\#(plotTop)" stroke="rgb(227,227,227)"/>"#
            out += #"<text x="\#(left - 5)" y="\#(plotTop + 4)" text-anchor="end">\#(maximum)</text>"#
            out += #"<text x="\#(left - 5)" y="\#(plotBottom + 4)" text-anchor="end">0</text>"#
            for h in 0..<hours {
                let x = Double(left) + Double(h) * slot + (slot - barWidth) / 2
                let synced = s.synced[h], failed = s.failed[h]
                let syncedHeight = Double(synced) / Double(maximum) * Double(plotHeight)
                let failedHeight = Double(failed) / Double(maximum) * Double(plotHeight)
                let hourText = Self.hourLabel(start.addingTimeInterval(Double(h) * 3600))
                if synced > 0 {
                    out += #"<rect class="synced" x="\#(Self.number(x))" y="\#(Self.number(Double(plotBottom) - syncedHeight))" width="\#(Self.number(barWidth))" height="\#(Self.number(syncedHeight))" fill="\#(Self.syncedColor)"><title>\#(hourText): \#(synced) synced</title></rect>"#
                }
                if failed > 0 {
                    out += #"<rect class="failed" x="\#(Self.number(x))" y="\#(Self.number(Double(plotBottom) - syncedHeight - failedHeight))" width="\#(Self.number(barWidth))" height="\#(Self.number(failedHeight))" fill="\#(Self.failedColor)"><title>\#(hourText): \#(failed) failed</title></rect>"#
                }
                if h % labelEvery == 0 || h == hours - 1 {
                    out += #"<text x="\#(Self.number(Double(left) + (Double(h) + 0.5) * slot))" y="\#(plotBottom + 13)" text-anchor="middle">\#(Self.hourOnly(start.addingTimeInterval(Double(h) * 3600)))</text>"#
                }
            }
            out += "</g>"
        }
        out += "</svg>"
        return out
    }

    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    private static func utcComponents(_ date: Date) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.dateComponents([.year, .month, .day, .hour], from: date)
    }

    /// `2026-12-04 18:00`.
    static func hourLabel(_ date: Date) -> String {
        let c = utcComponents(date)
        return String(format: "%04d-%02d-%02d %02d:00", c.year!, c.month!, c.day!, c.hour!)
    }

    /// `18h`.
    static func hourOnly(_ date: Date) -> String { String(format: "%02dh", utcComponents(date).hour!) }
}
