import CrosswalkCore
import Foundation

/// `scrollId` paging: the first request snapshots the matching ids; each response carries the cursor for the
/// next page, and `null` once the last page was returned (clients repeat until the cursor is null).
extension SpotioStore {
    /// Live cursors kept at most; the oldest are dropped first.
    static let scrollCapacity = 500

    struct Page {
        var ids: [String]
        var nextScrollId: String?
        /// Every id of the snapshot the page comes from.
        var all: [String]
        /// The snapshot's summed value, when the caller asked for it.
        var totalValue: Double?
    }

    /// The next page: from the cursor `scrollId` when given, else the first page of `ids`.
    func page(scrollId: String?, ids: @autoclosure () -> [String], pageSize: Int, now: Date,
              totalValue: Double? = nil) -> Result<Page, SpotioRejection> {
        var scroll: SpotioScroll
        if let scrollId, !scrollId.isEmpty {
            guard let existing = state.scrolls.removeValue(forKey: scrollId) else {
                return .failure(SpotioRejection(response: SpotioWire.error(400, field: "scrollId", "The scrollId '\(scrollId)' is invalid or has expired.")))
            }
            scroll = existing
        } else {
            let snapshot = ids()
            scroll = SpotioScroll(ids: snapshot, position: 0, pageSize: pageSize, createdAt: now, totalValue: totalValue)
        }
        let end = min(scroll.position + scroll.pageSize, scroll.ids.count)
        let pageIds = Array(scroll.ids[scroll.position..<end])
        scroll.position = end
        var next: String?
        if end < scroll.ids.count {
            let id = "scroll-\(state.nextScrollNumber)-\(SpotioTokens.random(bytes: 6))"
            state.nextScrollNumber += 1
            state.scrolls[id] = scroll
            next = id
            trimScrolls()
        }
        return .success(Page(ids: pageIds, nextScrollId: next, all: scroll.ids, totalValue: scroll.totalValue))
    }

    private func trimScrolls() {
        guard state.scrolls.count > SpotioStore.scrollCapacity else { return }
        let oldest = state.scrolls.sorted { $0.value.createdAt < $1.value.createdAt }.prefix(state.scrolls.count - SpotioStore.scrollCapacity)
        for (key, _) in oldest { state.scrolls.removeValue(forKey: key) }
    }

    /// A page size from the query: `default` when absent, 400 when not in 1...`maximum`.
    func pageSize(_ raw: String?, field: String, default defaultSize: Int, maximum: Int) -> Result<Int, SpotioRejection> {
        guard let raw else { return .success(defaultSize) }
        guard let size = Int(raw), (1...maximum).contains(size) else {
            return .failure(SpotioRejection(response: SpotioWire.error(400, field: field, "\(field) must be between 1 and \(maximum).")))
        }
        return .success(size)
    }
}
