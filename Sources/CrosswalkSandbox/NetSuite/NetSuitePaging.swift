import CrosswalkCore
import Foundation

/// NetSuite's collection paging caps (record lists and SuiteQL alike, "Collection Paging"): at most 1,000 results
/// a page, at most 1,000 pages, and without SuiteAnalytics Connect at most 100,000 results in all.
enum NetSuitePaging {
    static let maxLimit = 1000, maxPages = 1000, maxResults = 100_000

    /// Throws NetSuite's 400 when the page at `offset` lies past the 1,000th page or the 100,000th result.
    static func check(limit: Int, offset: Int) throws(NetSuiteError) {
        guard offset / limit < maxPages, offset <= maxResults - limit else {
            throw .invalidParameter(
                "The offset \(offset) is out of range: a collection returns at most \(maxPages) pages and at most \(maxResults) results through REST web services. Use SuiteAnalytics Connect for larger result sets.",
                queryParam: "offset")
        }
    }
}
