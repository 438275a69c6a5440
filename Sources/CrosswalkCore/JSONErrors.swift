import Foundation

extension CrosswalkError {
    /// A JSON document that does not parse, as an `invalid_argument` error naming where it came from.
    public init(invalidJSON error: any Error, in what: String, context: [String: String] = [:]) {
        let detail = (error as? JSONParseError)?.description ?? "\(error)"
        self.init(.invalidArgument, "\(what) is not valid JSON (\(detail))", context: context)
    }
}
